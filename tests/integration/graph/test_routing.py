"""Clusters: the API's reads through a `neo4j://` routing URI, and reads that follow a session's write.

Against the local single instance, a routing driver first asks the server for its routing table and
then sends reads to the readers it lists, as it would on a cluster. The answers must be the ones a
direct `bolt://` connection gives. The writer writes in sessions; the driver factory makes those
sessions share `execute_query`'s bookmark manager, so a read that follows a write waits for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from app.config import Settings
from app.ingest_service import ingest_paths
from app.main import create_app
from graph.driver import open_driver, wait_until_ready

pytestmark = pytest.mark.integration

READS: dict[str, tuple[str, dict[str, Any]]] = {
    "responses": (
        "query($to: String!) { responses(to: $to) { type responder { id } target { id }"
        " evidence { sentence quote articleId } } }",
        {"to": "Krasner"},
    ),
    "search": ('query { search(text: "Krasner") { edges { node { id name } } } }', {}),
    "subgraph": (
        'query { subgraph(center: "Krasner", depth: 2, limit: 50)'
        " { nodes { id } edges { source target type } } }",
        {},
    ),
    "person": ('query { person(name: "Larry Krasner") { id name aliases } }', {}),
    "stats": ("query { stats { entities assertions } }", {}),
}


def routing_uri(uri: str) -> str:
    scheme, sep, rest = uri.partition("://")
    assert sep and scheme in {"bolt", "neo4j"}, uri
    return f"neo4j://{rest}"


async def answers(settings: Settings) -> dict[str, Any]:
    app = create_app(settings, recover_jobs=False)
    out: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            for name, (query, variables) in READS.items():
                body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
                assert "errors" not in body, (name, body)
                out[name] = body["data"]
    return out


@pytest.fixture
async def seeded_here(clean_graph: AsyncDriver, settings: Settings) -> AsyncIterator[None]:
    report = await ingest_paths(clean_graph, settings, [settings.seeds_dir], workers=1)
    assert not report.failed, report.failed
    yield


async def test_api_reads_through_a_routing_uri_match_direct_reads(
    seeded_here: None, settings: Settings
) -> None:
    direct = settings.model_copy(update={"neo4j_uri": settings.bolt_uri.replace("neo4j://", "bolt://")})
    routed = settings.model_copy(update={"neo4j_uri": routing_uri(settings.bolt_uri)})
    assert routed.bolt_uri.startswith("neo4j://")
    via_bolt = await answers(direct)
    via_routing = await answers(routed)
    assert via_routing["responses"]["responses"], "the seeds have responses to Krasner"
    assert via_routing == via_bolt


async def test_a_read_after_a_session_write_carries_its_bookmark(settings: Settings) -> None:
    driver = open_driver(
        type(settings.connection)(
            routing_uri(settings.bolt_uri),
            settings.connection.user,
            settings.connection.password,
            settings.connection.database,
        )
    )
    db = settings.neo4j_database
    try:
        await wait_until_ready(driver, routing_uri(settings.bolt_uri), timeout=60)
        manager = driver.execute_query_bookmark_manager
        before = set(await manager.get_bookmarks())
        async with driver.session(database=db) as session:
            await session.execute_write(
                lambda tx: tx.run("CREATE (:RoutingProbe {token: $t})", t="bookmark-test")
            )
        after = set(await manager.get_bookmarks())
        # The session's commit reached the manager that execute_query reads with.
        assert after and after != before
        records, _, _ = await driver.execute_query(
            "MATCH (p:RoutingProbe {token: $t}) RETURN count(p) AS n",
            t="bookmark-test",
            database_=db,
            routing_="r",
        )
        assert records[0]["n"] == 1
        # A session that asks for no bookmark manager keeps that choice.
        async with driver.session(database=db, bookmark_manager=None) as session:
            await session.execute_write(lambda tx: tx.run("MATCH (p:RoutingProbe) DELETE p"))
        assert set(await manager.get_bookmarks()) == after
    finally:
        await driver.execute_query("MATCH (p:RoutingProbe) DELETE p", database_=db)
        await driver.close()
