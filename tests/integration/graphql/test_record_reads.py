"""On the seeded graph, the server's executor (short path, subgraph answers built from the records)
gives the bytes of graphql-core's stock executor (every object made and every field resolved) for the
benches' and the viewer's documents and variations of them: aliases, fragments, variables, `@include`,
node properties, MENTIONS edges with their null evidence, and an edge's evidence with its article."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from neo4j import AsyncDriver

from app.config import PROJECT_ROOT, Settings
from app.graphql import execution
from app.graphql.context import make_context
from app.graphql.schema import build_schema

pytestmark = pytest.mark.integration

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_api import RESPONSES_GQL, SUBGRAPH_GQL  # noqa: E402
from bench_peer import PROJECT_RESPONSES, PROJECT_SUBGRAPH  # noqa: E402

EVIDENCE = "sentence quote confidence charStart charEnd extractor observedAt articleId"


def viewer_document(name: str) -> str:
    """One of the viewer's queries, as the page sends it (app/web/api.js holds every one)."""
    found = re.search(rf"const {name} = `(.*?)`;", (PROJECT_ROOT / "app/web/api.js").read_text(), re.S)
    assert found, f"no {name} query in app/web/api.js"
    return found.group(1)


VIEWER_SUBGRAPH = viewer_document("SUBGRAPH")
VIEWER_RESPONSES = viewer_document("RESPONSES")
DOCUMENTS: list[tuple[str, dict[str, Any] | None]] = [
    (SUBGRAPH_GQL, None),
    (PROJECT_SUBGRAPH, {"to": "Krasner"}),
    (PROJECT_SUBGRAPH, {"to": "Lyons"}),
    (RESPONSES_GQL, None),
    (PROJECT_RESPONSES, {"to": "Krasner"}),
    (
        '{ subgraph(center: "Krasner", depth: 2, includeArticles: true, limit: 60) { center truncated '
        "nodes { __typename id type label aliases properties } "
        f"edges {{ __typename id source target type evidence {{ __typename {EVIDENCE} }} }} }} }}",
        None,
    ),
    (
        "query G($c: String!, $ev: Boolean!, $n: Int = 40) { a: subgraph(center: $c, limit: $n) { ...S } "
        "b: subgraph(center: $c, depth: 1, types: [CRITICIZED]) { nodes { key: id } } } "
        "fragment S on Subgraph { nodes { ... on SubgraphNode { label l2: label } } "
        "edges { type evidence @include(if: $ev) { q: quote ...E } } } fragment E on Evidence { sentence }",
        {"c": "Krasner", "ev": True},
    ),
    (
        "query G($c: String!, $ev: Boolean!) { subgraph(center: $c, depth: 2) { "
        "edges { id evidence @include(if: $ev) { quote } } } }",
        {"c": "Krasner", "ev": False},
    ),
    ('{ subgraph(center: "Krasner") { edges { id evidence { quote article { id title } } } } }', None),
    # the viewer's own queries, with the variables it sends
    (VIEWER_SUBGRAPH, {"center": "Krasner", "depth": 2, "limit": 200, "types": None}),
    (VIEWER_SUBGRAPH, {"center": "Lyons", "depth": 1, "limit": 50, "types": ["CRITICIZED", "ENDORSED"]}),
    (VIEWER_RESPONSES, {"to": "Krasner", "types": None, "since": None, "until": None, "first": 100}),
    (
        '{ subgraph(center: "Krasner", depth: 2, includeArticles: true) { edges { type '
        "evidence { article { id title publishedAt } } } } }",
        None,
    ),
    (
        '{ responses(to: "Krasner") { __typename id type '
        "responder { __typename id name type aliases ... on Person { surname gender offices { id title "
        "jurisdiction name type } } ... on Organization { kind acronym } } "
        "target { __typename name ... on Office { title jurisdiction } ... on Bill { kind status } "
        "... on Person { surname } } "
        f"evidence {{ __typename {EVIDENCE} article {{ __typename id url title source publishedAt "
        "ingestedAt wordCount extractor extractorVersion } } } }",
        None,
    ),
    (
        "query R($to: String!, $o: Boolean!, $a: Boolean!) { first: responses(to: $to, first: 3) { ...R } "
        "more: responses(to: $to, first: 5, after: null) { key: id t: type } } "
        "fragment R on Response { responder { ...E tn: __typename ... on Person { "
        "offices @include(if: $o) { n: name } } } target { ...E } "
        "evidence { article @include(if: $a) { title } q: quote } } fragment E on Entity { id name }",
        {"to": "Krasner", "o": True, "a": False},
    ),
    (
        "query R($to: String!, $o: Boolean!, $a: Boolean!) { responses(to: $to) { "
        "responder { ... on Person { offices @include(if: $o) { name } } } "
        "evidence { article @include(if: $a) { title } } } }",
        {"to": "Krasner", "o": False, "a": True},
    ),
    (
        '{ responsesConnection(to: "Krasner", first: 4) { totalCount pageInfo { hasNextPage endCursor } '
        "edges { cursor node { id type responder { name } evidence { sentence article { title } } } } } }",
        None,
    ),
    # a field the readers do not give (an entity's relations page): the objects' way, the same answer
    (
        '{ responses(to: "Krasner", first: 2) { responder { name relations(first: 1) { totalCount } } } }',
        None,
    ),
]


@pytest.mark.parametrize(("document", "variables"), DOCUMENTS)
async def test_the_server_executor_answers_as_the_stock_one(
    document: str, variables: dict[str, Any] | None, settings: Settings, driver: AsyncDriver, seeded: None
) -> None:
    state = SimpleNamespace(driver=driver, query_listeners=[])
    answers = []
    for short_path in (True, False):
        schema = build_schema(settings, short_path=short_path)
        # twice on one schema: the second request reuses the first one's parsed document and the plans
        # (and nested builders) kept with it
        for _ in range(2 if short_path else 1):
            result = await schema.execute(
                document, variable_values=variables, context_value=make_context(settings, state)
            )
            assert not result.errors, result.errors
            answers.append(orjson.dumps({"data": result.data}))
    assert answers[0] == answers[1] == answers[2]
    assert b'"edges":[{' in answers[0] or b'esponses":[{' in answers[0] or b'"first":[{' in answers[0]


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (VIEWER_SUBGRAPH, {"center": "Krasner", "depth": 2, "limit": 200, "types": None}),
        (VIEWER_RESPONSES, {"to": "Krasner", "types": None, "since": None, "until": None, "first": 100}),
    ],
)
async def test_the_viewers_queries_are_one_statement_answered_from_the_records(
    document: str,
    variables: dict[str, Any],
    settings: Settings,
    driver: AsyncDriver,
    seeded: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The viewer's neighbourhood asks for each edge's article: the statement fetches the articles with
    the edges, so the answer takes one read and is built from the maps (no object made, no loader)."""
    made: list[str] = []
    objects = execution.Rows.objects

    def counting(self: execution.Rows[Any]) -> list[Any]:
        made.append(self.type_name)
        return objects(self)

    monkeypatch.setattr(execution.Rows, "objects", counting)
    statements: list[str] = []
    state = SimpleNamespace(driver=driver, query_listeners=[lambda cypher, _: statements.append(cypher)])
    result = await build_schema(settings).execute(
        document, variable_values=variables, context_value=make_context(settings, state)
    )
    assert not result.errors, result.errors
    assert len(statements) == 1, statements
    assert made == []
    answer = orjson.dumps(result.data)
    assert b'"article":{"id":' in answer
