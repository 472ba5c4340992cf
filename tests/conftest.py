"""Shared fixtures. Integration tests talk to the real Neo4j named by NEO4J_URI (`make test` starts one)."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from neo4j import AsyncDriver

from app.config import Settings
from graph.driver import open_driver, wait_until_ready
from graph.schema import migrate

# Helpers shared by test modules in different folders (bolt_relay) import as top-level modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))

SNAPSHOT = "MATCH (n) RETURN collect(elementId(n)) AS ids"
DELETE_NEW = "MATCH (n) WHERE NOT elementId(n) IN $before DETACH DELETE n"
SNAPSHOT_RELS = "MATCH ()-[r]->() RETURN collect(elementId(r)) AS ids"
DELETE_NEW_RELS = "MATCH ()-[r]->() WHERE NOT elementId(r) IN $before DELETE r"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Without a Neo4j, integration tests are skipped on a laptop, but never under `make test`.
    if os.environ.get("NEO4J_URI") or os.environ.get("KG_REQUIRE_NEO4J"):
        return
    skip = pytest.mark.skip(reason="NEO4J_URI is not set (run `make test`)")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(KG_ENV="test")  # type: ignore[call-arg]


@pytest.fixture(scope="session")
async def driver(settings: Settings) -> AsyncIterator[AsyncDriver]:
    drv = open_driver(settings.connection)
    await wait_until_ready(drv, settings.bolt_uri, timeout=60)
    await migrate(drv, settings.neo4j_database)
    yield drv
    await drv.close()


@pytest.fixture
async def clean_graph(driver: AsyncDriver, settings: Settings) -> AsyncIterator[AsyncDriver]:
    """The driver, plus removal of every node and relationship the test created (and nothing else)."""
    db = settings.neo4j_database
    nodes, _, _ = await driver.execute_query(SNAPSHOT, database_=db)
    rels, _, _ = await driver.execute_query(SNAPSHOT_RELS, database_=db)
    yield driver
    await driver.execute_query(DELETE_NEW_RELS, before=rels[0]["ids"], database_=db)
    await driver.execute_query(DELETE_NEW, before=nodes[0]["ids"], database_=db)
