"""Fixtures for the GraphQL and /cypher tests: the app on an ASGI client, and a small Krasner graph."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from neo4j import AsyncDriver

# The test modules here share `kg_fixture`; make it importable however pytest was started.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from kg_fixture import API_TOKEN, Api, KrasnerGraph, build_graph  # noqa: E402

from app.config import Settings
from app.main import create_app


@pytest.fixture(scope="session")
def api_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"api_token": API_TOKEN})


@pytest.fixture(scope="session")
async def api(api_settings: Settings, driver: AsyncDriver) -> AsyncIterator[Api]:
    app = create_app(api_settings, recover_jobs=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(app, client)


@pytest.fixture(scope="session")
async def seeded(driver: AsyncDriver, settings: Settings) -> AsyncIterator[None]:
    """The seeds through the real pipeline (a no-op when already there); what this added goes afterwards."""
    from app.ingest_service import ingest_paths

    db = settings.neo4j_database
    before, _, _ = await driver.execute_query("MATCH (n) RETURN collect(elementId(n)) AS ids", database_=db)
    report = await ingest_paths(driver, settings, [settings.seeds_dir], workers=1)
    assert not getattr(report, "failed", 0), report
    yield
    await driver.execute_query(
        "MATCH (n) WHERE NOT elementId(n) IN $before DETACH DELETE n", before=before[0]["ids"], database_=db
    )


@pytest.fixture
async def kg(clean_graph: AsyncDriver, settings: Settings) -> KrasnerGraph:
    return await build_graph(clean_graph, settings.neo4j_database)
