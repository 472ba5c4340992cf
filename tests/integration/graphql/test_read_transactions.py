"""The API's reads (`CypherExecutor.read`, auto-commit transactions) against a real Neo4j: a read whose
request is cancelled ends its transaction, and the service timeout ends a read that runs too long,
without the read being tried again."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from neo4j import AsyncDriver
from neo4j.exceptions import Neo4jError
from slow_reads import running, slow_query

from app.config import Settings
from app.graphql.context import CypherExecutor

pytestmark = pytest.mark.integration

MARKER = "kg-test-read-transaction"
SLOW = slow_query(MARKER)


async def _running(driver: AsyncDriver, db: str) -> int:
    return await running(driver, db, MARKER)


async def test_a_cancelled_read_ends_its_transaction(driver: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    executor = CypherExecutor(driver, db, timeout_s=60)
    read = asyncio.ensure_future(executor.read(SLOW))
    deadline = time.monotonic() + 10
    while await _running(driver, db) == 0:
        assert time.monotonic() < deadline, "the slow read never started"
        await asyncio.sleep(0.1)
    read.cancel()  # what admission control does when the client disconnects
    with pytest.raises(asyncio.CancelledError):
        await read
    gone_by = time.monotonic() + 5
    while await _running(driver, db) > 0:
        assert time.monotonic() < gone_by, "the transaction outlived its cancelled read by 5 s"
        await asyncio.sleep(0.1)


class CountingSessions:
    """The real driver, counting the sessions (one per attempt) a read opens."""

    def __init__(self, driver: AsyncDriver) -> None:
        self.driver = driver
        self.execute_query_bookmark_manager = driver.execute_query_bookmark_manager
        self.opened = 0

    def session(self, **config: Any) -> Any:
        self.opened += 1
        return self.driver.session(**config)


async def test_the_service_timeout_ends_a_long_read_once(driver: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    sessions = CountingSessions(driver)
    executor = CypherExecutor(sessions, db, timeout_s=1.0)  # type: ignore[arg-type]
    with pytest.raises(Neo4jError) as failure:
        await executor.read(SLOW)
    assert "TransactionTimedOut" in (failure.value.code or ""), failure.value
    assert sessions.opened == 1, "a timed-out read was tried again"
    assert await _running(driver, db) == 0


async def test_a_read_answers_in_one_attempt(driver: AsyncDriver, settings: Settings) -> None:
    sessions = CountingSessions(driver)
    executor = CypherExecutor(sessions, settings.neo4j_database, timeout_s=10)  # type: ignore[arg-type]
    records = await executor.read("UNWIND range(1, $n) AS x RETURN x", n=3)
    assert [r["x"] for r in records] == [1, 2, 3]
    assert sessions.opened == 1 and executor.calls == 1
