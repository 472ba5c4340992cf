"""The short execution path (app/graphql/execution.py) answers exactly as graphql-core's own: the same
data and the same errors for aliases, __typename, fragments, @skip/@include, interfaces, nulls in
non-null places and values of the wrong type; and it really is taken for attribute fields."""

from __future__ import annotations

import math
from typing import Any

import pytest
import strawberry

from app.graphql import execution
from app.graphql.execution import FastExecutionContext


@strawberry.interface
class Thing:
    id: strawberry.ID
    name: str


@strawberry.type
class Evidence:
    sentence: str | None
    confidence: float | None
    tags: list[str]


@strawberry.type
class Person(Thing):
    offices: list[str]

    @strawberry.field
    def loud_name(self) -> str:
        return self.name.upper()


def _per_thousand(root: Place) -> float | None:
    return None if root.population is None else root.population / 1000


@strawberry.type
class Place(Thing):
    population: int | None
    thousands: float | None = strawberry.field(resolver=_per_thousand)

    @strawberry.field
    def motto(self) -> str:
        if self.name == "Philadelphia":
            raise ValueError("no motto for Philadelphia")
        return "none"

    @strawberry.field
    def asked_as(self, info: strawberry.Info) -> str:
        return info.field_name


@strawberry.type
class Edge:
    id: strawberry.ID
    source: strawberry.ID
    target: Thing
    evidence: Evidence | None
    weight: float  # non-null: a None here must null the edge, as graphql-core does


def _people() -> list[Edge]:
    krasner = Person(id=strawberry.ID("p:1"), name="Krasner", offices=["DA"])
    philly = Place(id=strawberry.ID("pl:1"), name="Philadelphia", population=1_500_000)
    return [
        Edge(
            id=strawberry.ID("e1"),
            source=strawberry.ID("p:2"),
            target=krasner,
            evidence=Evidence(sentence="He said so.", confidence=0.9, tags=["a", "b"]),
            weight=1.0,
        ),
        Edge(id=strawberry.ID("e2"), source=strawberry.ID("p:3"), target=philly, evidence=None, weight=0.5),
    ]


@strawberry.type
class Query:
    @strawberry.field
    async def edges(self, broken: bool = False, bad_float: bool = False) -> list[Edge | None]:
        edges: list[Edge | None] = list(_people())
        if broken:
            edges[1].weight = None  # type: ignore[assignment, union-attr]
        if bad_float:
            edges[0].weight = math.nan  # type: ignore[union-attr]
        return edges

    @strawberry.field
    def thing(self) -> Thing:
        return _people()[0].target


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    fast = strawberry.Schema(query=Query, types=[Person, Place], execution_context_class=FastExecutionContext)
    stock = strawberry.Schema(query=Query, types=[Person, Place])
    return fast, stock


DOCUMENTS = [
    "{ edges { id source target { id name } evidence { sentence confidence tags } weight } }",
    # aliases, __typename at every level, the same field twice under two names
    "{ e: edges { key: id __typename target { __typename n: name name } "
    "evidence { s: sentence __typename } w: weight again: weight } }",
    # fragments and inline fragments on the interface's implementations
    "query { edges { ...E } } fragment E on Edge { id target { ...T ... on Place { population } } } "
    "fragment T on Thing { id ... on Person { offices } }",
    # a field with a resolver among attribute fields, below an interface
    "{ edges { target { name ... on Person { loudName } } } thing { id ... on Person { loudName } } }",
    # resolvers of the object alone (a method, a `root` function), one that raises, one that takes info
    "{ edges { target { ... on Place { thousands askedAs } } } }",
    "{ edges { id target { id ... on Place { thousands motto } } } }",
    # directives decided by variables
    "query($s: Boolean!) { edges { id @skip(if: $s) evidence @include(if: $s) { sentence } } }",
    # a null in a non-null attribute: the error, its path, and the null propagated to the list item
    "{ edges(broken: true) { id weight } }",
    # a value the scalar cannot represent
    "{ edges(badFloat: true) { id weight evidence { tags } } }",
]


def _plain(result: Any) -> dict[str, Any]:
    return {
        "data": result.data,
        "errors": [
            (e.message, e.path, [(loc.line, loc.column) for loc in e.locations or []])
            for e in result.errors or []
        ],
    }


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("skip", [True, False])
async def test_short_path_answers_as_graphql_core_does(document: str, skip: bool) -> None:
    fast, stock = _schemas()
    variables = {"s": skip} if "$s" in document else None
    got = _plain(await fast.execute(document, variable_values=variables))
    want = _plain(await stock.execute(document, variable_values=variables))
    assert got == want
    assert got["data"] is not None


async def test_errors_keep_their_path_and_null_the_nearest_nullable_parent() -> None:
    fast, _ = _schemas()
    result = await fast.execute("{ edges(broken: true) { id weight } }")
    assert result.data == {"edges": [{"id": "e1", "weight": 1.0}, None]}
    assert result.errors is not None
    assert [e.path for e in result.errors] == [["edges", 1, "weight"]]


async def test_attribute_fields_skip_the_resolve_info(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    original = FastExecutionContext.build_resolve_info

    def counting(self: Any, field_def: Any, field_nodes: Any, parent_type: Any, path: Any) -> Any:
        built.append(f"{parent_type.name}.{field_nodes[0].name.value}")
        return original(self, field_def, field_nodes, parent_type, path)

    monkeypatch.setattr(FastExecutionContext, "build_resolve_info", counting)
    fast, _ = _schemas()
    result = await fast.execute(
        "{ edges { id source target { id name ... on Person { loudName } ... on Place { thousands } } "
        "evidence { sentence tags } weight } }"
    )
    assert result.errors is None
    assert result.data is not None and result.data["edges"][1]["target"]["thousands"] == 1500.0
    # Only the root field, which has a resolver that is not a plain one, goes graphql-core's way: the
    # attributes and the resolvers of the object alone (loudName, thousands) do not.
    assert built == ["Query.edges"]
    assert execution.DEFINITION_BACKREF == "strawberry-definition"


async def test_a_resolver_that_needs_the_info_or_raises_goes_graphql_cores_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []
    original = FastExecutionContext.build_resolve_info

    def counting(self: Any, field_def: Any, field_nodes: Any, parent_type: Any, path: Any) -> Any:
        built.append(f"{parent_type.name}.{field_nodes[0].name.value}")
        return original(self, field_def, field_nodes, parent_type, path)

    monkeypatch.setattr(FastExecutionContext, "build_resolve_info", counting)
    fast, _ = _schemas()
    result = await fast.execute("{ edges { target { ... on Place { askedAs motto } } } }")
    assert result.data == {"edges": [{"target": {}}, None]}
    assert result.errors is not None
    assert [(e.message, e.path) for e in result.errors] == [
        ("no motto for Philadelphia", ["edges", 1, "target", "motto"])
    ]
    assert "Place.askedAs" in built and "Place.motto" in built


@strawberry.type
class Holder:
    name: str
    held: strawberry.Private[list[Evidence] | None] = None

    @strawberry.field(metadata={execution.PREFETCHED: "held"})
    async def items(self, info: strawberry.Info) -> list[Evidence]:
        info.context["resolved"].append(self.name)
        if self.held is not None:
            return self.held
        return [Evidence(sentence=f"fetched for {self.name}", confidence=None, tags=[])]


@strawberry.type
class HolderQuery:
    @strawberry.field
    async def holders(self) -> list[Holder]:
        ev = Evidence(sentence="already here", confidence=0.5, tags=["x"])
        return [Holder(name="with", held=[ev]), Holder(name="without")]


async def test_a_prefetched_field_reads_what_the_object_holds_and_resolves_what_it_does_not() -> None:
    document = "{ holders { name items { sentence confidence } } }"
    fast = strawberry.Schema(query=HolderQuery, execution_context_class=FastExecutionContext)
    stock = strawberry.Schema(query=HolderQuery)
    fast_context: dict[str, list[str]] = {"resolved": []}
    stock_context: dict[str, list[str]] = {"resolved": []}
    got = await fast.execute(document, context_value=fast_context)
    want = await stock.execute(document, context_value=stock_context)
    assert got.errors is None and got.data == want.data
    assert got.data == {
        "holders": [
            {"name": "with", "items": [{"sentence": "already here", "confidence": 0.5}]},
            {"name": "without", "items": [{"sentence": "fetched for without", "confidence": None}]},
        ]
    }
    assert fast_context["resolved"] == ["without"]  # the held value was read, not resolved
    assert stock_context["resolved"] == ["with", "without"]


@pytest.mark.parametrize("document", DOCUMENTS)
async def test_one_parsed_document_run_again_and_again_answers_as_graphql_core_does(document: str) -> None:
    """Plans are kept across requests of one parsed document (the parser cache's, the known-query
    lane's): what a request selects under @skip/@include must still follow its own variables."""
    from graphql import execute, parse

    fast, stock = _schemas()
    parsed = parse(document)
    for skip in (True, False, False, True):
        variables = {"s": skip} if "$s" in document else None
        got = _plain(
            await execute(  # type: ignore[misc]
                fast._schema, parsed, variable_values=variables, executor_class=FastExecutionContext
            )
        )
        want = _plain(await stock.execute(document, variable_values=variables))
        assert got == want, (document, skip)


async def test_plans_of_a_document_without_directives_are_shared_by_its_requests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from graphql import execute, parse

    fast, _ = _schemas()
    monkeypatch.setattr(execution, "_SHARED_PLANS", {})
    calls = 0
    original = FastExecutionContext.collect_subfields

    def counting(self: Any, *args: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, *args)

    monkeypatch.setattr(FastExecutionContext, "collect_subfields", counting)
    plain = parse("{ edges { id evidence { sentence tags } } }")
    conditional = parse("query($s: Boolean!) { edges { id evidence @include(if: $s) { sentence } } }")
    for document, variables in ((plain, None), (conditional, {"s": True})):
        counts = []
        for _ in range(3):
            before = calls
            result = await execute(  # type: ignore[misc]
                fast._schema,
                document,
                variable_values=variables,
                executor_class=FastExecutionContext,
            )
            assert result.errors is None
            counts.append(calls - before)
        if document is plain:
            assert counts == [2, 0, 0]  # the edges and their evidence: planned once, then shared
        else:
            assert counts == [2, 1, 1]  # the level holding @include is planned again for every request
