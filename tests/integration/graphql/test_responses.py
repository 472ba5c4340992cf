"""`responses(to:)`: who criticized, endorsed or responded to someone, or to something of theirs."""

from __future__ import annotations

import pytest
from kg_fixture import Api, KrasnerGraph, build_graph

pytestmark = pytest.mark.integration

# The issue's query, verbatim but for the name.
ISSUE_QUERY = """
{ responses(to: "%s") { responder { id name ... on Person { offices { title jurisdiction } } }
    type target { name } evidence { sentence quote confidence article { title url publishedAt } } } }
"""


async def test_the_issue_query_names_every_responder_with_evidence(api: Api, kg: KrasnerGraph) -> None:
    data = await api.data(ISSUE_QUERY % kg.name("Krasner"))
    by_name = {}
    for r in data["responses"]:
        by_name.setdefault(r["responder"]["name"], []).append(r)
    names = set(by_name)
    assert {kg.name("Todd Lyons"), kg.name("Pete Hegseth"), kg.name("Jarrett Coleman")} <= names
    assert kg.name("Pennsylvania Republicans") in names  # criticized his office
    assert kg.name("Larry Krasner") not in names
    assert kg.name("Kendra Brooks") not in names and kg.name("Rue Landau") not in names

    lyons = by_name[kg.name("Todd Lyons")][0]
    assert lyons["type"] == "CRITICIZED"
    assert lyons["target"]["name"] == kg.name("Larry Krasner")
    assert lyons["responder"]["offices"] == [{"title": "Director", "jurisdiction": kg.name("ICE")}]
    assert "condemnation" in lyons["evidence"]["sentence"]
    assert lyons["evidence"]["quote"].startswith("Any time you pit")
    assert lyons["evidence"]["article"]["title"] == f"ICE chief hits back at Krasner {kg.tok}"
    assert lyons["evidence"]["article"]["publishedAt"].startswith("2025-06-01")

    coleman = by_name[kg.name("Jarrett Coleman")][0]
    assert coleman["target"]["name"] == kg.name("ICE OUT")  # a bill Krasner backs
    assert by_name[kg.name("Pete Hegseth")][0]["type"] == "ENDORSED"


async def test_responses_to_a_bill_leave_out_its_own_sponsors(api: Api, kg: KrasnerGraph) -> None:
    data = await api.data(
        "query($to: String!) { responses(to: $to) { type responder { id } target { id } } }",
        {"to": kg.ids["ice-out"]},
    )
    got = {(r["responder"]["id"], r["type"]) for r in data["responses"]}
    assert got == {(kg.ids["coleman"], "CRITICIZED"), (kg.ids["krasner"], "ENDORSED")}
    assert {r["target"]["id"] for r in data["responses"]} == {kg.ids["ice-out"]}


@pytest.mark.parametrize("ref", ["{id}", "larry krasner{tok}", "KRASNER{tok}", "Larry Krasner{tok}"])
async def test_to_takes_an_id_a_name_or_an_alias_in_any_case(api: Api, kg: KrasnerGraph, ref: str) -> None:
    to = ref.format(id=kg.ids["krasner"], tok=kg.tok)
    data = await api.data("query($to: String!) { responses(to: $to) { responder { id } } }", {"to": to})
    assert kg.ids["lyons"] in {r["responder"]["id"] for r in data["responses"]}


async def test_an_ambiguous_name_lists_the_candidates(api: Api, kg: KrasnerGraph) -> None:
    body = await api.gql('{{ responses(to: "{}") {{ type }} }}'.format(kg.name("johnson")))
    error = body["errors"][0]
    assert "matches 2 entities" in error["message"]
    assert kg.ids["johnson"] in error["message"] and kg.ids["johnson-campaign"] in error["message"]
    assert {c["id"] for c in error["extensions"]["candidates"]} == {
        kg.ids["johnson"],
        kg.ids["johnson-campaign"],
    }


async def test_an_unknown_name_says_so(api: Api, kg: KrasnerGraph) -> None:
    body = await api.gql(f'{{ responses(to: "Nobody{kg.tok}") {{ type }} }}')
    assert body["errors"][0]["message"] == f"no entity matches 'Nobody{kg.tok}'"


async def test_types_since_and_paging(api: Api, kg: KrasnerGraph) -> None:
    q = (
        "query($to: String!, $t: [RelationType!], $since: DateTime, $first: Int, $after: String) {"
        " responsesConnection(to: $to, types: $t, since: $since, first: $first, after: $after) {"
        " totalCount pageInfo { hasNextPage endCursor } nodes { type responder { id } } } }"
    )
    to = kg.ids["krasner"]
    only = (await api.data(q, {"to": to, "t": ["ENDORSED"]}))["responsesConnection"]
    assert {n["responder"]["id"] for n in only["nodes"]} == {kg.ids["hegseth"]}
    recent = (await api.data(q, {"to": to, "since": "2025-06-05T00:00:00Z"}))["responsesConnection"]
    assert kg.ids["lyons"] not in {n["responder"]["id"] for n in recent["nodes"]}
    first = (await api.data(q, {"to": to, "first": 2}))["responsesConnection"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"] is True
    rest = await api.data(q, {"to": to, "first": 2, "after": first["pageInfo"]["endCursor"]})
    seen = [n["responder"]["id"] for n in first["nodes"] + rest["responsesConnection"]["nodes"]]
    assert len(seen) == 4 and len(set(seen)) == 4


async def _count(api: Api, ref: str) -> tuple[int, int]:
    queries = api.count_queries()
    data = await api.data(ISSUE_QUERY % ref)
    try:
        return len(data["responses"]), len(queries)
    finally:
        api.app.state.query_listeners.clear()


async def test_nested_fields_cost_no_extra_queries_per_result(api: Api, clean_graph, settings) -> None:
    small = await build_graph(clean_graph, settings.neo4j_database, extra_critics=1)
    big = await build_graph(clean_graph, settings.neo4j_database, extra_critics=12)
    n_small, q_small = await _count(api, small.ids["krasner"])
    n_big, q_big = await _count(api, big.ids["krasner"])
    assert n_big == n_small + 11
    assert q_big == q_small <= 2
