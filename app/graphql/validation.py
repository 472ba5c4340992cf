"""Validation with a bounded cache, and the production choices the stock `ValidationCache` cannot make:
no "Did you mean ...?" suggestions (they map the schema for a caller introspection would be refused to),
and, unless `KG_ALLOW_INTROSPECTION` says otherwise, no `__schema`/`__type`."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator

from graphql import DocumentNode, GraphQLError, GraphQLSchema
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

CACHE_SIZE = 256
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


_Key = tuple[int, int, tuple[type[ASTValidationRule], ...], bool]
_validated: OrderedDict[_Key, tuple[GraphQLSchema, DocumentNode, list[GraphQLError]]] = OrderedDict()


def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    """Validation results of the last CACHE_SIZE (schema, document, rules), the document known by identity:
    the parser cache hands out one object per query text. (An `lru_cache` hashed the document instead,
    which graphql-core does by walking the whole tree: 25-55 microseconds a request for the benches'
    documents.) Each entry holds its schema and document, so their ids cannot be reused while it lives."""
    key = (id(schema), id(document), rules, hide_suggestions)
    hit = _validated.get(key)
    if hit is not None and hit[0] is schema and hit[1] is document:
        _validated.move_to_end(key)
        return hit[2]
    errors = validate(
        schema,
        document,
        (*rules, MaybeNullValidationRule, OneOfInputValidationRule),
        hide_suggestions=hide_suggestions,
    )
    _validated[key] = (schema, document, errors)
    while len(_validated) > CACHE_SIZE:
        _validated.popitem(last=False)
    return errors


def without_suggestions(message: str) -> str:
    """Execution errors (a variable's enum value) still suggest; production drops the suggestion."""
    return _SUGGESTION.sub("", message)


class Validation(SchemaExtension):
    def __init__(self, *, introspection: bool, suggestions: bool) -> None:
        super().__init__()
        self.introspection = introspection
        self.suggestions = suggestions

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        rules = tuple(ctx.validation_rules)
        if not self.introspection:
            rules = (*rules, NoSchemaIntrospectionCustomRule)
        assert ctx.graphql_document is not None
        ctx.pre_execution_errors = _validate(
            ctx.schema._schema, ctx.graphql_document, rules, not self.suggestions
        )
        yield
