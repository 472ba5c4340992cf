"""The issue's acceptance test, against the real seeds run through the real pipeline."""

from __future__ import annotations

import pytest
from kg_fixture import Api

pytestmark = pytest.mark.integration

ISSUE_QUERY = """
{ responses(to: "Krasner") { responder { id name ... on Person { offices { title jurisdiction } } }
    type target { name } evidence { sentence quote confidence article { title url publishedAt } } } }
"""


async def test_who_responded_to_krasner(api: Api, seeded: None) -> None:
    data = await api.data(ISSUE_QUERY)
    names = {r["responder"]["name"] for r in data["responses"]}
    assert {"Todd Lyons", "Pete Hegseth", "Jarrett Coleman"} <= names, names
    assert not names & {"Larry Krasner", "Kendra Brooks", "Rue Landau"}, names
    for r in data["responses"]:
        assert r["evidence"]["sentence"]
        assert r["evidence"]["article"] is not None
    lyons = next(r for r in data["responses"] if r["responder"]["name"] == "Todd Lyons")
    assert lyons["type"] == "CRITICIZED"


async def test_search_finds_krasner_from_a_prefix(api: Api, seeded: None) -> None:
    data = await api.data('{ search(text: "Kras") { nodes { name type } } }')
    assert {"name": "Larry Krasner", "type": "PERSON"} in data["search"]["nodes"]
