"""Admission control in front of the API: bounded concurrency, 503 + Retry-After instead of a timeout."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from app.config import Settings
from app.serving import AdmissionControl, worker_count


class SlowApp:
    """An ASGI app that holds each request for `hold_s`, counting how many run at once."""

    def __init__(self, hold_s: float) -> None:
        self.hold_s = hold_s
        self.running = 0
        self.peak = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(self.hold_s)
        finally:
            self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


async def _post_many(app: Any, n: int, path: str = "/graphql") -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return list(await asyncio.gather(*(client.post(path, json={"query": "{ x }"}) for _ in range(n))))


async def test_requests_beyond_the_slots_wait_their_turn() -> None:
    inner = SlowApp(0.05)
    guarded = AdmissionControl(inner, max_inflight=2, max_queue=100, queue_wait_s=5)
    answers = await _post_many(guarded, 10)
    assert [a.status_code for a in answers] == [200] * 10
    assert inner.peak == 2


async def test_a_request_that_cannot_start_in_time_gets_503_with_retry_after() -> None:
    inner = SlowApp(0.5)
    guarded = AdmissionControl(inner, max_inflight=1, max_queue=100, queue_wait_s=0.1)
    answers = await _post_many(guarded, 3)
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 503, 503]
    refused = next(a for a in answers if a.status_code == 503)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["errors"][0]["extensions"]["code"] == "OVERLOADED"
    assert guarded.shed == 2


async def test_a_full_queue_is_refused_at_once() -> None:
    inner = SlowApp(0.3)
    guarded = AdmissionControl(inner, max_inflight=1, max_queue=1, queue_wait_s=10)
    loop = asyncio.get_running_loop()
    started = loop.time()
    answers = await _post_many(guarded, 4)
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 200, 503, 503]
    assert loop.time() - started < 2


async def test_health_and_pages_are_not_queued() -> None:
    inner = SlowApp(0.2)
    guarded = AdmissionControl(inner, max_inflight=1, max_queue=0, queue_wait_s=0.01)
    answers = await _post_many(guarded, 3, path="/health")
    assert [a.status_code for a in answers] == [200] * 3


def test_workers_default_to_the_cores_and_kg_workers_sets_them() -> None:
    assert worker_count(Settings(KG_WORKERS=3)) == 3  # type: ignore[call-arg]
    assert worker_count(Settings()) >= 1
