"""What a document may ask for, decided in one linear pass before any validation rule runs.

Each fragment is expanded once and its figures memoised, so thirty fragments each spreading the next
twice cost thirty steps here, not 2^30 (Strawberry's depth and alias limiters, and any rule that
re-walks fragments per spread, recurse without memory). From that one pass come:

- depth: nesting of fields, the root fields at 0 (`__schema` and `__type` are not counted);
- selections: fields and fragment spreads once fragments are expanded, at most `KG_MAX_SELECTIONS`;
  validation compares same-named fields and fragments pairwise (OverlappingFieldsCanBeMerged), so this
  bounds its time;
- aliases: every aliased field, a fragment's counted once per spread;
- cost: every field costs 1, and a list multiplies what it holds by its size: the `first` or `limit`
  argument (its value, its variable's value, its default, else `KG_MAX_PAGE_SIZE`) for paginated
  fields and for the `edges`/`nodes` lists of what they return; for unpaginated lists of objects,
  `SHORT_LIST_SIZE` for those short by nature (`SHORT_LISTS`: offices, sponsors, ...) and
  `KG_MAX_PAGE_SIZE` for the others (an article's assertions and mentions, a job's articles). A document
  above `KG_MAX_QUERY_COST` is refused before it runs.

Variables are bounded too, by count and by the number of values they hold (a million-item list took the
event loop for seconds while it was coerced).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
)
from graphql.type import GraphQLInterfaceType
from strawberry.extensions import SchemaExtension

from app.request_body import count_values  # one count for variables and request bodies

SIZE_ARGUMENTS = ("first", "limit")
# Unpaginated lists that stay short by nature (a person's offices, a bill's sponsors, the label counts)
# count as this many items; every other unpaginated list of objects counts as a full page.
SHORT_LISTS = frozenset(
    ("offices", "holders", "sponsors", "supporters", "opponents", "participants")
    + ("labels", "relationshipTypes")
)
SHORT_LIST_SIZE = 10


class LimitExceeded(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "LIMIT_EXCEEDED"})


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_cost: int
    page_size: int
    max_variables: int
    max_variable_values: int
    max_selections: int


@dataclass(frozen=True)
class Figures:
    depth: int  # levels below the selection set's own fields (0: only leaves)
    aliases: int
    cost: int
    selections: int  # fields and fragment spreads once fragments are expanded, lists not multiplied


_EMPTY = Figures(-1, 0, 0, 0)
_SPREAD = Figures(-1, 0, 0, 1)


def _combine(parts: Iterator[Figures]) -> Figures:
    depth, aliases, cost, selections = -1, 0, 0, 0
    for part in parts:
        depth = max(depth, part.depth)
        aliases += part.aliases
        cost += part.cost
        selections += part.selections
    return Figures(depth, aliases, cost, selections)


class _Analysis:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        limits: Limits,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.limits = limits
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int | None], Figures] = {}
        self.visiting: set[str] = set()

    def _size(self, field: FieldNode, definition: GraphQLField) -> int | None:
        """The page size a field asks for, when it takes `first` or `limit`."""
        for name in SIZE_ARGUMENTS:
            if name not in definition.args:
                continue
            value: Any = None
            for arg in field.arguments or ():
                if arg.name.value != name:
                    continue
                if isinstance(arg.value, IntValueNode):
                    value = int(arg.value.value)
                elif isinstance(arg.value, VariableNode):
                    value = self.variables.get(arg.value.name.value)
            if value is None:
                value = definition.args[name].default_value
            if not isinstance(value, int) or isinstance(value, bool):
                value = self.limits.page_size
            return max(0, min(value, self.limits.page_size))
        return None

    def selection(
        self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode | None, pending: int | None
    ) -> Figures:
        if selection_set is None:
            return _EMPTY
        return _combine(self._parts(parent, selection_set, pending))

    def _parts(
        self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode, pending: int | None
    ) -> Iterator[Figures]:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                yield self.field(parent, node, pending)
            elif isinstance(node, InlineFragmentNode):
                cond = node.type_condition
                target = self.schema.get_type(cond.name.value) if cond else parent
                yield self.selection(target, node.selection_set, pending)
            elif isinstance(node, FragmentSpreadNode):
                yield self.fragment(node.name.value, pending)
                yield _SPREAD

    def fragment(self, name: str, pending: int | None) -> Figures:
        key = (name, pending)
        if key in self.memo:
            return self.memo[key]
        definition = self.fragments.get(name)
        if definition is None or name in self.visiting:
            return _EMPTY  # unknown or cyclic: validation names the problem
        self.visiting.add(name)
        try:
            target = self.schema.get_type(definition.type_condition.name.value)
            figures = self.selection(target, definition.selection_set, pending)
        finally:
            self.visiting.discard(name)
        self.memo[key] = figures
        return figures

    def field(self, parent: GraphQLNamedType | None, node: FieldNode, pending: int | None) -> Figures:
        name = node.name.value
        alias = 1 if node.alias else 0
        if name in ("__schema", "__type"):
            return Figures(-1, alias, 0, 1)  # introspection: a fixed shape, bounded by the schema
        definition = None
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            definition = parent.fields.get(name)
        if definition is None:
            inner = self.selection(None, node.selection_set, None)
            return Figures(inner.depth + 1, alias + inner.aliases, 1 + inner.cost, 1 + inner.selections)
        returns = get_nullable_type(definition.type)  # type: ignore[arg-type]
        target = get_named_type(returns)
        own = self._size(node, definition)
        multiplier = 1
        child_pending = None
        if isinstance(returns, GraphQLList) and not is_leaf_type(target):
            if own is not None:
                multiplier = own
            elif pending is not None:
                multiplier = pending
            else:
                multiplier = SHORT_LIST_SIZE if name in SHORT_LISTS else self.limits.page_size
        elif own is not None:
            child_pending = own  # a connection or subgraph: its lists hold `own` items
        inner = self.selection(target, node.selection_set, child_pending)
        cost = 1 + multiplier * inner.cost
        return Figures(inner.depth + 1, alias + inner.aliases, cost, 1 + inner.selections)


def check_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    limits: Limits,
) -> None:
    """Raise `LimitExceeded` (or a `GraphQLError` for a document that names no operation to run)."""
    variables = variables or {}
    if len(variables) > limits.max_variables:
        raise LimitExceeded(
            f"{len(variables)} variables; the limit is {limits.max_variables} (KG_MAX_VARIABLES)"
        )
    values = count_values(list(variables.values()), limits.max_variable_values + 1) - 1
    if values > limits.max_variable_values:
        raise LimitExceeded(
            f"the variables hold more than {limits.max_variable_values:,} values "
            "(KG_MAX_VARIABLE_VALUES); page through long lists instead"
        )
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1 and not operation_name:
        raise GraphQLError(
            f"the document has {len(operations)} operations: name the one to run with operationName"
        )
    analysis = _Analysis(schema, document, variables, limits)
    for op in operations:
        if operation_name and (op.name is None or op.name.value != operation_name):
            continue
        root = schema.get_root_type(op.operation)
        figures = analysis.selection(root, op.selection_set, None)
        label = f"'{op.name.value}'" if op.name else "the operation"
        # Strawberry's limiters' wording, which clients already match on.
        if figures.depth > limits.max_depth:
            raise LimitExceeded(f"{label} exceeds maximum operation depth of {limits.max_depth}")
        if figures.aliases > limits.max_aliases:
            raise LimitExceeded(f"{figures.aliases} aliases found. Allowed: {limits.max_aliases}")
        if figures.selections > limits.max_selections:
            raise LimitExceeded(
                f"the document makes {figures.selections:,} selections (fields and fragment spreads) once "
                f"its fragments are expanded; the limit is {limits.max_selections:,} (KG_MAX_SELECTIONS)"
            )
        if figures.cost > limits.max_cost:
            raise LimitExceeded(
                f"the document would cost {figures.cost:,}; the budget is {limits.max_cost:,} "
                "(KG_MAX_QUERY_COST: each field 1, lists multiply by their size). Ask for smaller "
                "pages (first:) or fewer nested lists"
            )


class PassedChecks:
    """The (document, operation name, variables) that passed `check_document`, the last `size` of them.

    The parser cache hands out one document object per query text, so a client asking the same question
    again brings the same object: it is known by identity (the entry holds the document, so its id cannot
    be reused while the entry lives), with the operation name and the variables as JSON. Variables past
    `MAX_VARIABLES_BYTES` are not kept (a large list would make a large key); they are checked each time.
    The check costs 80-150 microseconds for the benches' documents; a hit, a few."""

    MAX_VARIABLES_BYTES = 4096

    def __init__(self, size: int) -> None:
        self.size = size
        self._passed: OrderedDict[tuple[int, str | None, bytes], DocumentNode] = OrderedDict()

    def key(
        self, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None
    ) -> tuple[int, str | None, bytes] | None:
        if operation_name is not None and not isinstance(operation_name, str):
            return None  # a malformed request (an object or list as operationName): refused later on
        try:
            values = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS) if variables else b""
        except TypeError:  # not JSON (variables from Python callers): checked each time
            return None
        if len(values) > self.MAX_VARIABLES_BYTES:
            return None
        return id(document), operation_name, values

    def passed(self, key: tuple[int, str | None, bytes], document: DocumentNode) -> bool:
        if self._passed.get(key) is not document:
            return False
        self._passed.move_to_end(key)
        return True

    def add(self, key: tuple[int, str | None, bytes], document: DocumentNode) -> None:
        self._passed[key] = document
        self._passed.move_to_end(key)
        while len(self._passed) > self.size:
            self._passed.popitem(last=False)


class CostLimiter(SchemaExtension):
    """Runs `check_document` right after parsing, before validation (and its cache) sees the document;
    with `passed`, a document that passed with the same operation name and variables is not checked again."""

    def __init__(self, limits: Limits, passed: PassedChecks | None = None) -> None:
        super().__init__()
        self.limits = limits
        self.passed = passed

    def on_parse(self) -> Iterator[None]:
        yield
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is None:
            return
        # The name the client sent: `ctx.operation_name` falls back to the first operation's name.
        provided = getattr(ctx, "_provided_operation_name", None)
        key = self.passed.key(document, provided, ctx.variables) if self.passed is not None else None
        if key is not None and self.passed is not None and self.passed.passed(key, document):
            return
        check_document(ctx.schema._schema, document, provided, ctx.variables, self.limits)
        if key is not None and self.passed is not None:
            self.passed.add(key, document)
