"""Reads cost in proportion to the page they return, not to the graph: PROFILE each page query on a graph
of a few thousand assertions, grow the graph fourfold (nothing new touches the entity asked about), and
compare Neo4j's database hits. A plan that scans a whole label or relationship type fails too."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from kg_fixture import Api
from neo4j import AsyncDriver

from app.config import Settings

pytestmark = pytest.mark.integration

STANCE_TYPES = ("CRITICIZED", "ENDORSED", "RESPONDED_TO")
SCANS = {
    "AllNodesScan",
    "NodeByLabelScan",
    "RelationshipTypeScan",
    "DirectedRelationshipTypeScan",
    "UndirectedRelationshipTypeScan",
    "DirectedAllRelationshipsScan",
    "UndirectedAllRelationshipsScan",
}
START = datetime(2024, 1, 1, tzinfo=UTC)


class Corpus:
    """Synthetic people, articles and assertions under one token; `grow` adds more, never touching X."""

    def __init__(self, driver: AsyncDriver, db: str) -> None:
        self.driver, self.db = driver, db
        self.tok = "pc" + uuid.uuid4().hex[:6]
        self.rng = random.Random(7)
        self.people = 0
        self.articles = 0
        self.x = f"person:x-{self.tok}"

    async def run(self, cypher: str, **params: Any) -> None:
        await self.driver.execute_query(cypher, params, database_=self.db)

    async def setup(self) -> None:
        # X: 30 critics, each in an article that mentions X. Nothing added later touches X.
        await self.run(
            "CREATE (:Entity:Person {id: $id, name: $name, type: 'Person', aliases: [$name], surname: $sur})",
            id=self.x,
            name=f"Xavier Example{self.tok}",
            sur=f"example{self.tok}",
        )
        await self.grow(people=300, articles=60, assertions=1500)
        rows = []
        for i in range(30):
            rows.append(
                {"s": self.person(i), "t": self.x, "a": self.article(i), "at": START + timedelta(days=i)}
            )
        await self._assert("CRITICIZED", rows)
        await self.run(
            "UNWIND $ids AS aid MATCH (a:Article {id: aid}), (x:Entity {id: $x}) "
            "CREATE (a)-[:MENTIONS {count: 1}]->(x)",
            ids=[self.article(i) for i in range(30)],
            x=self.x,
        )

    def person(self, i: int) -> str:
        return f"person:p{i}-{self.tok}"

    def article(self, i: int) -> str:
        return f"art-{self.tok}-{i}"

    async def grow(self, people: int, articles: int, assertions: int) -> None:
        new_people = [
            {"id": self.person(i), "name": f"P{i} Someone{self.tok}"}
            for i in range(self.people, self.people + people)
        ]
        await self.run(
            "UNWIND $rows AS row "
            "CREATE (:Entity:Person {id: row.id, name: row.name, type: 'Person', aliases: [row.name]})",
            rows=new_people,
        )
        new_articles = [
            {"id": self.article(i), "at": START + timedelta(hours=7 * i)}
            for i in range(self.articles, self.articles + articles)
        ]
        await self.run(
            "UNWIND $rows AS row "
            "CREATE (:Article {id: row.id, title: row.id, published_at: row.at, ingested_at: row.at})",
            rows=new_articles,
        )
        self.people += people
        self.articles += articles
        by_type: dict[str, list[dict[str, Any]]] = {}
        for _ in range(assertions):
            s, t = self.rng.sample(range(self.people), 2)
            art = self.rng.randrange(self.articles)
            by_type.setdefault(self.rng.choice(STANCE_TYPES), []).append(
                {
                    "s": self.person(s),
                    "t": self.person(t),
                    "a": self.article(art),
                    "at": START + timedelta(hours=7 * art),
                }
            )
        for kind, rows in by_type.items():
            await self._assert(kind, rows)
        mentions = [
            {
                "a": self.article(self.rng.randrange(self.articles)),
                "e": self.person(self.rng.randrange(self.people)),
            }
            for _ in range(assertions // 2)
        ]
        await self.run(
            "UNWIND $rows AS row MATCH (a:Article {id: row.a}), (e:Entity {id: row.e}) "
            "CREATE (a)-[:MENTIONS {count: 1}]->(e)",
            rows=mentions,
        )

    async def _assert(self, kind: str, rows: list[dict[str, Any]]) -> None:
        assert kind in STANCE_TYPES
        await self.run(
            "UNWIND $rows AS row MATCH (s:Entity {id: row.s}), (t:Entity {id: row.t}) "
            f"CREATE (s)-[:{kind} {{article_id: row.a, observed_at: row.at, evidence: 'said so', "
            "confidence: 0.8, extractor: 'fixture/1'}]->(t)",
            rows=rows,
        )


def _operators(plan: Any) -> Iterable[tuple[str, int]]:
    yield plan["operatorType"].split("@")[0], int(plan.get("dbHits", 0))
    for child in plan.get("children", []):
        yield from _operators(child)


async def _profile(api: Api, driver: AsyncDriver, db: str, query: str) -> tuple[int, set[str]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    api.app.state.query_listeners[:] = [lambda cypher, params: seen.append((cypher, params))]
    try:
        await api.data(query)
    finally:
        api.app.state.query_listeners.clear()
    hits, ops = 0, set()
    for cypher, params in seen:
        if "fulltext" in cypher and "responses" not in query:
            continue  # resolving a name: a full-text look-up
        result = await driver.execute_query("PROFILE " + cypher, params, database_=db)
        for op, h in _operators(result.summary.profile):
            hits += h
            ops.add(op)
    return hits, ops


def _queries(x: str) -> dict[str, str]:
    rel = "nodes { type source { id } target { id } evidence { observedAt } } pageInfo { endCursor }"
    return {
        "relations": f"{{ relations(first: 20) {{ {rel} }} }}",
        "relations by type and date": (
            '{ relations(first: 20, filter: {types: [CRITICIZED], since: "2024-01-03T00:00:00Z"}) '
            f"{{ {rel} }} }}"
        ),
        "relations to X": f'{{ relations(first: 20, filter: {{target: "{x}"}}) {{ totalCount {rel} }} }}',
        "articles": "{ articles(first: 20) { totalCount nodes { id publishedAt } } }",
        "X's relations": f'{{ entity(id: "{x}") {{ relations(first: 20) {{ totalCount {rel} }} }} }}',
        "X's mentions": (
            f'{{ entity(id: "{x}") {{ mentions(first: 20) '
            "{ totalCount nodes { count article { id } } } } }"
        ),
        "responses to X": f'{{ responses(to: "{x}", first: 20) {{ type responder {{ id }} }} }}',
    }


async def test_page_queries_cost_the_same_on_a_graph_four_times_larger(
    api: Api, clean_graph: AsyncDriver, settings: Settings
) -> None:
    db = settings.neo4j_database
    corpus = Corpus(clean_graph, db)
    await corpus.setup()
    queries = _queries(corpus.x)
    small = {name: await _profile(api, clean_graph, db, q) for name, q in queries.items()}
    await corpus.grow(people=900, articles=180, assertions=4500)  # 6,000 assertions in all, X untouched
    large = {name: await _profile(api, clean_graph, db, q) for name, q in queries.items()}
    report = {name: (small[name][0], large[name][0]) for name in queries}
    for name in queries:
        before, after = report[name]
        assert after <= 1.25 * before + 100, f"{name}: db hits grew with the graph {report}"
        scans = large[name][1] & SCANS
        assert not scans, f"{name}: the plan scans {scans}"
