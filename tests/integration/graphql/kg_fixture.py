"""A small Krasner graph per docs/graph-model.md, built with Cypher, and an API client wrapper.

Every name carries a per-run token, so it never collides with real data in a shared Neo4j.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from neo4j import AsyncDriver

from graph.schema import fold_legacy_holdings

API_TOKEN = "test-token-0123456789abcdef"


@dataclass
class Api:
    app: FastAPI
    client: httpx.AsyncClient

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await self.gql(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def count_queries(self) -> list[str]:
        """Start recording every Cypher query the API issues; returns the live list."""
        seen: list[str] = []
        self.app.state.query_listeners[:] = [lambda cypher, params: seen.append(cypher)]
        return seen


@dataclass
class KrasnerGraph:
    tok: str
    ids: dict[str, str]
    articles: list[str]

    def name(self, base: str) -> str:
        return f"{base}{self.tok}"


def _evidence(
    article: str, sentence: str, quote: str | None, when: datetime, conf: float = 0.8
) -> dict[str, Any]:
    return {
        "article_id": article,
        "evidence": sentence,
        "quote": quote,
        "char_start": 0,
        "char_end": len(sentence),
        "confidence": conf,
        "extractor": "fixture/1",
        "observed_at": when,
    }


async def build_graph(driver: AsyncDriver, db: str, extra_critics: int = 0) -> KrasnerGraph:
    tok = "x" + uuid.uuid4().hex[:6]
    t1 = datetime(2025, 6, 1, 12, tzinfo=UTC)
    t2 = datetime(2025, 6, 8, 12, tzinfo=UTC)
    a1, a2 = f"art-{tok}-1", f"art-{tok}-2"

    def person(key: str, first: str, last: str, gender: str = "male") -> dict[str, Any]:
        name = f"{first} {last}{tok}"
        return {
            "key": key,
            "type": "Person",
            "id": f"person:{key}-{tok}",
            "name": name,
            "aliases": [name, f"{last}{tok}"],
            "surname": f"{last}{tok}".lower(),
            "gender": gender,
        }

    def office(key: str, title: str, where: str) -> dict[str, Any]:
        name = f"{title} of {where}{tok}"
        return {
            "key": key,
            "type": "Office",
            "id": f"office:{key}-{tok}",
            "name": name,
            "aliases": [name],
            "title": title,
            "jurisdiction": f"{where}{tok}",
        }

    def thing(key: str, type_: str, name: str, **extra: Any) -> dict[str, Any]:
        full = f"{name}{tok}"
        aliases = [full, *[f"{a}{tok}" for a in extra.pop("aliases", [])]]
        return {
            "key": key,
            "type": type_,
            "id": f"{type_.lower()}:{key}-{tok}",
            "name": full,
            "aliases": aliases,
            **extra,
        }

    entities = [
        person("krasner", "Larry", "Krasner"),
        person("lyons", "Todd", "Lyons"),
        person("hegseth", "Pete", "Hegseth"),
        person("coleman", "Jarrett", "Coleman"),
        person("brooks", "Kendra", "Brooks", "female"),
        person("landau", "Rue", "Landau", "female"),
        person("johnson", "Brandon", "Johnson"),
        office("da", "District Attorney", "Philadelphia"),
        office("ice-dir", "Director", "ICE"),
        office("secdef", "Secretary of Defense", "United States"),
        office("senator", "State Senator", "Pennsylvania"),
        thing(
            "ice",
            "Organization",
            "Immigration and Customs Enforcement",
            kind="agency",
            acronym="ICE",
            aliases=["ICE"],
        ),
        thing("gop", "Organization", "Pennsylvania Republicans", kind="party"),
        thing("johnson-campaign", "Organization", "Johnson Campaign", kind="other", aliases=["Johnson"]),
        thing("ice-out", "Bill", "ICE OUT", kind="package", jurisdiction="Philadelphia", status="proposed"),
        thing("rally", "Event", "City Hall rally", kind="rally", date="2025-06-01"),
        thing("philly", "Place", "Philadelphia", kind="city"),
    ]
    # Johnson is also the campaign's alias: "Johnson<tok>" is ambiguous on purpose.
    entities[6]["aliases"].append(f"Johnson{tok}")
    critics = []
    for i in range(extra_critics):
        p = person(f"critic{i}", f"Critic{i}", f"Number{i}")
        o = office(f"critic-office{i}", "Councilmember", f"District{i}")
        critics.append((p, o))
        entities += [p, o]
    ids = {e["key"]: e["id"] for e in entities}

    def rel(
        type_: str,
        s: str,
        t: str,
        art: str,
        sentence: str,
        quote: str | None = None,
        when: datetime = t1,
        **extra: Any,
    ) -> dict[str, Any]:
        return {
            "type": type_,
            "s": ids[s],
            "t": ids[t],
            "props": {**_evidence(art, sentence, quote, when), **extra},
        }

    rels = [
        rel(
            "HOLDS_OFFICE",
            "krasner",
            "da",
            a1,
            "Philadelphia District Attorney Larry Krasner spoke.",
            status="current",
        ),
        rel(
            "HOLDS_OFFICE", "lyons", "ice-dir", a1, "Acting ICE Director Todd Lyons replied.", status="acting"
        ),
        rel(
            "HOLDS_OFFICE",
            "hegseth",
            "secdef",
            a1,
            "Defense Secretary Pete Hegseth praised him.",
            status="current",
        ),
        rel(
            "HOLDS_OFFICE",
            "coleman",
            "senator",
            a2,
            "State Senator Jarrett Coleman warned.",
            status="current",
        ),
        rel(
            "CRITICIZED",
            "lyons",
            "krasner",
            a1,
            "His remarks were met with swift condemnation from Acting ICE Director Todd Lyons.",
            "Any time you pit law enforcement officers against law enforcement officers, "
            "it makes nobody safe",
        ),
        rel("ENDORSED", "hegseth", "krasner", a1, "Pete Hegseth praised Krasner's rhetoric.", when=t1),
        rel(
            "CRITICIZED",
            "coleman",
            "ice-out",
            a2,
            "Jarrett Coleman warned local governments cannot interfere.",
            when=t2,
        ),
        rel(
            "CRITICIZED",
            "gop",
            "da",
            a2,
            "Republicans argued the district attorney's office failed.",
            when=t2,
        ),
        rel("CRITICIZED", "krasner", "ice", a1, "Krasner called ICE agents wannabe Nazis.", "wannabe Nazis"),
        rel("ENDORSED", "krasner", "ice-out", a2, "Krasner rallied in support of ICE OUT.", when=t2),
        rel("SPONSORED", "brooks", "ice-out", a2, "Bills pushed by Kendra Brooks and Rue Landau.", when=t2),
        rel("SPONSORED", "landau", "ice-out", a2, "Bills pushed by Kendra Brooks and Rue Landau.", when=t2),
        rel("ENDORSED", "brooks", "ice-out", a2, "Brooks backed ICE OUT.", when=t2),
        rel("INVOLVED_IN", "krasner", "rally", a2, "Krasner spoke at a City Hall rally.", when=t2),
        rel("CRITICIZED", "johnson", "lyons", a2, "Johnson accused Lyons.", when=t2),
    ]
    for p, o in critics:
        rels.append(
            rel("HOLDS_OFFICE", p["key"], o["key"], a2, "A councilmember.", status="current", when=t2)
        )
        rels.append(
            rel("CRITICIZED", p["key"], "krasner", a2, "A councilmember criticized Krasner.", when=t2)
        )
    articles = [
        {
            "id": a1,
            "url": f"https://example.org/{tok}/1",
            "title": f"ICE chief hits back at Krasner {tok}",
            "source": "example.org",
            "published_at": t1,
            "word_count": 500,
        },
        {
            "id": a2,
            "url": f"https://example.org/{tok}/2",
            "title": f"ICE OUT package {tok}",
            "source": "example.org",
            "published_at": t2,
            "word_count": 400,
        },
    ]
    mentions = [{"a": a1, "e": ids[k], "count": 2} for k in ("krasner", "lyons", "hegseth", "ice")]
    mentions += [
        {"a": a2, "e": ids[k], "count": 1} for k in ("krasner", "coleman", "brooks", "landau", "ice-out")
    ]
    mentions += [{"a": a2, "e": p["id"], "count": 1} for p, _ in critics]

    now = datetime.now(UTC)
    rows = []
    for e in entities:
        props = {k: v for k, v in e.items() if k != "key"}
        rows.append(
            {"id": e["id"], "type": e["type"], "props": {**props, "created_at": now, "updated_at": now}}
        )
    await driver.execute_query(
        """
        UNWIND $rows AS row
        CREATE (n:Entity) SET n = row.props, n:$(row.type)
        """,
        rows=rows,
        database_=db,
    )
    await driver.execute_query(
        "UNWIND $arts AS a CREATE (x:Article) "
        "SET x = a, x.ingested_at = datetime(), x.extractor = 'fixture/1'",
        arts=articles,
        database_=db,
    )
    await driver.execute_query(
        """
        UNWIND $rels AS r
        MATCH (s:Entity {id: r.s}), (t:Entity {id: r.t})
        CREATE (s)-[x:$(r.type)]->(t) SET x = r.props
        """,
        rels=rels,
        database_=db,
    )
    await driver.execute_query(
        "UNWIND $m AS m MATCH (a:Article {id: m.a}), (e:Entity {id: m.e}) "
        "CREATE (a)-[:MENTIONS {count: m.count}]->(e)",
        m=mentions,
        database_=db,
    )
    # The office-holdings above are one edge per article, as graphs were written before collapsing: the
    # start-up migration makes them one edge per pair with each article's STATES_HOLDING.
    await fold_legacy_holdings(driver, db)
    return KrasnerGraph(tok=tok, ids=ids, articles=[a1, a2])
