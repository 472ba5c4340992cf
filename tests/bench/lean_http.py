"""A small HTTP/1.1 client for the benches' load: keep-alive connections, one request at a time on each,
responses parsed by httptools (the C parser uvicorn uses; installed with uvicorn[standard]).

httpx costs the bench process about 1.5-2 ms of CPU per request on the 2-core development machine (a
c=1 `responses` request: 1.56 ms of client CPU against the API server's 2.34 ms). That time sat inside
every latency the benches report and, under load, took a core's share from the servers it measured.
This client does only what the benches ask: POST a JSON body to one host, read the status and the body
(with Content-Length or chunked). Both sides of a comparison use it, so neither pays more for the client.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httptools
import orjson


class ConnectionFailed(ConnectionError):
    """The request got no complete answer: refused, reset, or closed before the response ended."""


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.received = False  # any byte of the current answer
        self.waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self.chunks: list[bytes] = []
        self.parser = httptools.HttpResponseParser(self)

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.received = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(f"bad HTTP response: {exc}")

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail("the server closed the connection before the response ended")

    # httptools callbacks
    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        keep_alive = self.parser.should_keep_alive()
        status = self.parser.get_status_code()
        if not keep_alive:
            self.closed = True
            if self.transport is not None:
                self.transport.close()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((status, b"".join(self.chunks)))

    def _fail(self, why: str) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionFailed(why))

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        assert self.transport is not None
        self.chunks = []
        self.received = False
        self.parser = httptools.HttpResponseParser(self)
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(raw)
        return await self.waiter


class LeanClient:
    """POSTs JSON to one `host:port` over a pool of keep-alive connections (as many as requests in flight)."""

    def __init__(self, host: str, port: int, timeout_s: float = 60.0) -> None:
        self.host = host
        self.port = port
        self.timeout_s = timeout_s
        self._idle: list[_Connection] = []
        self._all: set[_Connection] = set()
        self._head = f"Host: {host}:{port}\r\nContent-Type: application/json\r\nAccept: application/json\r\n"

    async def _connection(self) -> tuple[_Connection, bool]:
        """A connection and whether it was reused (kept alive from an earlier request)."""
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed:
                return conn, True
            self._all.discard(conn)
        loop = asyncio.get_running_loop()
        try:
            _, conn = await loop.create_connection(_Connection, self.host, self.port)
        except OSError as exc:
            raise ConnectionFailed(f"cannot connect to {self.host}:{self.port}: {exc}") from exc
        self._all.add(conn)
        return conn, False

    async def post(self, path: str, payload: Any) -> tuple[int, bytes]:
        """(status, body) of a POST of `payload` as JSON to `path`."""
        body = orjson.dumps(payload)
        raw = f"POST {path} HTTP/1.1\r\n{self._head}Content-Length: {len(body)}\r\n\r\n".encode() + body
        for attempt in (1, 2):
            conn, reused = await self._connection()
            try:
                async with asyncio.timeout(self.timeout_s):
                    answer = await conn.request(raw)
                break
            except BaseException as exc:
                # A connection whose request failed or was cut off may still carry part of its answer.
                conn.closed = True
                if conn.transport is not None:
                    conn.transport.close()
                self._all.discard(conn)
                # The server may close an idle keep-alive connection just as a request goes out on it
                # (its keep-alive timeout): no byte came back, so the request is sent again, once, on a
                # new connection, as browsers and httpx do.
                if not (isinstance(exc, ConnectionFailed) and reused and not conn.received and attempt == 1):
                    raise
        if conn.closed:
            self._all.discard(conn)
        else:
            self._idle.append(conn)
        return answer

    async def aclose(self) -> None:
        for conn in self._all:
            if conn.transport is not None:
                conn.transport.close()
        self._all.clear()
        self._idle.clear()
