"""The person look-up's pure parts: the full-text queries it sends, and the graph as a write leaves it."""

from __future__ import annotations

from graph.resolver import (
    PHRASES_PER_QUERY,
    OfficeRecord,
    PersonRecord,
    Resolution,
    phrase_queries,
)


def test_phrases_are_quoted_escaped_and_chunked_under_lucenes_clause_limit() -> None:
    assert phrase_queries(['larry "the da" krasner', "o'brien pat"]) == [
        '"larry \\"the da\\" krasner" OR "o\'brien pat"'
    ]
    assert phrase_queries(["--", "   "]) == []  # nothing to look for
    many = phrase_queries(f"name{i} x" for i in range(PHRASES_PER_QUERY * 2 + 1))
    assert len(many) == 3 and many[0].count(" OR ") == PHRASES_PER_QUERY - 1


def test_people_after_write_mirror_what_the_writer_sets() -> None:
    mayor = OfficeRecord("office:mayor", "Mayor", "Chicago")
    council = OfficeRecord("office:council", "Member", "Council")
    node = PersonRecord("person:brandon-johnson", "Brandon Johnson", ("Brandon Johnson",), (mayor,))
    other = PersonRecord("person:mike-johnson", "Mike Johnson", ("Mike Johnson",))
    mention = PersonRecord("person:b-johnson", "B. Johnson", ("Johnson",), (mayor, council), "male")
    new = PersonRecord("person:johnson", "Johnson", (), (council,))
    resolution = Resolution(
        ids={"person:b-johnson": "person:brandon-johnson", "person:johnson": "person:johnson"},
        mentions=(mention, new),
        candidates=(node, other),
    )
    after = {p.id: p for p in resolution.people_after_write()}
    assert after["person:mike-johnson"] == other
    merged = after["person:brandon-johnson"]
    assert merged.name == "Brandon Johnson"  # an existing node keeps its name
    assert merged.aliases == ("Brandon Johnson", "B. Johnson", "Johnson")
    assert merged.offices == (mayor, council) and merged.gender == "male"
    assert after["person:johnson"] == PersonRecord("person:johnson", "Johnson", ("Johnson",), (council,))
