"""Request bodies are bounded before anything parses them on the event loop.

`json.loads` is one C call that holds the GIL from start to end: a 14 MB body of a million short list
items took 0.3-1.2 s on this machine, and every other request of the worker (`/health` included) waited
that long. A thread does not help (the GIL is never released inside the call), so `BodyGuard`:

- refuses a body above `KG_MAX_REQUEST_BYTES` with 413 before reading it (its Content-Length), or as soon
  as the bytes read pass the limit (a chunked body);
- hands a body above `PARSE_ON_LOOP_BYTES` (64 KB) to a helper process (`python -m app.request_body`, one
  per worker, started when first needed), which parses it and counts its JSON values; a body holding more
  values than the variables may (`KG_MAX_VARIABLE_VALUES`, plus a few for the request's own fields) is
  refused with 413, an unparseable one with 400. The worker's loop meanwhile only moves bytes;
- passes everything else through, replayed as it was received. What is left for the app's own parse is
  at most `KG_MAX_VARIABLE_VALUES` values and long strings, which `json.loads` reads quickly.

The helper process imports nothing but the standard library (this module has no other imports), so it
costs a bare interpreter's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import struct
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Bodies up to this size are parsed by the app on the loop as they are: at worst 32,000 values,
#: a few milliseconds of `json.loads`.
PARSE_ON_LOOP_BYTES = 64 * 1024
#: Values a request may hold beyond its variables: the body object, `query`, `operationName`,
#: `extensions` and what they hold.
ENVELOPE_VALUES = 64
#: How long the helper may take over one body before the request is refused and the helper replaced.
CHECK_TIMEOUT_S = 30.0
#: Paths whose bodies are JSON parsed by the app.
JSON_PATHS = ("/graphql", "/cypher")

_LENGTH = struct.Struct("!Q")


def count_values(value: Any, budget: int) -> int:
    """How many JSON values `value` holds (itself, every list item, every object member), counting no
    further than just past `budget`."""
    count = 0
    stack = [value]
    while stack and count <= budget:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return count


def census(body: bytes, budget: int) -> str:
    """The helper's answer for one body: `ok N`, `over N` (N just past `budget`), or `invalid <why>`."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return f"invalid {type(exc).__name__}: {str(exc)[:200]}".replace("\n", " ")
    n = count_values(value, budget)
    return f"{'over' if n > budget else 'ok'} {n}"


def helper_main() -> None:
    """The helper process: length-prefixed bodies and a budget in on stdin, one line out per body."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops kg serve, which closes our stdin
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(_LENGTH.size * 2)
        if len(head) < _LENGTH.size * 2:
            return  # the worker is gone
        size, budget = _LENGTH.unpack(head[: _LENGTH.size])[0], _LENGTH.unpack(head[_LENGTH.size :])[0]
        body = stdin.read(size)
        if len(body) < size:
            return
        stdout.write(census(body, budget).encode() + b"\n")
        stdout.flush()
        del body


class BodyCensus:
    """One helper process for this worker, started on first use; its checks are serialized."""

    def __init__(self) -> None:
        self._proc: asyncio.subprocess.Process | None = None
        self._lock = asyncio.Lock()

    async def _helper(self) -> asyncio.subprocess.Process:
        if self._proc is None or self._proc.returncode is not None:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-I",
                "-m",
                "app.request_body",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
            )
        return self._proc

    async def check(self, body: bytes, budget: int) -> tuple[str, str]:
        """`("ok" | "over", count)` or `("invalid", why)`; raises `TimeoutError`/`OSError` when the helper
        fails (it is then replaced on the next check)."""
        async with self._lock:
            proc = await self._helper()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                async with asyncio.timeout(CHECK_TIMEOUT_S):
                    proc.stdin.write(_LENGTH.pack(len(body)) + _LENGTH.pack(budget))
                    proc.stdin.write(body)
                    await proc.stdin.drain()
                    line = await proc.stdout.readline()
                if not line:
                    raise OSError("the body-check helper exited")
            except BaseException:
                await self.close()
                raise
        verdict, _, detail = line.decode().rstrip("\n").partition(" ")
        return verdict, detail

    async def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            with contextlib.suppress(Exception):
                await proc.wait()


class BodyGuard:
    """ASGI middleware: the byte limit before reading, the value count off the loop before parsing."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_values: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_values = max_values
        self.census = BodyCensus()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._too_large(send, path, f"{declared:,} bytes")
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                await self.app(scope, _replay(messages, receive), send)  # a disconnect: let the app see it
                return
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._too_large(send, path, f"more than {self.max_bytes:,} bytes")
                return
            if not message.get("more_body", False):
                break
        if size > PARSE_ON_LOOP_BYTES and path.startswith(JSON_PATHS):
            body = b"".join(m.get("body", b"") for m in messages)
            messages = [{"type": "http.request", "body": body, "more_body": False}]
            refusal = await self._check(body, path)
            del body
            if refusal is not None:
                await send_error(send, path, *refusal)
                return
        await self.app(scope, _replay(messages, receive), send)

    async def _check(self, body: bytes, path: str) -> tuple[int, str, str] | None:
        budget = self.max_values + ENVELOPE_VALUES
        try:
            verdict, detail = await self.census.check(body, budget)
        except (TimeoutError, OSError):
            return 503, "OVERLOADED", "the request body could not be checked in time; retry later"
        if verdict == "over":
            what = "params" if path.startswith("/cypher") else "variables"
            return (
                413,
                "LIMIT_EXCEEDED",
                f"the request body holds more than {budget:,} JSON values; the limit is "
                f"{self.max_values:,} values in its {what} (KG_MAX_VARIABLE_VALUES) and {ENVELOPE_VALUES} "
                "for the rest; page through long lists instead",
            )
        if verdict == "invalid":
            return 400, "BAD_REQUEST", f"the request body is not JSON ({detail})"
        return None

    async def _too_large(self, send: Send, path: str, size: str) -> None:
        await send_error(
            send,
            path,
            413,
            "LIMIT_EXCEEDED",
            f"the request body is {size}; the limit is {self.max_bytes:,} bytes (KG_MAX_REQUEST_BYTES)",
        )


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def send_error(send: Send, path: str, status: int, code: str, message: str) -> None:
    """The refusal in the endpoint's own error shape: `/cypher`'s `{"error"}`, GraphQL's `{"errors"}`."""
    if path.startswith("/cypher"):
        payload: dict[str, Any] = {"error": message}
    else:
        payload = {"errors": [{"message": message, "extensions": {"code": code}}]}
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 503:
        headers.append((b"retry-after", b"1"))
    if status == 413:
        headers.append((b"connection", b"close"))  # the rest of an unread body is not worth reading
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


if __name__ == "__main__":
    helper_main()
