"""`kg serve`'s HTTP protocol sends a response's head and body in one write, and never holds a head back
from a client when no body follows at once."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import httptools
import uvicorn

from app.serving import HTTP_PROTOCOL, HeadJoiningTransport

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"


class RecordingTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def writelines(self, chunks: Any) -> None:
        self.writes.append(b"".join(chunks))

    def get_write_buffer_size(self) -> int:
        return 0

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


async def test_a_head_and_its_body_leave_in_one_write() -> None:
    inner = RecordingTransport()
    joined = HeadJoiningTransport(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
    joined.write(HEAD)
    assert inner.writes == []
    assert joined.get_write_buffer_size() == len(HEAD)
    joined.write(b"hello")
    assert inner.writes == [HEAD + b"hello"]
    await asyncio.sleep(0)  # the end-of-iteration flush finds nothing left to send
    assert inner.writes == [HEAD + b"hello"]


async def test_a_head_with_no_body_yet_leaves_at_the_end_of_the_loop_iteration() -> None:
    inner = RecordingTransport()
    joined = HeadJoiningTransport(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
    joined.write(HEAD)
    await asyncio.sleep(0)
    assert inner.writes == [HEAD]
    joined.write(b"hello")
    assert inner.writes == [HEAD, b"hello"]


async def test_other_writes_pass_at_once_and_close_sends_a_held_head_first() -> None:
    inner = RecordingTransport()
    joined = HeadJoiningTransport(inner, asyncio.get_running_loop())  # type: ignore[arg-type]
    joined.write(b"5\r\nhello\r\n")  # a chunk of a body, not a head
    assert inner.writes == [b"5\r\nhello\r\n"]
    joined.write(HEAD)
    joined.close()
    assert inner.writes == [b"5\r\nhello\r\n", HEAD]
    assert inner.closed
    assert joined.is_closing()  # everything else passes through


async def _answer(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await receive()
    stream = scope["path"] == "/slow"
    headers = [(b"content-type", b"text/plain")]
    if not stream:
        headers.append((b"content-length", b"5"))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    if stream:
        await asyncio.sleep(0.5)  # the body comes later: the client must have the head before it
        await send({"type": "http.response.body", "body": b"late", "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    else:
        await send({"type": "http.response.body", "body": b"hello"})


class _Response:
    def __init__(self) -> None:
        self.status = 0
        self.body = b""
        self.headers_done = False
        self.done = False

    def on_headers_complete(self) -> None:
        self.headers_done = True

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.done = True


async def test_a_real_server_answers_keep_alive_requests_and_streams_a_late_body() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(_answer, host="127.0.0.1", port=port, http=HTTP_PROTOCOL, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn's Server sets a flag, not an event
            await asyncio.sleep(0.01)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(2):  # one connection, kept alive
            writer.write(b"GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            response = _Response()
            parser = httptools.HttpResponseParser(response)
            while not response.done:
                parser.feed_data(await asyncio.wait_for(reader.read(65536), 5))
            assert parser.get_status_code() == 200
            assert response.body == b"hello"
        writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        response = _Response()
        parser = httptools.HttpResponseParser(response)
        parser.feed_data(await asyncio.wait_for(reader.read(65536), 0.4))  # the head, before the body
        assert response.headers_done and not response.body
        while not response.done:
            parser.feed_data(await asyncio.wait_for(reader.read(65536), 5))
        assert response.body == b"late"
        writer.close()
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
