"""BodyGuard: bodies refused by bytes before they are read, by JSON values before the app parses them,
and the rest handed to the app byte for byte; the event loop keeps running while a big body is checked."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.request_body import PARSE_ON_LOOP_BYTES, BodyGuard, Message, census, count_values

MAX_BYTES = 16_000_000
MAX_VALUES = 10_000


class Recorder:
    """The app behind the guard: records the body it was given and answers 200."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        self.bodies.append(b"".join(chunks))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


@pytest.fixture
async def guarded() -> AsyncIterator[tuple[BodyGuard, Recorder]]:
    app = Recorder()
    guard = BodyGuard(app, max_bytes=MAX_BYTES, max_values=MAX_VALUES)
    try:
        yield guard, app
    finally:
        await guard.census.close()


async def post(
    guard: BodyGuard, body: bytes, path: str = "/graphql", *, chunk: int = 0, length: int | None = None
) -> tuple[int, dict[str, Any]]:
    """POST `body` through the guard: in one message, or in `chunk`-byte messages without a length."""
    headers = [(b"content-type", b"application/json")]
    if not chunk:
        headers.append((b"content-length", str(len(body) if length is None else length).encode()))
    parts = [body[i : i + chunk] for i in range(0, len(body), chunk)] if chunk else [body]
    messages: list[Message] = [
        {"type": "http.request", "body": p, "more_body": i < len(parts) - 1} for i, p in enumerate(parts)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # no disconnect while the test runs
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    await guard(scope, receive, send)
    answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], json.loads(answer)


def million_items() -> bytes:
    return json.dumps({"query": "q", "variables": {"t": ["CRITICIZED"] * 1_000_000}}).encode()


def test_census_counts_every_value_and_stops_past_the_budget() -> None:
    body = json.dumps({"query": "q", "variables": {"a": [1, [], {}, {"k": "v"}]}}).encode()
    # the object, query, variables, a, its four items, and k
    assert census(body, 100) == "ok 9"
    assert census(body, 5) == "over 6"
    assert count_values(list(range(1_000_000)), 10) == 11
    assert census(b'{"query": ', 100).startswith("invalid JSONDecodeError")
    assert census(b"[" * 100_000, 100).startswith("invalid RecursionError")


async def test_a_declared_length_above_the_limit_is_refused_before_the_body_is_read(
    guarded: tuple[BodyGuard, Recorder],
) -> None:
    guard, app = guarded
    status, answer = await post(guard, b"{}", length=MAX_BYTES + 1)
    assert status == 413 and app.bodies == []
    assert answer["errors"][0]["message"] == (
        "the request body is 16,000,001 bytes; the limit is 16,000,000 bytes (KG_MAX_REQUEST_BYTES)"
    )


async def test_a_chunked_body_is_refused_once_its_bytes_pass_the_limit(
    guarded: tuple[BodyGuard, Recorder],
) -> None:
    guard, app = guarded
    status, answer = await post(guard, b"x" * (MAX_BYTES + 10), chunk=1_000_000)
    assert status == 413 and app.bodies == []
    assert "KG_MAX_REQUEST_BYTES" in answer["errors"][0]["message"]
    assert answer["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_a_million_item_variable_is_refused_off_the_loop(guarded: tuple[BodyGuard, Recorder]) -> None:
    guard, app = guarded
    body = million_items()
    parse_s = min(_timed(lambda: json.loads(body)) for _ in range(3))
    await post(guard, b'{"query": "' + b"x" * PARSE_ON_LOOP_BYTES + b'"}')  # the helper is up
    lag = 0.0

    async def ticker() -> None:
        nonlocal lag
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.005)
            lag = max(lag, time.perf_counter() - began - 0.005)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)  # the ticker is running before the body arrives
    try:
        status, answer = await post(guard, body, chunk=65_536)
        await asyncio.sleep(0.02)  # the ticker wakes after a stall, if there was one, and measures it
    finally:
        tick.cancel()
    assert status == 413 and len(app.bodies) == 1
    error = answer["errors"][0]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "10,000 values in its variables (KG_MAX_VARIABLE_VALUES)" in error["message"]
    # Parsing it on the loop would have stalled it for `parse_s`; the check must not come close.
    assert lag < 0.25 * parse_s + 0.05, f"the loop stalled {lag:.3f} s (parsing takes {parse_s:.3f} s)"


async def test_a_big_body_within_the_limits_reaches_the_app_byte_for_byte(
    guarded: tuple[BodyGuard, Recorder],
) -> None:
    guard, app = guarded
    text = 'The mayor said, "no," and left.\n' * 60_000
    body = json.dumps({"query": "mutation", "variables": {"i": [{"text": text}] * 5}}).encode()
    assert len(body) > 5_000_000
    status, _ = await post(guard, body, chunk=100_000)
    assert status == 200 and app.bodies == [body]
    small = b'{"query": "{ stats { entities } }"}'
    assert await post(guard, small) == (200, {}) and app.bodies[-1] == small


async def test_an_unparseable_big_body_is_a_bad_request_and_cypher_keeps_its_error_shape(
    guarded: tuple[BodyGuard, Recorder],
) -> None:
    guard, app = guarded
    status, answer = await post(guard, b'{"query": "' + b"x" * 100_000)
    assert status == 400 and answer["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert answer["errors"][0]["message"].startswith("the request body is not JSON (JSONDecodeError")
    body = json.dumps({"query": "RETURN $p", "params": {"p": list(range(20_000))}}).encode()
    status, answer = await post(guard, body, "/cypher")
    assert status == 413 and "10,000 values in its params" in answer["error"]
    assert app.bodies == []


def _timed(fn: Any) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began
