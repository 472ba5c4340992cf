"""Answers built straight from records (`Rows` and `read_records`, app/graphql/execution.py) are the
bytes graphql-core's own executor gives for the objects made from the same records: for the subgraph's
nodes, edges and evidence, through aliases, `__typename`, fragments, `@skip`/`@include`, nulls, missing
keys and values a scalar cannot represent; and the objects are really not made when the readers cover
the selection."""

from __future__ import annotations

import math
from inspect import isawaitable
from typing import Any

import orjson
import pytest
import strawberry
from graphql import execute, parse

from app.graphql import subgraph as sg
from app.graphql.execution import FastExecutionContext, Key, Rows
from app.graphql.subgraph import Subgraph, SubgraphEdge, SubgraphNode


def _rel(rid: str, kind: str, **props: Any) -> dict[str, Any]:
    return {"id": rid, "type": kind, **props}


NODES: list[dict[str, Any]] = [
    {
        "id": "person:larry-krasner",
        "name": "Larry Krasner",
        "type": "Person",
        "aliases": ["Krasner"],
        "surname": "krasner",
        "score": 0.5,
        "created_at": "2025-01-01T00:00Z",
    },
    {"id": "office:da", "title": "District Attorney", "type": "Office", "aliases": None, "empty": None},
    {
        "id": "article:1",
        "url": "https://example.org/a",
        "labels": ["Article"],
        "published_at": "2025-06-01T12:00:00+02:00[Europe/Paris]",
        "title": None,
    },
    {"id": "org:ice", "labels": ["Entity", "Organization"], "tags": ["x", "y"], "count": 3},
    {"id": "thing:bare"},
]
EDGES: list[dict[str, Any]] = [
    {
        "r": _rel(
            "1",
            "CRITICIZED",
            evidence="He said so.",
            quote="No.",
            confidence=0.9,
            article_id="a1",
            char_start=3,
            char_end=40,
            extractor="rules 1",
            observed_at="2025-06-01T12:00Z",
        ),
        "source": "person:larry-krasner",
        "target": "office:da",
    },
    {"r": _rel("2", "MENTIONS", count=2), "source": "article:1", "target": "person:larry-krasner"},
    {"r": _rel("3", "ENDORSED", evidence=None, confidence=None), "source": "org:ice", "target": "office:da"},
    {"r": _rel("4", "RESPONDED_TO", confidence=1, observed_at="not a date"), "source": "a", "target": "b"},
]

CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {
    "plain": (NODES, EDGES),
    "empty": ([], []),
    # a value Float cannot represent: an error at its path, the edge nulled, as graphql-core does
    "nan": (NODES, [{"r": _rel("5", "CRITICIZED", confidence=math.nan), "source": "a", "target": "b"}]),
    # a record without its id: the object's from_record raises, whichever way the answer is built
    "no-id": ([{"name": "nameless"}], [{"r": {"type": "CRITICIZED"}, "source": "a", "target": "b"}]),
    # a required key missing after good records (read with a subscript when selected, checked when not)
    "no-source": (NODES, [*EDGES, {"r": _rel("6", "CRITICIZED"), "target": "b"}]),
    # a null where the type says non-null (`source: ID!`), after good records: an error, the edge nulled
    "null-source": (NODES, [*EDGES, {"r": _rel("7", "CRITICIZED"), "source": None, "target": "b"}]),
}


#: The case a `subgraph` without `case` answers (for one parsed document run on several cases).
ASKED = ["plain"]


@strawberry.type
class Query:
    @strawberry.field
    def subgraph(self, case: str | None = None) -> Subgraph:
        nodes, edges = CASES[case or ASKED[0]]
        return Subgraph(
            center=strawberry.ID("person:larry-krasner"),
            nodes=Rows(nodes, SubgraphNode.from_node, "SubgraphNode"),  # type: ignore[arg-type]
            edges=Rows(edges, SubgraphEdge.from_record, "SubgraphEdge"),  # type: ignore[arg-type]
            truncated=False,
        )


FAST = strawberry.Schema(query=Query, execution_context_class=FastExecutionContext)
STOCK = strawberry.Schema(query=Query)

EVIDENCE = "sentence quote confidence charStart charEnd extractor observedAt articleId"
# Documents the readers cover: no object is made for them.
COVERED = [
    "{ subgraph { center truncated nodes { id type label aliases properties } "
    f"edges {{ id source target type evidence {{ {EVIDENCE} }} }} }} }}",
    # aliases, the same field twice, __typename at every level
    "{ g: subgraph { __typename n: nodes { key: id id __typename l: label } "
    "e: edges { __typename t: type type evidence { __typename s: sentence q: quote } } } }",
    # fragments and inline fragments
    "query { subgraph { ...G } } fragment G on Subgraph { nodes { ...N } edges { ... on SubgraphEdge { "
    "id evidence { ...E } } } } fragment N on SubgraphNode { id type } fragment E on Evidence { quote }",
    # directives decided by variables
    "query($s: Boolean!) { subgraph { nodes { id @skip(if: $s) label @include(if: $s) } "
    "edges { evidence @include(if: $s) { confidence } id @skip(if: $s) } } }",
    # directives below a level that has none: the edges' plan is kept across requests, the evidence's not
    "query($s: Boolean!) { subgraph { edges { id evidence { quote @include(if: $s) sentence @skip(if: $s) "
    "confidence } } } }",
]
# Documents asking for something the records cannot give (an evidence's article): the objects' way.
UNCOVERED = ["{ subgraph { edges { id evidence { quote article { id } } } } }"]


async def _answer(schema: strawberry.Schema, document: str, case: str, skip: bool) -> bytes:
    variables: dict[str, Any] = {"s": skip} if "$s" in document else {}
    document = document.replace("subgraph {", f'subgraph(case: "{case}") {{', 1)
    result = await schema.execute(document, variable_values=variables)
    errors = [(e.message, e.path) for e in result.errors or []]
    return orjson.dumps({"data": result.data, "errors": errors})


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("document", COVERED + UNCOVERED)
@pytest.mark.parametrize("skip", [True, False])
async def test_records_answer_as_graphql_core_answers_for_the_objects(
    document: str, case: str, skip: bool
) -> None:
    assert await _answer(FAST, document, case, skip) == await _answer(STOCK, document, case, skip)


@pytest.mark.parametrize("document", COVERED)
async def test_a_covered_selection_makes_no_object(document: str, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []

    def counting(make: Any) -> Any:
        def counted(record: Any) -> Any:
            made.append(make.__name__)
            return make(record)

        return counted

    monkeypatch.setattr(SubgraphNode, "from_node", counting(SubgraphNode.from_node))
    monkeypatch.setattr(SubgraphEdge, "from_record", counting(SubgraphEdge.from_record))
    monkeypatch.setattr(sg.Evidence, "from_props", counting(sg.Evidence.from_props))
    answer = orjson.loads(await _answer(FAST, document, "plain", False))
    assert answer["errors"] == [] and answer["data"] is not None
    assert made == []
    orjson.loads(await _answer(FAST, UNCOVERED[0], "plain", False))
    assert len(made) == len(EDGES) + 3  # the edges and their evidence (not MENTIONS'), for the article


async def test_one_parsed_document_again_and_again_answers_as_graphql_core() -> None:
    """Plans of a document without directives are kept across requests, and a nested object's builder
    with them (`shared_builds`): later requests with other records, and with variables that change what a
    conditional level selects, must still answer as graphql-core does for the objects."""
    for document in COVERED:
        parsed = parse(document)  # once: the same nodes for every request
        for _ in range(2):
            for case in ("plain", "nan", "no-id", "empty", "plain"):
                for skip in (False, True):
                    ASKED[0] = case
                    variables = {"s": skip} if "$s" in document else {}
                    answers = []
                    for schema, kwargs in ((FAST, {"executor_class": FastExecutionContext}), (STOCK, {})):
                        result = execute(schema._schema, parsed, variable_values=variables, **kwargs)  # type: ignore[arg-type]
                        if isawaitable(result):
                            result = await result
                        errors = [(e.message, e.path) for e in result.errors or []]  # type: ignore[union-attr]
                        answers.append(orjson.dumps({"data": result.data, "errors": errors}))  # type: ignore[union-attr]
                    assert answers[0] == answers[1], (document, case, skip)


def test_rows_are_the_objects_as_a_sequence() -> None:
    rows = Rows(EDGES, SubgraphEdge.from_record, "SubgraphEdge")
    objects = [SubgraphEdge.from_record(e) for e in EDGES]
    assert len(rows) == len(EDGES)
    assert [e.id for e in rows] == [e.id for e in objects]
    assert rows[1].evidence is None and rows[0].evidence is not None
    assert rows.objects() is rows.objects()  # made once


def test_a_key_reader_reads_as_its_compiled_expression() -> None:
    edge = {"r": {"id": "7", "type": "CRITICIZED"}, "source": "a"}
    for key in (Key(("r", "id"), prefix="rel:"), Key(("r", "type")), Key(("source",))):
        compiled = eval("lambda value: " + key.expression("value"))  # noqa: S307 - the plan's own form
        assert key(edge) == compiled(edge)
    assert Key(("r", "id"), prefix="rel:")(edge) == "rel:7"
    for missing in (Key(("r", "quote")), Key(("s", "id"))):
        with pytest.raises(KeyError):
            missing(edge)
        with pytest.raises(KeyError):
            eval("lambda value: " + missing.expression("value"))(edge)  # noqa: S307
