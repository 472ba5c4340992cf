"""Jobs through a database outage: a queued API job waits and runs when the database returns; a running
one cut off is failed with the reason, recorded once the database answers again.

The outage is real for the job: its driver reaches the real Neo4j through a TCP relay on loopback that the
test cuts (every connection reset, the port closed) and restores on the same port."""

from __future__ import annotations

import asyncio
import secrets
import time
from urllib.parse import urlparse

import pytest
from bolt_relay import Relay
from neo4j import AsyncDriver

import app.ingest_service as service
from app.config import Settings
from graph.driver import open_driver
from ingest.jobs import JobState, JobStatus

pytestmark = pytest.mark.integration

JOB_SIZE = 400


def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def story(t: str, n: int) -> dict[str, str]:
    return {
        "title": f"Budget fight {n} {t}",
        "text": (
            f"Governor Maria Quell{t} criticized Senator Paul Varn{t} on Tuesday over budget number {n}. "
            f"'This budget abandons our schools,' Quell{t} said at a press conference in the capital. "
            f"Varn{t} defended the plan and said the cuts were needed to balance the books on day {n}."
        ),
    }


async def relayed(settings: Settings) -> tuple[Relay, AsyncDriver, Settings]:
    target = urlparse(settings.bolt_uri)
    relay = Relay(target.hostname or "127.0.0.1", target.port or 7687)
    await relay.restore()
    via = settings.model_copy(update={"neo4j_uri": relay.uri})
    # As the API opens it: a short retry budget, so an outage surfaces in seconds.
    driver = open_driver(via.connection, connection_timeout=2.0, max_transaction_retry_time=1.0)
    return relay, driver, via


async def wait_for(driver: AsyncDriver, db: str, job_id: str, within_s: float, done: object) -> JobState:
    deadline = time.monotonic() + within_s
    while True:
        state = await service.get_job(driver, db, job_id)
        assert state is not None
        if done(state) or time.monotonic() > deadline:  # type: ignore[operator]
            return state
        await asyncio.sleep(0.25)


async def test_a_queued_job_waits_for_the_database_and_runs_when_it_returns(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    db = settings.neo4j_database
    relay, driver, via = await relayed(settings)
    try:
        job_id = await service.submit_texts(driver, via, [story(tok(), 1)])
        relay.cut()  # before the job's task has taken a step
        await asyncio.sleep(4)
        state = await service.get_job(clean_graph, db, job_id)
        assert state is not None and state.status is JobStatus.QUEUED
        await relay.restore()
        state = await wait_for(clean_graph, db, job_id, 90, lambda s: s.status.finished)
        assert state.status is JobStatus.SUCCEEDED, state
        assert state.ingested == 1
    finally:
        relay.cut()
        await driver.close()


async def test_a_running_job_cut_off_by_an_outage_is_failed_with_the_reason_once_it_returns(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    db = settings.neo4j_database
    relay, driver, via = await relayed(settings)
    t = tok()
    try:
        # Large enough that the job cannot finish between two progress saves (once a second) on a fast
        # machine; with 40 short stories it once did, and the outage came after the job had succeeded.
        job_id = await service.submit_texts(driver, via, [story(t, n) for n in range(JOB_SIZE)])
        state = await wait_for(clean_graph, db, job_id, 120, lambda s: s.processed >= 1 or s.status.finished)
        assert state.status is JobStatus.RUNNING, state
        relay.cut()
        await asyncio.sleep(4)
        await relay.restore()
        state = await wait_for(clean_graph, db, job_id, 90, lambda s: s.status.finished)
        assert state.status is JobStatus.FAILED, state
        assert state.errors[-1].code == service.DB_GONE_CODE
        assert "database became unavailable" in state.errors[-1].message
        assert 1 <= state.processed < JOB_SIZE
    finally:
        relay.cut()
        await driver.close()
