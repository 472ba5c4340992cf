"""Execution with a short path for fields that only read an attribute.

graphql-core resolves every field the same way: a `Path`, a `GraphQLResolveInfo`, the resolver (for a
Strawberry field without a resolver, three wrapped calls ending in `getattr`), then `complete_value`. A
depth-2 subgraph has a few thousand such fields, and that per-field machinery was most of the API's CPU
under load (docs/performance.md).

`FastExecutionContext` keeps graphql-core's executor and changes one thing: when a field is a plain
attribute of a Strawberry type (no resolver, no arguments, no middleware) its value is read with
`getattr` and completed here, without a resolve info or a path, and so is everything below it as long as
it is made of such fields too (leaves are coerced by their GraphQL type, objects checked with the type's
`is_type_of`, interface values typed by their Strawberry class). Anything else (a field with a resolver,
an error, a null in a non-null position, a value of an unexpected type) falls back to graphql-core's own
`execute_field` for that field, which reads the same attribute again and answers exactly as it always
does: paths, locations and null propagation included. Which fields are selected, under which response
names (aliases), through which fragments and with which `@skip`/`@include` still comes from
graphql-core's `collect_subfields`, so the answer's shape is the one the document asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLUnionType,
)
from graphql.pyutils import Path, Undefined, gather_with_cancel
from graphql.type import GraphQLEnumType, GraphQLScalarType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.cast import get_strawberry_type_cast

DEFINITION_BACKREF = "strawberry-definition"

# What a planned field is.
_SLOW = 0  # graphql-core's own path
_ATTR = 1  # an attribute of the source, completed here
_TYPENAME = 2  # `__typename` of an object type: its name


class _Fallback(Exception):
    """The short path cannot complete this value; graphql-core's path will."""


_FALLBACK = _Fallback()


@dataclass(frozen=True, slots=True)
class _Field:
    kind: int
    name: str  # the response name (the alias, if any)
    details: Any  # graphql-core's FieldDetailsList for this response name
    attribute: str = ""
    type: GraphQLOutputType | None = None


@dataclass(frozen=True, slots=True)
class _Plan:
    fields: tuple[_Field, ...]
    all_short: bool  # every field is an attribute or __typename


def _attribute(field: GraphQLField | None) -> str | None:
    """The Python attribute a field reads, when it is a plain Strawberry attribute read with getattr."""
    if field is None or field.args:
        return None
    resolve = field.resolve
    if resolve is None or getattr(resolve, "__name__", "") != "_get_basic_result":
        return None
    definition = (field.extensions or {}).get(DEFINITION_BACKREF)
    if definition is None or getattr(definition, "base_resolver", None) is not None:
        return None
    if getattr(definition, "default_resolver", getattr) is not getattr:
        return None
    name = getattr(definition, "python_name", None)
    return name if isinstance(name, str) else None


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the short path for attribute fields (module docstring)."""

    _plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _Plan]]

    def _plan(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> _Plan:
        # graphql-core memoises the grouped field set per selection, so its identity is a good key; the
        # set is kept alive with the plan so that its id cannot be reused while this request runs.
        try:
            plans = self._plans
        except AttributeError:
            plans = self._plans = {}
        key = (parent_type, id(grouped_field_set))
        cached = plans.get(key)
        if cached is not None:
            return cached[1]
        fields = []
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            field_name = node.name.value
            if field_name == "__typename":
                fields.append(_Field(_TYPENAME, response_name, details))
                continue
            definition = parent_type.fields.get(field_name)
            attribute = None if node.arguments else _attribute(definition)
            if attribute is None or definition is None:
                fields.append(_Field(_SLOW, response_name, details))
            else:
                fields.append(_Field(_ATTR, response_name, details, attribute, definition.type))
        plan = _Plan(tuple(fields), all(f.kind != _SLOW for f in fields))
        plans[key] = (grouped_field_set, plan)
        return plan

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plan = self._plan(parent_type, grouped_field_set)
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for field in plan.fields:
                if field.kind == _TYPENAME:
                    results[field.name] = parent_type.name
                    continue
                if field.kind == _ATTR:
                    try:
                        value = getattr(source_value, field.attribute)
                        results[field.name] = self._complete(field.type, field.details, value)  # type: ignore[arg-type]
                        continue
                    except Exception:  # noqa: BLE001 - graphql-core's path reports it properly
                        pass
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field.details,
                    Path(path, field.name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[field.name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(field.name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return self._gather_fields(results, awaitable_fields)

    async def _gather_fields(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        if len(awaitable_fields) == 1:
            name = awaitable_fields[0]
            results[name] = await results[name]
        else:
            awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, awaited, strict=True))
        return results

    def _complete(self, return_type: GraphQLOutputType, details: Any, value: Any) -> Any:
        """`value` completed as `return_type`, or `_Fallback` when only graphql-core's path can say how."""
        if isinstance(return_type, GraphQLNonNull):
            if value is None:
                raise _FALLBACK
            return_type = return_type.of_type
        if value is None:
            return None
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            coerced = return_type.coerce_output_value(value)
            if coerced is None or coerced is Undefined:
                raise _FALLBACK
            return coerced
        if isinstance(return_type, GraphQLList):
            if not isinstance(value, list | tuple):
                raise _FALLBACK
            item_type = return_type.of_type
            return [self._complete(item_type, details, item) for item in value]
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            return_type = self._runtime_type(return_type, value)
        if isinstance(return_type, GraphQLObjectType):
            is_type_of = return_type.is_type_of
            # Strawberry's own is_type_of reads only the value; one that needs the info (or answers
            # with an awaitable) fails or is not True here, and graphql-core's path asks it properly.
            if is_type_of is not None and is_type_of(value, None) is not True:  # type: ignore[arg-type]
                raise _FALLBACK
            grouped = self.collect_subfields(return_type, details).grouped_field_set
            plan = self._plan(return_type, grouped)
            if not plan.all_short:
                raise _FALLBACK
            out: dict[str, Any] = {}
            for field in plan.fields:
                if field.kind == _TYPENAME:
                    out[field.name] = return_type.name
                else:
                    out[field.name] = self._complete(
                        field.type,  # type: ignore[arg-type]
                        field.details,
                        getattr(value, field.attribute),
                    )
            return out
        raise _FALLBACK

    def _runtime_type(
        self, abstract: GraphQLInterfaceType | GraphQLUnionType, value: Any
    ) -> GraphQLObjectType:
        """The object type of a Strawberry value behind an interface or union, as Strawberry decides it
        for a direct instance of a non-generic type; anything else goes graphql-core's way."""
        if get_strawberry_type_cast(value) is not None:
            raise _FALLBACK
        definition = getattr(type(value), "__strawberry_definition__", None)
        if definition is None or definition.is_graphql_generic:
            raise _FALLBACK
        runtime = self.schema.get_type(definition.name)
        if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(abstract, runtime):
            raise _FALLBACK
        return runtime
