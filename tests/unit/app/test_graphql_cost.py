"""Depth, aliases, fields, cost and variables: one memoised pass before validation, cheap on any document."""

from __future__ import annotations

import time

import pytest
from graphql import GraphQLError, parse

from app.config import Settings
from app.graphql.cost import LimitExceeded, Limits, check_document
from app.graphql.schema import build_schema, schema

LIMITS = Limits(
    max_depth=10,
    max_aliases=30,
    max_cost=100_000,
    page_size=100,
    max_variables=50,
    max_variable_values=10_000,
    max_selections=200,
)
SERVER = build_schema(Settings(KG_ENV="test"))  # type: ignore[call-arg]


def fragment_bomb(levels: int) -> str:
    """Each fragment spreads the next twice: 2^levels fields once expanded, about 40 bytes a level."""
    frags = ["fragment F0 on Query { stats { entities } }"]
    frags += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query Bomb {{ ...F{levels} }}\n" + "\n".join(frags)


def check(document: str, variables: dict | None = None, operation: str | None = None) -> None:
    check_document(schema._schema, parse(document), operation, variables, LIMITS)


@pytest.mark.parametrize("levels", [18, 30, 150])
async def test_fragment_fan_out_is_refused_in_milliseconds(levels: int) -> None:
    document = fragment_bomb(levels)
    await SERVER.execute("{ __typename }")  # first-request set-up is not what this measures
    started = time.perf_counter()
    result = await SERVER.execute(document)
    elapsed = time.perf_counter() - started
    assert result.errors and "once its fragments are expanded" in result.errors[0].message
    assert result.errors[0].extensions == {"code": "LIMIT_EXCEEDED"}
    # Strawberry's limiters took 2.5-5.8 s at 18 levels and minutes at 30; anything that expands the
    # fragments would never finish at 150 (2^150 fields). This takes milliseconds; the bound is loose
    # enough for a loaded 2-core machine (0.46 s seen once at 150 levels beside three benches) and still
    # far below what expanding even 18 levels costs.
    assert elapsed < 2.0, f"{levels} levels took {elapsed:.3f} s"


async def test_depth_and_aliases_through_fragments_are_counted_without_re_walking_them() -> None:
    frags = ["fragment D0 on Person { name }"]
    frags += [f"fragment D{i} on Person {{ offices {{ holders {{ ...D{i - 1} }} }} }}" for i in range(1, 7)]
    deep = '{ person(name: "x") { ...D6 } }\n' + "\n".join(frags)
    with pytest.raises(LimitExceeded, match="exceeds maximum operation depth of 10"):
        check(deep)
    aliased = "fragment A on Query { a: stats { entities } b: stats { entities } }\n"
    aliased += "{ " + " ".join(f"x{i}: stats {{ entities }} ...A" for i in range(15)) + " }"
    with pytest.raises(LimitExceeded, match="45 aliases found. Allowed: 30"):
        check(aliased)


def test_cost_multiplies_list_sizes() -> None:
    # 183 bytes that returned 133 MB: three nested pages of 100.
    runaway = (
        "{ relations(first: 100) { nodes { source { relations(first: 100) { nodes { target {"
        " relations { nodes { evidence { sentence } } } } } } } } } }"
    )
    with pytest.raises(LimitExceeded, match=r"would cost [\d,]+; the budget is 100,000 \(KG_MAX_QUERY_COST"):
        check(runaway)
    # The same shape with small pages is fine, as is a variable page size.
    check(
        "query($n: Int) { relations(first: 10) { nodes { source { relations(first: $n) { nodes { "
        "target { name } } } } } } }",
        {"n": 10},
    )
    with pytest.raises(LimitExceeded):
        check(
            "query($n: Int) { relations(first: 100) { nodes { source { relations(first: $n) { nodes { "
            "target { relations { totalCount nodes { type evidence { sentence quote } } } } } } } } } }",
            {"n": 100},
        )
    # Unpaginated lists count at the page size: an article's assertions within a page of articles.
    with pytest.raises(LimitExceeded):
        check("{ articles(first: 100) { nodes { assertions { source { relations { nodes { type } } } } } } }")
    check('{ subgraph(center: "x", limit: 100) { nodes { id label } edges { id source target } } }')


def test_selections_are_bounded_before_validation_compares_them_pairwise() -> None:
    with pytest.raises(LimitExceeded, match=r"makes 201 selections .* limit is 200 \(KG_MAX_SELECTIONS\)"):
        check("{ " + " ".join("__typename" for _ in range(201)) + " }")
    check("{ " + " ".join("__typename" for _ in range(200)) + " }")
    # 67 fragments each selecting `stats { entities }`: 67 spreads + 134 fields.
    frags = "\n".join(f"fragment G{i} on Query {{ stats {{ entities }} }}" for i in range(67))
    with pytest.raises(LimitExceeded, match="makes 201 selections"):
        check(frags + "\n{ " + " ".join(f"...G{i}" for i in range(67)) + " }")


def test_variables_are_bounded_in_number_and_size() -> None:
    huge = {"t": ["CRITICIZED"] * 1_000_000}  # the 14 MB variable that held the event loop for 10-15 s
    started = time.perf_counter()
    with pytest.raises(LimitExceeded, match="KG_MAX_VARIABLE_VALUES"):
        check("query($t: [RelationType!]) { relations(filter: {types: $t}) { totalCount } }", huge)
    assert time.perf_counter() - started < 0.25
    many = {f"v{i}": 1 for i in range(51)}
    with pytest.raises(LimitExceeded, match="51 variables; the limit is 50"):
        check("{ stats { entities } }", many)


def test_several_operations_need_an_operation_name() -> None:
    two = "query A { stats { entities } } query B { stats { assertions } }"
    with pytest.raises(GraphQLError, match="2 operations: name the one to run with operationName"):
        check(two)
    check(two, operation="B")
