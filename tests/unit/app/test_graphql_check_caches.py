"""The limits check and validation run once per (document, operation, variables), not once per request,
and a cached pass never lets different variables through (app/graphql/cost.py: PassedChecks,
app/graphql/validation.py)."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

import app.graphql.cost as cost
import app.graphql.validation as validation
from app.config import Settings
from app.graphql.schema import build_schema

# Small pages pass; at `n: 100` the same document is over the cost budget (KG_MAX_QUERY_COST).
PAGED = (
    "query Paged($n: Int) { relations(first: 100) { nodes { source { relations(first: $n) { nodes { "
    "target { relations { totalCount nodes { type evidence { sentence quote } } } } } } } } } }"
)


def over_budget(result: Any) -> bool:
    return any((e.extensions or {}).get("code") == "LIMIT_EXCEEDED" for e in result.errors or [])


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"check": 0, "validate": 0}
    check, validate = cost.check_document, validation.validate

    def counting_check(*args: Any) -> None:
        calls["check"] += 1
        check(*args)

    def counting_validate(*args: Any, **kwargs: Any) -> Any:
        calls["validate"] += 1
        return validate(*args, **kwargs)

    monkeypatch.setattr(cost, "check_document", counting_check)
    monkeypatch.setattr(validation, "validate", counting_validate)
    return calls


async def test_a_passed_document_is_not_checked_again_but_new_variables_are(counted: dict[str, int]) -> None:
    schema = build_schema(Settings(KG_ENV="test"))  # type: ignore[call-arg]
    # No context: the resolvers fail, after the limits and validation have passed.
    first = await schema.execute(PAGED, variable_values={"n": 1})
    again = await schema.execute(PAGED, variable_values={"n": 1})
    assert not over_budget(first) and not over_budget(again)
    assert counted == {"check": 1, "validate": 1}
    # The same document with a page size past the budget is checked, and refused, every time.
    for _ in range(2):
        assert over_budget(await schema.execute(PAGED, variable_values={"n": 100}))
    assert counted["check"] == 3
    # The operation named by the client is part of what passed: naming it is another check.
    assert not over_budget(await schema.execute(PAGED, variable_values={"n": 1}, operation_name="Paged"))
    assert counted["check"] == 4


async def test_a_validation_error_comes_back_the_same_from_the_cache(counted: dict[str, int]) -> None:
    schema = build_schema(Settings(KG_ENV="test"))  # type: ignore[call-arg]
    results = [await schema.execute("{ stats { noSuchField } }") for _ in range(2)]
    messages = [[e.message for e in r.errors or []] for r in results]
    assert messages[0] and messages[0] == messages[1]
    assert "noSuchField" in messages[0][0]
    assert counted["validate"] == 1


async def test_each_schema_keeps_its_own_passes(counted: dict[str, int]) -> None:
    # A server with a smaller budget must not take another schema's pass for its own.
    generous = build_schema(Settings(KG_ENV="test"))  # type: ignore[call-arg]
    strict = build_schema(Settings(KG_ENV="test", KG_MAX_QUERY_COST=100))  # type: ignore[call-arg]
    assert not over_budget(await generous.execute(PAGED, variable_values={"n": 1}))
    assert over_budget(await strict.execute(PAGED, variable_values={"n": 1}))


def test_an_operation_name_that_is_no_string_makes_no_key() -> None:
    # An object or list as operationName (a malformed request, answered 400 by the HTTP layer) must not
    # fail as an unhashable key first (the GraphQL-over-HTTP audit's 6C00 and 6C03 caught that).
    passed = cost.PassedChecks(4)
    document = parse(PAGED)
    for name in ({"a": 1}, ["a"]):
        assert passed.key(document, name, {"n": 1}) is None  # type: ignore[arg-type]
    assert passed.key(document, "Paged", {"n": 1}) is not None
    # Variables too large to keep as a key are checked each time.
    assert passed.key(document, None, {"n": 1, "ids": ["x" * 100] * 100}) is None
