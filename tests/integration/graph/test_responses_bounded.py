"""`graph.queries.RESPONSES` read from the date index (the bounded path) gives the same pages as the full
sort of every response, and its cost does not grow with how many responses a person has.

The graph: X with an office and a bill X sponsors (which an ally co-sponsors and criticizes: no response),
and responders whose assertions fall on a few dates, so responders tie on their newest date and the
page's order then rests on names. Everything carries a per-test token.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from neo4j import AsyncDriver

from app.config import Settings
from graph import queries as q
from graph.profiling import _walk
from ingest.models import STANCE_TYPES

pytestmark = pytest.mark.integration

START = datetime(2024, 3, 1, tzinfo=UTC)
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC)


class Graph:
    def __init__(self, driver: AsyncDriver, db: str) -> None:
        self.driver, self.db = driver, db
        self.tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
        self.x = f"person:x-{self.tok}"
        self.office = f"office:o-{self.tok}"
        self.bill = f"bill:b-{self.tok}"
        self.ally = f"person:ally-{self.tok}"
        self.responders = 0
        self.articles = 0

    async def run(self, cypher: str, **params: Any) -> list[Any]:
        records, _, _ = await self.driver.execute_query(cypher, params, database_=self.db)
        return records

    async def setup(self) -> None:
        await self.run(
            "CREATE (x:Entity:Person {id: $x, name: $xname, type: 'Person', aliases: [], surname: $sur}) "
            "CREATE (o:Entity:Office {id: $o, name: $oname, type: 'Office'}) "
            "CREATE (b:Entity:Bill {id: $b, name: $bname, type: 'Bill'}) "
            "CREATE (a:Entity:Person {id: $a, name: $aname, type: 'Person', aliases: []}) "
            "CREATE (x)-[:HOLDS_OFFICE {status: 'current'}]->(o) "
            "CREATE (x)-[:SPONSORED {article_id: 'setup'}]->(b) "
            "CREATE (a)-[:SPONSORED {article_id: 'setup'}]->(b) "
            "CREATE (a)-[:CRITICIZED {article_id: 'setup', observed_at: $late, evidence: 'ally'}]->(b) "
            "CREATE (a)-[:CRITICIZED {article_id: 'setup', observed_at: $early, evidence: 'ally on x'}]->(x)",
            x=self.x,
            xname=f"Xenia Bounded{self.tok}",
            sur=f"bounded{self.tok}",
            o=self.office,
            oname=f"Mayor of {self.tok}",
            b=self.bill,
            bname=f"Act {self.tok}",
            a=self.ally,
            aname=f"Alma Ally{self.tok}",
            late=START + timedelta(days=400),
            early=START,
        )

    async def respond(self, people: int, per_person: int, days: range, seed: int) -> None:
        """`people` new responders, each with up to `per_person` assertions on dates drawn from `days`."""
        rng = random.Random(seed)
        rows = []
        for i in range(self.responders, self.responders + people):
            for _ in range(rng.randint(1, per_person)):
                self.articles += 1
                rows.append(
                    {
                        "s": f"person:r{i}-{self.tok}",
                        "name": f"R{rng.randint(0, 9)} Responder{i}{self.tok}",
                        "type": rng.choice(STANCE_TYPES),
                        "t": rng.choice((self.x, self.x, self.office, self.bill)),
                        "at": START + timedelta(days=rng.choice(days)),
                        "article": f"art-{self.tok}-{self.articles}",
                    }
                )
        self.responders += people
        for kind in STANCE_TYPES:
            await self.run(
                "UNWIND $rows AS row "
                "MERGE (s:Entity:Person {id: row.s}) ON CREATE SET s.name = row.name, s.type = 'Person' "
                "WITH s, row MATCH (t:Entity {id: row.t}) "
                f"CREATE (s)-[:{kind} {{article_id: row.article, observed_at: row.at, "
                "evidence: row.article}]->(t)",
                rows=[r for r in rows if r["type"] == kind],
            )

    async def page(
        self,
        bounded: bool,
        skip: int,
        limit: int,
        types: tuple[str, ...] = STANCE_TYPES,
        since: datetime | None = None,
        until: datetime | None = None,
        with_total: bool = True,
        profile: bool = False,
    ) -> tuple[list[tuple[str, str, str]], int, int]:
        params = {
            **q.resolve_params(self.x),
            "types": list(types),
            "since": since,
            "until": until,
            "lo": since or EARLIEST,
            "hi": until or LATEST,
            "skip": skip,
            "limit": limit,
            "need": skip + limit,
            "with_total": with_total,
            "bounded": bounded,
            "with_article": False,
            "with_offices": False,
            "with_evidence_detail": False,
            "with_entity_detail": False,
        }
        async with self.driver.session(database=self.db) as session:
            result = await session.run(("PROFILE " if profile else "") + q.RESPONSES, params)
            record = await result.single()
            summary = await result.consume()
        assert record is not None
        hits = _walk(summary.profile)[1] if profile else 0
        items = [(i["s"]["id"], i["r"]["id"], i["t"]["id"]) for i in record["items"]]
        return items, record["total"], hits


@pytest.fixture
async def graph(clean_graph: AsyncDriver, settings: Settings) -> Graph:
    g = Graph(clean_graph, settings.neo4j_database)
    await g.setup()
    # 40 responders over 12 dates: many share their newest date with others.
    await g.respond(people=40, per_person=6, days=range(0, 360, 30), seed=3)
    return g


@pytest.mark.parametrize("skip,limit", [(0, 1), (0, 20), (3, 7), (19, 25), (0, 500), (150, 20)])
async def test_a_bounded_page_equals_the_same_page_of_the_full_sort(
    graph: Graph, skip: int, limit: int
) -> None:
    full, full_total, _ = await graph.page(False, skip, limit)
    bounded, bounded_total, _ = await graph.page(True, skip, limit)
    assert bounded == full
    assert bounded_total == full_total
    everything, _, _ = await graph.page(False, 0, 1000)
    assert full == everything[skip : skip + limit]
    # The ally's assertions on the bill it sponsors are no response; the one on X is.
    assert not any(s == graph.ally and t == graph.bill for s, _, t in everything)
    assert any(s == graph.ally and t == graph.x for s, _, t in everything)


@pytest.mark.parametrize(
    "types,since,until",
    [
        (("ENDORSED",), None, None),
        (("CRITICIZED", "RESPONDED_TO"), START + timedelta(days=60), None),
        (STANCE_TYPES, START + timedelta(days=30), START + timedelta(days=200)),
    ],
)
async def test_a_bounded_page_equals_the_full_one_under_filters(
    graph: Graph, types: tuple[str, ...], since: datetime | None, until: datetime | None
) -> None:
    for skip, limit in ((0, 10), (5, 15)):
        full, full_total, _ = await graph.page(False, skip, limit, types, since, until)
        bounded, bounded_total, _ = await graph.page(True, skip, limit, types, since, until)
        assert full, "the filter left nothing to compare"
        assert (bounded, bounded_total) == (full, full_total)


async def test_a_bounded_page_costs_the_same_for_four_times_the_responses(graph: Graph) -> None:
    # More responses to X, all older than the page: the first page stays the same, its cost should too.
    before, _, small = await graph.page(True, 0, 20, with_total=False, profile=True)
    _, _, full_small = await graph.page(False, 0, 20, profile=True)
    await graph.respond(people=120, per_person=6, days=range(-900, -1, 7), seed=5)
    after, _, large = await graph.page(True, 0, 20, with_total=False, profile=True)
    _, _, full_large = await graph.page(False, 0, 20, profile=True)
    assert after == before
    assert full_large > 2 * full_small, "the full sort should grow with the responses (the test is void)"
    assert large <= 1.2 * small, f"bounded page: {small} -> {large} db hits for 4x the responses"
