"""Driver lifecycle: one async driver per process, opened by the caller (the API lifespan, the CLI)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncSession, NotificationDisabledClassification
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from graph.errors import Neo4jUnavailable

SERVER_INFO = "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS version, edition"


@dataclass(frozen=True)
class ConnectionInfo:
    uri: str
    user: str
    password: str
    database: str = "neo4j"


# "Unrecognized" notices name a label, relationship type or property key the database has not seen yet:
# on an empty or young graph every query of the service gets them (`extractor_version` before the first
# article, `Office` before the first office), and they are logged as warnings. The service's Cypher is
# fixed and tested, so they carry nothing; every other class (deprecations, performance, ...) stays on.
QUIET_CLASSIFICATIONS = [NotificationDisabledClassification.UNRECOGNIZED]


def open_driver(conn: ConnectionInfo, *, connection_timeout: float = 5.0, **config: object) -> AsyncDriver:
    """The process's driver; `config` overrides the defaults (e.g. `notifications_min_severity="OFF"`).

    Its sessions and `execute_query` share one bookmark manager (`share_bookmarks`), so on a cluster a
    read that follows a write, routed to any member, waits until that member has the write."""
    if "notifications_min_severity" not in config:
        config.setdefault("notifications_disabled_classifications", QUIET_CLASSIFICATIONS)
    driver = AsyncGraphDatabase.driver(
        conn.uri,
        auth=(conn.user, conn.password),
        connection_timeout=connection_timeout,
        max_connection_pool_size=100,
        **config,  # type: ignore[arg-type]
    )
    return share_bookmarks(driver)


def share_bookmarks(driver: AsyncDriver) -> AsyncDriver:
    """Make every session of `driver` use the bookmark manager its `execute_query` uses.

    `execute_query` chains its bookmarks by default, but a plain `driver.session()` starts with none, so a
    write in a session (the writer's transactions) and a read through `execute_query` were not causally
    ordered: a follower could answer the read before it had applied the write. The driver has no setting
    for a default session bookmark manager, hence this wrapper; a caller that passes its own
    `bookmark_manager` (or `None`) keeps it."""
    manager = driver.execute_query_bookmark_manager
    open_session = driver.session

    def session(**config: Any) -> AsyncSession:
        config.setdefault("bookmark_manager", manager)
        return open_session(**config)

    driver.session = session  # type: ignore[method-assign]
    return driver


async def wait_until_ready(driver: AsyncDriver, uri: str, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until Bolt answers; an auth failure is final, an unreachable server is retried."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            await driver.verify_connectivity()
            return
        except AuthError as exc:
            raise Neo4jUnavailable(uri, f"authentication failed: {exc.message}") from exc
        except (ServiceUnavailable, OSError, Neo4jError) as exc:
            last = exc
            await asyncio.sleep(0.5)
    raise Neo4jUnavailable(uri, str(last) if last else "timed out")


async def server_info(driver: AsyncDriver, database: str) -> dict[str, str]:
    records, _, _ = await driver.execute_query(SERVER_INFO, database_=database, routing_="r")
    record = records[0]
    return {"version": record["version"], "edition": record["edition"]}
