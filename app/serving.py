"""Serving under load: worker processes, admission control with 503 + Retry-After, and transactions
cancelled when their client has gone.

`kg serve` applies the schema migration once, then starts `KG_WORKERS` uvicorn worker processes (default:
one per core), each accepting on its own socket of the one port (`listening_sockets`, SO_REUSEPORT) so
that connections spread over them; each builds its app with `worker_app()`, so each owns its driver and
skips the migration.
Every app built by `build_app` runs its GraphQL and Cypher requests through `AdmissionControl`:

- at most `KG_MAX_INFLIGHT` requests run at once in a worker; the rest wait in arrival order;
- a request that cannot start within `KG_QUEUE_WAIT` seconds, or that finds `KG_MAX_QUEUE` already
  waiting, is answered 503 with `Retry-After` at once; it never reaches Neo4j, so no transaction of its
  runs into the transaction timeout (`KG_CYPHER_TIMEOUT`) because the process was too busy to read it;
- when the client disconnects before its answer is ready, the request's task is cancelled: the driver
  drops the connection of the running transaction, and Neo4j rolls it back.
"""

from __future__ import annotations

import asyncio
import gc
import math
import os
import socket
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors.multiprocess import Multiprocess, Process, logger

from app.config import Settings, get_settings
from app.main import create_app

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Paths whose requests reach Neo4j on a client's behalf; /health, the viewer and static files pass.
GUARDED_PREFIXES = ("/graphql", "/cypher")


def worker_count(settings: Settings) -> int:
    """`KG_WORKERS`, else one worker per core this process may use."""
    if settings.workers:
        return settings.workers
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


class AdmissionControl:
    """ASGI middleware: bounded concurrency, a bounded wait with 503 + Retry-After, cancel on disconnect."""

    def __init__(
        self,
        app: ASGIApp,
        max_inflight: int,
        max_queue: int,
        queue_wait_s: float,
        guarded: tuple[str, ...] = GUARDED_PREFIXES,
        max_body: int = 1_000_000,
    ) -> None:
        self.app = app
        self.max_inflight = max_inflight
        self.max_queue = max_queue
        self.queue_wait_s = queue_wait_s
        self.guarded = guarded
        self.max_body = max_body
        self.slots = asyncio.Semaphore(max_inflight)
        self.waiting = 0
        self.shed = 0
        self.cancelled = 0
        self._service_s = 0.05  # moving average of a request's time in a slot, for Retry-After

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.guarded):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET" and "text/html" in _header(scope, b"accept"):
            await self.app(scope, receive, send)  # the GraphiQL page, not a query
            return
        if self.waiting >= self.max_queue and self.slots.locked():
            await self._refuse(send, "queue full", scope["path"])
            return
        if self.slots.locked():
            self.waiting += 1
            try:
                async with asyncio.timeout(self.queue_wait_s):
                    await self.slots.acquire()
            except TimeoutError:
                await self._refuse(send, "no slot within the wait limit", scope["path"])
                return
            finally:
                self.waiting -= 1
        else:
            await self.slots.acquire()  # a free slot: taken at once, no timer to arm and disarm
        started = time.monotonic()
        try:
            await _run_until_disconnect(self.app, scope, receive, send, self._on_cancel, self.max_body)
        finally:
            self.slots.release()
            self._service_s = 0.9 * self._service_s + 0.1 * (time.monotonic() - started)

    def _on_cancel(self) -> None:
        self.cancelled += 1

    def retry_after_s(self) -> int:
        """Roughly how long the queue ahead takes to drain, at least one second."""
        return max(1, math.ceil((self.waiting + self.max_inflight) * self._service_s / self.max_inflight))

    async def _refuse(self, send: Send, why: str, path: str = "") -> None:
        self.shed += 1
        if path.startswith("/cypher"):  # /cypher's errors are {"error": ...} (docs/cypher.md)
            body = b'{"error":"the service is busy (' + why.encode() + b'); retry after Retry-After seconds"}'
        else:
            body = (
                b'{"errors":[{"message":"the service is busy; retry after the Retry-After delay",'
                b'"extensions":{"code":"OVERLOADED","reason":"' + why.encode() + b'"}}]}'
            )
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"retry-after", str(self.retry_after_s()).encode()),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bool]:
    """The request's body messages, read ahead; False when it ended in a disconnect or passed `limit`."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, True
        if size > limit:
            return messages, False


async def _run_until_disconnect(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    on_cancel: Callable[[], None],
    max_body: int,
) -> None:
    """Run the request, and cancel it if the client disconnects before the answer is complete.

    The body is read ahead (GraphQL documents are small; past `max_body` the request simply runs
    unwatched and the app applies its own size limit), replayed to the app, and from then on a watcher
    owns `receive` and waits for `http.disconnect`. Cancelling the app's task makes the driver close the
    connection of the open transaction, and Neo4j rolls the transaction back."""
    buffered, complete = await _read_body(receive, max_body)
    if not complete:
        replay = iter(buffered)

        async def passthrough() -> Message:
            return next(replay, None) or await receive()

        await app(scope, passthrough, send)
        return
    disconnected = asyncio.Event()
    response_done = False
    pending = list(buffered)
    current = asyncio.current_task()
    assert current is not None
    cancelled_here = False

    async def wrapped_receive() -> Message:
        if pending:
            return pending.pop(0)
        await disconnected.wait()  # the app asks again only to learn of a disconnect
        return {"type": "http.disconnect"}

    async def wrapped_send(message: Message) -> None:
        nonlocal response_done
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            response_done = True
        await send(message)

    async def watch() -> None:
        nonlocal cancelled_here
        while (await receive())["type"] != "http.disconnect":
            pass
        disconnected.set()
        # A disconnect after the whole answer went out is the connection's normal end: let the app finish.
        if not response_done:
            cancelled_here = True
            current.cancel()

    # The app runs in this task and the watcher in another, which cancels this one on a disconnect
    # (one task per request, not two: 20 against 60 microseconds here).
    watcher = asyncio.ensure_future(watch())
    try:
        await app(scope, wrapped_receive, wrapped_send)
    except asyncio.CancelledError:
        if not cancelled_here or current.uncancel() > 0:
            raise  # cancelled from outside (shutdown), not by the client's going
        on_cancel()
    else:
        if cancelled_here:
            current.uncancel()  # the app caught the cancellation itself and finished
    finally:
        watcher.cancel()


class HeadJoiningTransport:
    """A connection's transport that holds a response's head (status line and headers) back until the
    body's first write, and sends both in one write.

    uvicorn writes the head when the app sends `http.response.start` and the body at
    `http.response.body`: two sends on loopback for every answer, and the client woken twice (once to
    parse a head it cannot use yet). At c=1 the head's send alone took a median 0.12-0.24 ms of a
    depth-2 request on the bench graph (tests/bench/bench_api_timeline.py). A held head that no write
    follows within the event loop's iteration (a response whose body comes later, a `100 Continue`) is
    sent at the end of that iteration, so nothing waits on a body that is not coming yet; the order of
    the bytes never changes. Everything but writing passes through to the transport."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        held = self._held
        if held is not None:
            self._held = None
            # One buffer (copying 240 kB takes tens of microseconds): uvloop's `writelines` of the two
            # took 6-7 ms for a depth-2 answer here.
            self._transport.write(held + data)
        elif data[:5] == b"HTTP/" and data[-4:] == b"\r\n\r\n":
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def writelines(self, chunks: Any) -> None:
        self.flush()
        self._transport.writelines(chunks)

    def flush(self) -> None:
        """Send a held head now."""
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.flush()
        self._transport.set_protocol(protocol)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class HeadJoiningHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol writing each response's head and body in one send
    (`HeadJoiningTransport`); `kg serve` runs it (`HTTP_PROTOCOL`)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        joined = HeadJoiningTransport(transport, asyncio.get_running_loop())
        super().connection_made(joined)  # type: ignore[arg-type]


#: The HTTP protocol `kg serve` gives uvicorn.
HTTP_PROTOCOL = HeadJoiningHttpToolsProtocol


def build_app(
    settings: Settings | None = None, *, recover_jobs: bool = True, migrate_schema: bool = True
) -> FastAPI:
    """The API app with admission control in front of its Neo4j-backed routes."""
    settings = settings or get_settings()
    app = create_app(settings, recover_jobs=recover_jobs, migrate_schema=migrate_schema)
    app.add_middleware(
        AdmissionControl,  # type: ignore[arg-type]
        max_inflight=settings.max_inflight,
        max_queue=settings.max_queue,
        queue_wait_s=settings.queue_wait_s,
        max_body=settings.max_request_bytes,
    )
    return app


def listening_sockets(host: str, port: int, count: int, backlog: int) -> list[socket.socket]:
    """`count` sockets listening on one address, each for one worker (SO_REUSEPORT where the system
    has it, so the kernel spreads new connections over them; else one socket that every worker shares).

    With one socket shared by every worker, whichever worker's event loop wakes first accepts a burst of
    connections, and keep-alive clients stay where they landed: under c=16 `responses` one worker did 86%
    of the work while the other idled (0.32 against 2.05 s of CPU), so two workers served about one
    core's worth. With a socket each, the kernel hashes each new connection to one of them."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    reuse_port = getattr(socket, "SO_REUSEPORT", None)
    # SO_REUSEPORT would also let these sockets join another `kg serve`'s on the same port and split its
    # traffic; a plain bind first refuses a port that anything listens on, as a single socket would.
    with socket.socket(family=family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        port = probe.getsockname()[1]
    sockets: list[socket.socket] = []
    try:
        for _ in range(count if reuse_port is not None else 1):
            sock = socket.socket(family=family)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if reuse_port is not None:
                sock.setsockopt(socket.SOL_SOCKET, reuse_port, 1)
            sock.bind((host, port))
            sock.listen(backlog)
            sock.set_inheritable(True)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class BalancedMultiprocess(Multiprocess):
    """uvicorn's worker supervisor, with worker `i` accepting on its own socket `i` (`listening_sockets`),
    also when the supervisor replaces it (a worker that died or missed its health check) and on a restart
    (SIGHUP): the replacement takes over socket `i` and the connections queued on it. (With uvicorn's own
    replacement, the new worker listened on every socket, and the spread was uneven until the next
    start.) A worker added with SIGTTIN, past the sockets there are, listens on all of them."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets=sockets)

    def sockets_of(self, index: int) -> list[socket.socket]:
        """The sockets worker `index` accepts on: its own, when each worker has one."""
        if len(self.sockets) >= self.processes_num and index < len(self.sockets):
            return [self.sockets[index]]
        return self.sockets

    def init_processes(self) -> None:
        for index in range(self.processes_num):
            process = Process(self.config, self.sockets_of(index))
            process.start()
            self.processes.append(process)

    def keep_subprocess_alive(self) -> None:
        # uvicorn's loop, with the replacement given the socket of the worker it replaces.
        if self.should_exit.is_set():
            return
        for index, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung, or already gone
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # It failed before serving: the app or the socket is broken, and every restart would fail.
                logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            replacement = Process(self.config, self.sockets_of(index))
            replacement.start()
            self.processes[index] = replacement

    def restart_all(self) -> None:
        # uvicorn's restart (each replacement ready before its worker retires), socket by socket.
        for index, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = Process(self.config, self.sockets_of(index))
            new.start()
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(
                        f"New child process [{new.pid}] was not ready in time; "
                        f"keeping worker [{old.pid}] and aborting the restart."
                    )
                return
            old.terminate()
            old.join()
            self.processes[index] = new


def freeze_startup_heap() -> None:
    """Move everything built so far (modules, the schema, the app) out of the garbage collector's view.

    None of it is ever garbage, but the collector's oldest generation re-scanned all of it: in one
    process with the app's imports and schema, 5,000 `{ __typename }` executions ran 200 collections
    taking 185-190 ms, about 37 microseconds a request; after `gc.freeze()`, 55-101 ms. Requests' own
    garbage is collected as before."""
    gc.collect()
    gc.freeze()


def worker_app() -> FastAPI:
    """uvicorn's app factory in each worker process: settings from the environment `kg serve` set up; the
    parent applied the migration, and job sweeps are safe to run in every worker (they skip live owners)."""
    app = build_app(get_settings(), migrate_schema=False)
    freeze_startup_heap()
    return app
