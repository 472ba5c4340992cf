"""A read that keeps Neo4j busy far longer than a test waits, tagged so the test can see whether its
transaction is still running (shared by the tests that check reads end when their client goes)."""

from __future__ import annotations

from neo4j import AsyncDriver

RUNNING = (
    "SHOW TRANSACTIONS YIELD currentQuery "
    "WHERE currentQuery CONTAINS $marker AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*) AS n"
)


def slow_query(marker: str) -> str:
    """About 20 s of Neo4j's time on this machine."""
    return f"UNWIND range(1, 100000000) AS x WITH x WHERE x = -1 RETURN count(x) AS n // {marker}"


async def running(driver: AsyncDriver, db: str, marker: str) -> int:
    """How many transactions carrying the marker are running."""
    records, _, _ = await driver.execute_query(RUNNING, marker=marker, database_=db)
    return int(records[0]["n"])
