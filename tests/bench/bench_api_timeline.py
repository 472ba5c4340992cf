"""Where one request's wall time goes at concurrency 1: the API over HTTP against the raw driver running
the same statement, as a timeline of marks.

The API server runs in a subprocess started by this script (`--serve PORT`: the app `kg serve` builds for
one worker, on the same uvicorn event loop and HTTP parser, with probes added). Both processes read one
clock (`time.perf_counter_ns`, CLOCK_MONOTONIC on Linux), so the marks of one request line up across the
client and the server:

    client sends -> server woken -> app entered -> lane -> execution -> the resolver's read ->
    Bolt RUN + PULL written -> RUN answered -> the record's first bytes -> record decoded ->
    summary decoded -> records listed -> answer built -> encoded -> head and body written ->
    client's first body bytes -> last bytes -> client parsed

The driver baseline (an auto-commit read through `CypherExecutor`, as `bench_api.py`'s floor, with the
statement and parameters the API sent, found by running the document in process) gets the same Bolt
probes in this process, from the call to the records listed. The two alternate request by request.
Printed: the median of each step per side, the medians of the parts before, during and after the read
and of the totals, and per request the server's CPU (all of it, and the answer's build), the garbage
collector's passes and time, the Bolt and HTTP bytes. The probes cost a few microseconds per mark on
either side. Loopback only, bounded in count. `TIMELINE_HTTP=httptools` serves with uvicorn's own HTTP
protocol instead of `kg serve`'s, `TIMELINE_LOOP=asyncio` without uvloop.

Run: `tests/with_neo4j.sh .venv/bin/python tests/bench/bench_api_timeline.py [--workload depth2]`
(the seeds and `--articles` generated articles are loaded when the graph has no article), or with
`NEO4J_URI` set to a graph already loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import httptools
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from app.config import PROJECT_ROOT, Settings  # noqa: E402

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
TIMELINE_PATH = "/__timeline"

# Marks of the request in progress, as (name, ns); one request at a time (concurrency 1).
_marks: list[tuple[str, int]] = []
_done: list[list[tuple[str, int]]] = []
_bolt: dict[str, int] = {}


def mark(name: str) -> None:
    _marks.append((name, time.perf_counter_ns()))


def install_driver_probes() -> None:
    """Marks for the Bolt side of a read, in whichever process calls this, at the socket: the first
    write of the statement's messages (RUN + PULL in one write for an auto-commit read), each arrival of
    bytes from Neo4j (`in1`: RUN's answer; `in2`: the first bytes of the records), the record and the
    summary decoded (the driver's inbox), with the count of arrivals and of bytes."""
    import asyncio.streams

    from neo4j._async.io._bolt._common import AsyncInbox
    from neo4j._async_compat.network._bolt_socket import AsyncBoltSocketBase

    sendall = AsyncBoltSocketBase.sendall
    data_received = asyncio.streams.StreamReaderProtocol.data_received
    pop = AsyncInbox.pop

    async def timed_sendall(self: Any, data: bytes) -> Any:
        if not _bolt.get("sent"):
            _bolt["sent"] = 1
            mark("bolt_send")
        return await sendall(self, data)

    def timed_data_received(self: Any, data: bytes) -> None:
        _bolt["arrivals"] = _bolt.get("arrivals", 0) + 1
        _bolt["bytes"] = _bolt.get("bytes", 0) + len(data)
        mark(f"in{_bolt['arrivals']}")
        data_received(self, data)

    async def timed_pop(self: Any, hydration_hooks: Any) -> Any:
        tag, fields = await pop(self, hydration_hooks)
        if bytes(tag) == b"\x71":
            mark("record_decoded")
        elif bytes(tag) == b"\x70":
            mark("summary_decoded" if _bolt.get("run_ok") else "run_decoded")
            _bolt["run_ok"] = 1
        return tag, fields

    AsyncBoltSocketBase.sendall = timed_sendall  # type: ignore[method-assign]
    asyncio.streams.StreamReaderProtocol.data_received = timed_data_received  # type: ignore[method-assign]
    AsyncInbox.pop = timed_pop  # type: ignore[method-assign]


def install_gc_probe() -> None:
    """The garbage collector's passes and their time, summed per request (`gc.callbacks`)."""
    import gc

    started = [0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter_ns()
        else:
            _gc[0] += 1
            _gc[1] += time.perf_counter_ns() - started[0]

    gc.callbacks.append(on_gc)


_gc = [0, 0]
_cpu: dict[str, int] = {}


def _gc_summary() -> list[tuple[str, int]]:
    out = [("#gc_passes", _gc[0]), ("#gc_us", _gc[1] // 1000)]
    _gc[0] = _gc[1] = 0
    return out


def _bolt_summary() -> list[tuple[str, int]]:
    out = [("#arrivals", _bolt.get("arrivals", 0)), ("#bolt_bytes", _bolt.get("bytes", 0))]
    _bolt.clear()
    return out


# ---------------------------------------------------------------------------------------------- server


class TimelineApp:
    """The app, with the request's marks and `GET /__timeline` answering (and clearing) those kept."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == TIMELINE_PATH:
            body = orjson.dumps(_done)
            _done.clear()
            _marks.clear()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": body})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        mark("app_in")
        await self.app(scope, receive, send)


def serve(port: int) -> None:
    """The app `kg serve` runs with one worker (`build_app`, uvicorn's default event loop and HTTP
    parser, the start-up heap frozen), with probes."""
    import uvicorn
    from uvicorn.protocols.http import httptools_impl

    import app.graphql.fast_lane as fast_lane
    from app.config import get_settings
    from app.graphql.context import CypherExecutor
    from app.serving import HTTP_PROTOCOL, build_app, freeze_startup_heap

    install_driver_probes()
    install_gc_probe()
    protocol = httptools_impl.HttpToolsProtocol
    data_received = protocol.data_received

    def timed_data_received(self: Any, data: bytes) -> None:
        if not _cpu.get("start"):  # a new request: what was marked before it (start-up reads) is not its
            _marks.clear()
            _gc_summary()
            _cpu["start"] = time.thread_time_ns()
            mark("srv_recv")
        data_received(self, data)

    protocol.data_received = timed_data_received  # type: ignore[method-assign]

    cycle = httptools_impl.RequestResponseCycle
    cycle_send = cycle.send

    async def timed_send(self: Any, message: Message) -> None:
        body = message["type"] == "http.response.body"
        if message["type"] == "http.response.start":
            mark("head_write")
        elif body:
            mark("body_write")
        await cycle_send(self, message)  # type: ignore[arg-type]
        if not body:
            mark("head_written")
        if body and _cpu.get("start"):
            mark("body_written")
            _marks.append(("#unsent_bytes", self.transport.get_write_buffer_size()))
            _marks.append(("#body_bytes", len(message.get("body", b""))))
            if not message.get("more_body", False):
                cpu_us = (time.thread_time_ns() - _cpu.pop("start")) // 1000
                _done.append([*_marks, *_gc_summary(), ("#server_cpu_us", cpu_us)])
                _marks.clear()

    cycle.send = timed_send  # type: ignore[method-assign,assignment]

    read = CypherExecutor.read

    async def timed_read(self: Any, cypher: str, **params: Any) -> Any:
        mark("read_in")
        records = await read(self, cypher, **params)
        _marks.extend(_bolt_summary())
        mark("records")
        _cpu["records"] = time.thread_time_ns()
        return records

    CypherExecutor.read = timed_read  # type: ignore[method-assign]

    encode_answer = fast_lane.encode_answer

    def timed_encode(answer: Any, limit: int) -> bytes:
        mark("built")
        _marks.append(("#build_cpu_us", (time.thread_time_ns() - _cpu.get("records", 0)) // 1000))
        _marks.append(("#lists_cpu_us", _cpu.pop("lists", 0) // 1000))
        body = encode_answer(answer, limit)
        mark("encoded")
        return body

    fast_lane.encode_answer = timed_encode  # type: ignore[assignment]

    lane_call = fast_lane.KnownQueryLane.__call__

    async def timed_lane(self: Any, scope: Scope, receive: Any, send: Any) -> None:
        mark("lane_in")
        await lane_call(self, scope, receive, send)

    fast_lane.KnownQueryLane.__call__ = timed_lane  # type: ignore[method-assign]
    execute = fast_lane.execute

    def timed_execute(*args: Any, **kwargs: Any) -> Any:
        mark("execute")
        return execute(*args, **kwargs)

    fast_lane.execute = timed_execute  # type: ignore[assignment]

    from app.graphql.execution import FastExecutionContext

    direct_list = FastExecutionContext._direct_list

    def timed_direct_list(self: Any, *args: Any) -> Any:
        t0 = time.thread_time_ns()
        try:
            return direct_list(self, *args)
        finally:
            _cpu["lists"] = _cpu.get("lists", 0) + time.thread_time_ns() - t0

    FastExecutionContext._direct_list = timed_direct_list  # type: ignore[method-assign,assignment]

    settings = get_settings()
    app = TimelineApp(build_app(settings, migrate_schema=False))
    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=settings.http_keepalive_s,
        loop=os.environ.get("TIMELINE_LOOP", "auto"),
        # as `kg serve`, unless TIMELINE_HTTP names another (uvicorn's own "httptools", say)
        http=os.environ.get("TIMELINE_HTTP") or HTTP_PROTOCOL,
    )
    freeze_startup_heap()
    uvicorn.Server(config).run()


# ---------------------------------------------------------------------------------------------- client


class _Exchange(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection with marks: as `lean_http`'s, plus first and last bytes."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.chunks: list[bytes] = []
        self.reads = 0
        self.parser = httptools.HttpResponseParser(self)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if not self.reads:
            mark("cl_first")
        self.reads += 1
        self.parser.feed_data(data)

    def on_body(self, body: bytes) -> None:
        if not self.chunks:
            mark("cl_body")
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        mark("cl_last")
        assert self.waiter is not None
        self.waiter.set_result((self.parser.get_status_code(), b"".join(self.chunks)))

    async def post(self, raw: bytes) -> tuple[int, bytes]:
        assert self.transport is not None
        self.chunks, self.reads = [], 0
        self.parser = httptools.HttpResponseParser(self)
        self.waiter = asyncio.get_running_loop().create_future()
        mark("cl_send")
        self.transport.write(raw)
        async with asyncio.timeout(60):
            return await self.waiter


BOLT_STEPS = (
    ("bolt_send", "in1", "Neo4j answers RUN (plans, starts)"),
    ("in1", "run_decoded", "RUN's answer decoded"),
    ("run_decoded", "in2", "Neo4j runs, the record's first bytes arrive"),
    ("in2", "record_decoded", "record received + decoded"),
    ("record_decoded", "summary_decoded", "summary received + decoded"),
    ("summary_decoded", "records", "records listed, session closed"),
)
API_STEPS = (
    ("cl_send", "srv_recv", "request on the wire, server woken"),
    ("srv_recv", "app_in", "HTTP parse, ASGI"),
    ("app_in", "lane_in", "app's middleware: admission, body guard, CORS"),
    ("lane_in", "execute", "lane: body read and parsed, limits checked"),
    ("execute", "read_in", "execution up to the resolver's read"),
    ("read_in", "bolt_send", "session, connection, RUN + PULL packed"),
    *BOLT_STEPS,
    ("records", "built", "answer built from the records"),
    ("built", "encoded", "JSON encoded"),
    ("encoded", "head_write", "lane to the response start"),
    ("head_write", "head_written", "headers written"),
    ("head_written", "body_write", "to the body's write"),
    ("body_write", "body_written", "body written"),
    ("body_written", "cl_body", "client woken (first body bytes)"),
    ("cl_body", "cl_last", "client reads the rest"),
    ("cl_last", "cl_parsed", "client parses the JSON"),
)
DRIVER_STEPS = (("call", "bolt_send", "session, connection, RUN + PULL packed"), *BOLT_STEPS)


def steps_of(timeline: list[tuple[str, int]], steps: tuple[tuple[str, str, str], ...]) -> dict[str, float]:
    at: dict[str, int] = {}
    for name, value in timeline:
        at.setdefault(name, value)  # the first of a mark seen twice (a second Bolt write, say)
    out = {label: (at[b] - at[a]) / 1e6 for a, b, label in steps if a in at and b in at}
    first, last = steps[0][0], steps[-1][1]
    out["total"] = (at[last] - at[first]) / 1e6
    start = "read_in" if "read_in" in at else "call"
    out["the read, all of it"] = (at["records"] - at[start]) / 1e6
    out["before the read"] = (at[start] - at[first]) / 1e6
    out["after the read"] = (at[last] - at["records"]) / 1e6
    for name, value in timeline:
        if name.startswith("#"):
            out[name] = value
    return out


def start_probed_server(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "KG_ENV": "test", "KG_WORKERS": "1"},
    )


async def run(args: argparse.Namespace) -> None:
    from bench_api import RESPONSES_GQL, SUBGRAPH_GQL, statement_of, wait_for

    from app.graphql.context import CypherExecutor
    from graph.driver import open_driver
    from graph.launcher import free_port

    documents = {"depth2": SUBGRAPH_GQL, "responses": RESPONSES_GQL}
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    port = free_port()
    server = start_probed_server(port)
    driver = open_driver(settings.connection, notifications_min_severity="OFF")
    install_driver_probes()
    install_gc_probe()
    try:
        await wait_for(f"http://127.0.0.1:{port}/health", server)
        loop = asyncio.get_running_loop()
        _, conn = await loop.create_connection(_Exchange, "127.0.0.1", port)
        floor = CypherExecutor(driver, settings.neo4j_database, timeout_s=10.0)
        for workload in args.workload.split(","):
            document = documents[workload]
            cypher, params = await statement_of(settings, driver, document, None)
            body = orjson.dumps({"query": document})
            raw = (
                f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            client_rows: list[list[tuple[str, int]]] = []
            driver_rows: list[dict[str, float]] = []
            for i in range(args.warmup + args.requests):
                _marks.clear()
                status, answer = await conn.post(raw)
                parsed = orjson.loads(answer)
                mark("cl_parsed")
                if status != 200 or "errors" in parsed:
                    raise SystemExit(f"the API answered {status}: {answer[:300]!r}")
                client_marks = list(_marks)
                _marks.clear()
                _bolt.clear()
                _gc_summary()
                mark("call")
                await floor.read(cypher, **params)
                _marks.extend(_bolt_summary() + _gc_summary())
                mark("records")
                if i >= args.warmup:
                    driver_rows.append(steps_of(list(_marks), DRIVER_STEPS))
                    client_rows.append(client_marks)
                _marks.clear()
            _, fetched = await conn.post(
                f"GET {TIMELINE_PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            )
            server_marks = orjson.loads(fetched)[-(args.warmup + args.requests) :][args.warmup :]
            merged = [
                steps_of(sorted(client + [(name, at) for name, at in srv], key=_order), API_STEPS)
                for client, srv in zip(client_rows, server_marks, strict=True)
            ]
            report(workload, merged, driver_rows)
    finally:
        await driver.close()
        server.terminate()
        server.wait(timeout=60)


def _order(item: tuple[str, int]) -> tuple[int, int]:
    return (1, 0) if item[0].startswith("#") else (0, item[1])


def report(workload: str, api: list[dict[str, float]], drv: list[dict[str, float]]) -> None:
    def med(rows: list[dict[str, float]], key: str) -> float:
        values = [r[key] for r in rows if key in r]
        return statistics.median(values) if values else float("nan")

    print(f"\n{workload}: {len(api)} requests each side, medians (load {os.getloadavg()[0]:.1f})")
    print(f"{'step':50} {'API ms':>8} {'driver ms':>10}")
    driver_labels = {label for _, _, label in DRIVER_STEPS}
    for _, _, label in API_STEPS:
        d = f"{med(drv, label):10.3f}" if label in driver_labels else f"{'':10}"
        print(f"{label:50} {med(api, label):8.3f} {d}")
    for label in ("before the read", "the read, all of it", "after the read"):
        print(f"{label:50} {med(api, label):8.3f} {med(drv, label):10.3f}")
    print(f"{'total (median of totals)':50} {med(api, 'total'):8.3f} {med(drv, 'total'):10.3f}")
    print(f"{'ratio of the medians':50} {med(api, 'total') / med(drv, 'total'):8.2f}")
    for key in (
        "#server_cpu_us",
        "#build_cpu_us",
        "#lists_cpu_us",
        "#gc_passes",
        "#gc_us",
        "#arrivals",
        "#bolt_bytes",
        "#body_bytes",
        "#unsent_bytes",
    ):
        print(f"{key:50} {med(api, key):8.0f} {med(drv, key) if key in drv[0] else '':>10}")
    print(orjson.dumps({"workload": workload, "api": _medians(api), "driver": _medians(drv)}).decode())


def _medians(rows: list[dict[str, float]]) -> dict[str, float]:
    keys = {k for r in rows for k in r}
    return {k: round(statistics.median([r[k] for r in rows if k in r]), 3) for k in sorted(keys)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workload", default="depth2", help="depth2, responses, or both comma-separated")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--articles", type=int, default=300, help="generated articles, if the graph has none")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    from profile_api import ensure_graph

    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    ensure_graph(settings, args.articles)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
