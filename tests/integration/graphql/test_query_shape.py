"""What the API's Cypher hands back: maps of primitives (no nodes, relationships or driver temporals),
only the parts the selection asks for, in one statement per request."""

from __future__ import annotations

from typing import Any

import pytest
from kg_fixture import Api, KrasnerGraph
from neo4j import AsyncDriver
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time

from app.config import Settings

pytestmark = pytest.mark.integration

PRIMITIVE = (str, int, float, bool, type(None))
HYDRATED = (Node, Relationship, Path, DateTime, Date, Time, Duration)


def _hydrated(value: Any, path: str = "") -> list[str]:
    """Paths of every value in a record that the driver had to hydrate into an object."""
    if isinstance(value, HYDRATED):
        return [f"{path}: {type(value).__name__}"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _hydrated(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _hydrated(v, f"{path}[{i}]")]
    assert isinstance(value, PRIMITIVE), (path, type(value))
    return []


async def _captured(api: Api, query: str) -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    api.app.state.query_listeners[:] = [lambda cypher, params: seen.append((cypher, params))]
    try:
        await api.data(query)
    finally:
        api.app.state.query_listeners.clear()
    return seen


def _reads(kg: KrasnerGraph) -> dict[str, str]:
    to = kg.ids["krasner"]
    return {
        "responses": f'{{ responses(to: "{to}") {{ id type responder {{ name ... on Person {{ offices '
        "{ name } } } target { name } evidence { sentence observedAt article { title publishedAt } } } }",
        "subgraph": f'{{ subgraph(center: "{to}", depth: 2) {{ nodes {{ id properties }} '
        "edges { id type evidence { sentence observedAt } } } }",
        "relations": f'{{ relations(filter: {{target: "{to}"}}) {{ totalCount nodes {{ type '
        "source { name } evidence { observedAt } } } }",
        "entity": f'{{ entity(id: "{to}") {{ name relations {{ totalCount nodes {{ type evidence {{ '
        "observedAt } } } mentions { nodes { count article { title publishedAt } } } } }",
        "articles": "{ articles(first: 5) { nodes { id title publishedAt ingestedAt "
        "assertions { type source { name } } mentions { entity { name } } } } }",
        "search": f'{{ search(text: "Krasner{kg.tok}") {{ nodes {{ id name }} }} }}',
    }


@pytest.mark.parametrize("root", ["responses", "subgraph", "relations", "entity", "articles", "search"])
async def test_reads_return_only_primitives(
    api: Api, kg: KrasnerGraph, clean_graph: AsyncDriver, settings: Settings, root: str
) -> None:
    captured = await _captured(api, _reads(kg)[root])
    assert captured, "the request issued no Cypher"
    for cypher, params in captured:
        records, _, _ = await clean_graph.execute_query(cypher, params, database_=settings.neo4j_database)
        assert records, cypher
        found = [p for r in records for k in r.keys() for p in _hydrated(r[k], k)]
        assert found == [], f"{root}: the driver hydrated {found[:5]} for\n{cypher}"


async def test_responses_fetch_articles_and_offices_only_when_selected(api: Api, kg: KrasnerGraph) -> None:
    to = kg.ids["krasner"]
    bare = await _captured(api, f'{{ responses(to: "{to}") {{ type responder {{ name }} }} }}')
    assert len(bare) == 1
    assert bare[0][1]["with_article"] is False and bare[0][1]["with_offices"] is False
    full = await _captured(
        api,
        f'{{ responsesConnection(to: "{to}") {{ edges {{ node {{ ...R }} }} }} }} '
        "fragment R on Response { responder { ... on Person { offices { name } } } "
        "evidence { article { title } } }",
    )
    assert len(full) == 1, [c for c, _ in full]
    assert full[0][1]["with_article"] is True and full[0][1]["with_offices"] is True


async def test_subgraph_fetches_evidence_only_when_selected(api: Api, kg: KrasnerGraph) -> None:
    to = kg.ids["krasner"]
    bare = await _captured(api, f'{{ subgraph(center: "{to}", depth: 2) {{ edges {{ source target }} }} }}')
    assert bare[0][1]["with_evidence"] is False
    full = await _captured(
        api, f'{{ subgraph(center: "{to}", depth: 2) {{ edges {{ evidence {{ quote }} }} }} }}'
    )
    assert full[0][1]["with_evidence"] is True


async def test_dates_leave_in_the_same_iso_form(api: Api, kg: KrasnerGraph) -> None:
    to = kg.ids["krasner"]
    data = await api.data(
        f'{{ responses(to: "{to}") {{ evidence {{ observedAt article {{ publishedAt }} }} }} '
        f'subgraph(center: "{to}", depth: 1, includeArticles: true) {{ nodes {{ type properties }} }} }}'
    )
    observed = {r["evidence"]["observedAt"] for r in data["responses"]}
    assert observed <= {"2025-06-01T12:00:00+00:00", "2025-06-08T12:00:00+00:00"}, observed
    published = [n["properties"]["published_at"] for n in data["subgraph"]["nodes"] if n["type"] == "Article"]
    assert published and all(p.endswith("+00:00") and "T" in p for p in published), published


async def test_responses_fetch_evidence_details_and_entity_properties_only_when_selected(
    api: Api, kg: KrasnerGraph
) -> None:
    to = kg.ids["krasner"]
    bare = await _captured(
        api,
        f'{{ responses(to: "{to}") {{ responder {{ id name __typename }} target {{ id type }} '
        "evidence { quote } } }",
    )
    assert bare[0][1]["with_evidence_detail"] is False and bare[0][1]["with_entity_detail"] is False
    for selection, switch in (
        ("evidence { observedAt }", "with_evidence_detail"),
        ("evidence { charStart }", "with_evidence_detail"),
        ("responder { ... on Person { surname } }", "with_entity_detail"),
        ("target { aliases }", "with_entity_detail"),
    ):
        asked = await _captured(api, f'{{ responses(to: "{to}") {{ {selection} }} }}')
        assert asked[0][1][switch] is True, selection


async def test_brief_projections_answer_as_the_full_ones(api: Api, kg: KrasnerGraph) -> None:
    """The same fields read the same from the brief maps (asked alone) as from the whole maps (asked
    beside fields that need them)."""
    to = kg.ids["krasner"]
    fields = (
        "id type responder { id name type } target { id name type } "
        "evidence { sentence quote confidence articleId }"
    )
    brief = await api.data(f'{{ responses(to: "{to}") {{ {fields} }} }}')
    full = await api.data(
        f'{{ responses(to: "{to}") {{ {fields} more: evidence {{ observedAt charStart }} '
        "t2: target { aliases } } }"
    )
    assert brief["responses"], "no responses to compare"
    assert brief["responses"] == [
        {k: v for k, v in r.items() if k not in ("more", "t2")} for r in full["responses"]
    ]
    around = f'subgraph(center: "{to}", depth: 2)'
    brief_graph = (
        await api.data(f"{{ {around} {{ nodes {{ id type label }} edges {{ id evidence {{ quote }} }} }} }}")
    )["subgraph"]
    full_graph = (
        await api.data(
            f"{{ {around} {{ nodes {{ id type label properties }} "
            "edges { id evidence { quote observedAt } } } }"
        )
    )["subgraph"]
    assert brief_graph["nodes"], "no nodes to compare"
    assert brief_graph["nodes"] == [
        {k: v for k, v in n.items() if k != "properties"} for n in full_graph["nodes"]
    ]
    assert brief_graph["edges"] == [
        {"id": e["id"], "evidence": e["evidence"] and {"quote": e["evidence"]["quote"]}}
        for e in full_graph["edges"]
    ]


async def test_subgraph_fetches_node_properties_only_when_selected(api: Api, kg: KrasnerGraph) -> None:
    to = kg.ids["krasner"]
    bare = await _captured(api, f'{{ subgraph(center: "{to}") {{ nodes {{ id type label }} }} }}')
    assert bare[0][1]["with_node_detail"] is False
    for selection in ("nodes { properties }", "nodes { aliases }"):
        asked = await _captured(api, f'{{ subgraph(center: "{to}") {{ {selection} }} }}')
        assert asked[0][1]["with_node_detail"] is True, selection
