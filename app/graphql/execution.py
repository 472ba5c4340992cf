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

A resolver may also hand a list of objects over as the statement's records (`Rows`: the records and the
function that makes each its object). Where the item type has readers for every field the selection asks
for (`read_records`: each field's value from the record, as the object would hold it), the short path
builds the answer straight from the records, with no object made; anywhere else, or on anything
unexpected, the objects are made and completed as above.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from keyword import iskeyword
from math import isfinite
from typing import Any, TypeVar, overload

from graphql import (
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLUnionType,
    InlineFragmentNode,
)
from graphql.pyutils import Path, Undefined, gather_with_cancel
from graphql.type import GraphQLEnumType, GraphQLFloat, GraphQLID, GraphQLScalarType, GraphQLString
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.cast import get_strawberry_type_cast

DEFINITION_BACKREF = "strawberry-definition"

# What a planned field is.
_SLOW = 0  # graphql-core's own path
_ATTR = 1  # an attribute of the source, completed here
_TYPENAME = 2  # `__typename` of an object type: its name
_PREFETCHED = 3  # a resolver field whose value the source may already hold (PREFETCHED below)
_CALL = 4  # a plain resolver of the source alone (no info, no arguments, synchronous): called here

#: Strawberry field metadata naming the attribute where a field's value may already be, fetched by the
#: statement that built the object (a responder's offices, a response's article). When it is there (not
#: None) the field completes like an attribute; when it is not, the field's resolver runs as usual.
PREFETCHED = "kg-prefetched"


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
    call: Callable[[Any], Any] | None = None  # for _CALL: the resolver, called with the source
    # For a scalar or enum field: its output coercion, whether it is non-null, and whether a `str` value
    # is its own output (String and ID), which is most of the leaves of an answer.
    coerce: Callable[[Any], Any] | None = None
    non_null: bool = False
    str_is_output: bool = False
    # A finite `float` is its own output (Float).
    float_is_output: bool = False
    # For a plan of a type read from records: the field's value read from the record (`read_records`).
    reader: Callable[[Any], Any] | str | None = None
    # For such a field of an object or interface type: the builders of its value's answer (by object
    # type name; None for an object type) whose plans are the same for every request of the document
    # (`_SHARED_PLANS`), so that the compiled plan calls them without a per-request look-up.
    shared_builds: dict[str | None, Callable[..., dict[str, Any]]] = dataclass_field(
        default_factory=dict, compare=False, repr=False
    )


#: A compiled builder of one record's answer, of (record, complete, child); and of a list of records'.
DirectBuild = Callable[[Any, Callable[..., Any], Callable[..., Any]], dict[str, Any]]
DirectListBuild = Callable[[Any, Callable[..., Any], Callable[..., Any]], list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class _Plan:
    fields: tuple[_Field, ...]
    all_short: bool  # every field is an attribute or __typename
    # For an all-short plan: `fields` unrolled into one function of (value, object type name, complete)
    # that builds the object's answer (`_compile`); None for the others.
    build: Callable[[Any, str, Callable[..., Any]], dict[str, Any]] | None = None
    # When the type has a reader for every field (`read_records`): the function of (record, complete)
    # that builds the object's answer from its record (`_compile_direct`); None for the others.
    direct: DirectBuild | None = None
    # The same for a list of records, with the loop inside (`_compile_direct`).
    direct_list: DirectListBuild | None = None


def _compile(fields: tuple[_Field, ...]) -> Callable[[Any, str, Callable[..., Any]], dict[str, Any]]:
    """The loop of `FastExecutionContext._object` over `fields`, written out once per plan as Python
    source and compiled: the same reads, coercions and fallbacks in the same order, without looking up
    each field's kind, attribute and coercion for every object of a list (a depth-2 answer on the bench
    graph has 200 nodes and 575 edges, each with its evidence)."""
    env: dict[str, Any] = {"_leaf": _leaf, "_FALLBACK": _FALLBACK}
    lines = ["def build(value, type_name, complete):", "    out = {}"]
    for i, field in enumerate(fields):
        name = repr(field.name)
        env[f"f{i}"] = field
        attr = field.attribute
        read = f"value.{attr}" if attr.isidentifier() and not iskeyword(attr) else f"getattr(value, {attr!r})"
        if field.kind == _TYPENAME:
            lines.append(f"    out[{name}] = type_name")
            continue
        if field.call is not None:
            env[f"c{i}"] = field.call
            read = f"c{i}(value)"
        lines.append(f"    v = {read}")
        if field.coerce is not None:
            if field.str_is_output:
                lines.append(f"    out[{name}] = v if type(v) is str else _leaf(f{i}, v)")
            else:
                lines.append(f"    out[{name}] = _leaf(f{i}, v)")
            continue
        if field.kind == _PREFETCHED and field.call is None:
            lines.append("    if v is None:")
            lines.append("        raise _FALLBACK")
        lines.append(f"    out[{name}] = complete(f{i}.type, f{i}.details, v)")
    lines.append("    return out")
    exec(compile("\n".join(lines), "<short-path plan>", "exec"), env)  # noqa: S102 - our own source
    return env["build"]  # type: ignore[no-any-return]


def _compile_direct(
    type_name: str, fields: tuple[_Field, ...], check: Check | None = None
) -> tuple[DirectBuild, DirectListBuild]:
    """Like `_compile`, for a type read from records: each field's value comes from its reader (called
    with the record, or for a string `record.get(string)`) instead of an attribute of an object; leaves
    are coerced as `_leaf` coerces them, a field of an object or interface type, or a list of objects,
    gets its reader's value (the child's record, or records) built by `child`
    (`FastExecutionContext._direct_child`), anything else completed by `complete`
    (`FastExecutionContext._direct`).

    Two functions from one body: `build` for one record, and `build_list` for a list of records (a
    subgraph's edges and nodes, a page of responses) with the loop inside it, so that a list costs no
    call per record; both make each answer as one dict display, in the selection's order."""
    env: dict[str, Any] = {"_leaf": _leaf, "_isfinite": isfinite, "_FALLBACK": _FALLBACK}
    body: list[str] = []  # the reads of one record `value`, each field's answer left in `o<i>`
    if isinstance(check, tuple):
        # A required key the selection reads anyway is read with a subscript, which raises where the
        # check would (an edge's id, type, source and target): checked once, not twice.
        read = {f.reader.path for f in fields if isinstance(f.reader, Key)}
        read |= {(f.reader,) for f in fields if isinstance(f.reader, str) and (f.reader,) in check}
        body.extend(Key(path).expression("value") for path in check if path not in read)
    elif check is not None:
        env["check"] = check
        body.append("check(value)")
    answer = []
    for i, field in enumerate(fields):
        if field.kind == _TYPENAME:
            answer.append(f"{field.name!r}: {type_name!r}")
            continue
        answer.append(f"{field.name!r}: o{i}")
        out = f"o{i}"
        env[f"f{i}"] = field
        if isinstance(field.reader, str) and isinstance(check, tuple) and (field.reader,) in check:
            body.append(f"v = value[{field.reader!r}]")
        elif isinstance(field.reader, str):
            body.append(f"v = value.get({field.reader!r})")
        elif isinstance(field.reader, Key):
            body.append(f"v = {field.reader.expression('value')}")
        else:
            env[f"r{i}"] = field.reader
            body.append(f"v = r{i}(value)")
        if field.coerce is None and _child_kind(field.type):
            # an object, an interface or a list of objects: built by the field's builder, found once per
            # request (`FastExecutionContext._direct_child`), or for an object or interface whose plan
            # is shared across requests, by the builder the field holds (`shared_builds`)
            body.append("if v is None:")
            body.append(
                "    raise _FALLBACK" if isinstance(field.type, GraphQLNonNull) else f"    {out} = None"
            )
            inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            origin = _origin(inner) if isinstance(inner, GraphQLInterfaceType | GraphQLUnionType) else None
            type_of = RECORD_TYPES.get(origin) if origin is not None else None
            if isinstance(inner, GraphQLObjectType) or type_of is not None:
                env[f"s{i}"] = field.shared_builds
                by = "None"
                if type_of is not None:
                    env[f"t{i}"] = type_of
                    by = f"t{i}(v)"
                body.append(f"elif type(v) is dict and (b := s{i}.get({by})) is not None:")
                body.append(f"    {out} = b(v, complete, child)")
            body.append("else:")
            body.append(f"    {out} = child(f{i}, v)")
        elif field.coerce is None:
            body.append(f"{out} = complete(f{i}.type, f{i}.details, v)")
        else:
            # the values that are their own output, tested in place (a nullable field's None too: most
            # quotes of a subgraph's edges), the others coerced by `_leaf`
            own = []
            if not field.non_null:
                own.append("v is None")
            if field.str_is_output:
                own.append("type(v) is str")
            elif field.float_is_output:
                own.append("(type(v) is float and _isfinite(v))")
            if own:
                body.append(f"{out} = v if {' or '.join(own)} else _leaf(f{i}, v)")
            else:
                body.append(f"{out} = _leaf(f{i}, v)")
    display = "{" + ", ".join(answer) + "}"
    lines = [
        "def build(value, complete, child):",
        *(f"    {line}" for line in body),
        f"    return {display}",
        "def build_list(records, complete, child):",
        "    answers = []",
        "    append = answers.append",
        "    for value in records:",
        "        if type(value) is not dict:",  # a whole node or relationship: its object converts it
        "            raise _FALLBACK",
        *(f"        {line}" for line in body),
        f"        append({display})",
        "    return answers",
    ]
    exec(compile("\n".join(lines), "<record plan>", "exec"), env)  # noqa: S102 - our own source
    return env["build"], env["build_list"]


def _child_kind(type_: Any) -> bool:
    """Whether a field of `type_` is built by a child builder (`FastExecutionContext._child_builder`): an
    object or interface (or union) type, or a list of an object type, nullable or not."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        item = type_.of_type
        return isinstance(item.of_type if isinstance(item, GraphQLNonNull) else item, GraphQLObjectType)
    return isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Key:
    """A reader that is a path of keys into the record (`record[k1][k2]`, a KeyError where one is
    missing), after an optional string prefix: compiled into a plan as that expression, without a call
    (an edge's id and type, read for each of a thousand edges)."""

    path: tuple[str, ...]
    prefix: str = ""

    def __call__(self, record: Any) -> Any:
        value = record
        for key in self.path:
            value = value[key]
        return self.prefix + value if self.prefix else value

    def expression(self, name: str) -> str:
        """The Python expression reading this path from variable `name`."""
        read = name + "".join(f"[{key!r}]" for key in self.path)
        return f"{self.prefix!r} + {read}" if self.prefix else read


Reader = Callable[[Any], Any] | str
#: What a record must hold whatever is selected: a function that raises where it does not, or the key
#: paths it needs (each read as `record[k1][k2]`, compiled into the plan).
Check = Callable[[Any], Any] | tuple[tuple[str, ...], ...]

#: Readers of the types whose values may come as records, by Strawberry class: for each field (by its
#: GraphQL name) a function of the record giving the value the object made from it holds (for a field of
#: an object type: that object's record).
RECORD_READERS: dict[type, dict[str, Reader]] = {}
#: For such a type, what its `from_record` needs of a record whatever is selected: a function that
#: raises where making the object would (a missing key), so that an answer from records never succeeds
#: where the objects' way fails.
RECORD_CHECKS: dict[type, Check] = {}


#: For an interface (or union) whose values may come as records: the name of the object type a record
#: is, as the object made from it would be typed.
RECORD_TYPES: dict[type, Callable[[Any], str]] = {}


def type_records(cls: type, type_of: Callable[[Any], str]) -> None:
    """Register how the object type of a record is found behind interface (or union) `cls`."""
    RECORD_TYPES[cls] = type_of


def read_records(cls: type, readers: dict[str, Reader], check: Check | None = None) -> None:
    """Register how each field of Strawberry type `cls` is read from a record: a function of the record,
    a key (`record.get(key)`, read in place without a call), or a `Key` path. A field without a reader
    keeps a selection asking for it on the objects' way. The objects must hold what the readers give:
    a type's `from_record` should use the same functions, and the tests compare both ways."""
    RECORD_READERS[cls] = dict(readers)
    if check is not None:
        RECORD_CHECKS[cls] = check


def _origin(graphql_type: Any) -> type | None:
    """The Strawberry class behind a GraphQL type (registries are keyed by class, not by name: another
    schema may have a type of the same name)."""
    definition = (graphql_type.extensions or {}).get(DEFINITION_BACKREF)
    return getattr(definition, "origin", None)


class Rows(Sequence[T]):
    """A list field's value as the records a statement returned, with the function that makes each
    record its object (the item type's `from_record`).

    As a sequence it is the objects, made on first use (graphql-core's path, or the short path where
    the item type has no reader for a selected field). The short path reads the records instead when it
    can (module docstring): nothing is made."""

    __slots__ = ("_objects", "make", "records", "type_name")

    def __init__(self, records: Sequence[Any], make: Callable[[Any], T], type_name: str) -> None:
        self.records = records
        self.make = make
        self.type_name = type_name  # the GraphQL object type of the items
        self._objects: list[T] | None = None

    def objects(self) -> list[T]:
        if self._objects is None:
            self._objects = [self.make(record) for record in self.records]
        return self._objects

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self.objects()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self.objects())

    def __eq__(self, other: object) -> bool:
        return self.objects() == (other.objects() if isinstance(other, Rows) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({self.type_name}, {len(self.records)} records)"


def _attribute_field(
    name: str,
    details: Any,
    attribute: str,
    type_: GraphQLOutputType,
    call: Callable[[Any], Any] | None = None,
) -> _Field:
    kind = _ATTR if call is None else _CALL
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
        return _Field(
            kind,
            name,
            details,
            attribute,
            type_,
            call=call,
            coerce=inner.coerce_output_value,
            non_null=inner is not type_,
            str_is_output=inner is GraphQLString or inner is GraphQLID,
            float_is_output=inner is GraphQLFloat,
        )
    return _Field(kind, name, details, attribute, type_, call=call)


def _leaf(field: _Field, value: Any) -> Any:
    """A scalar or enum attribute's output value, as graphql-core's complete_leaf_value gives it."""
    if value is None:
        if field.non_null:
            raise _FALLBACK
        return None
    if field.str_is_output and type(value) is str:
        return value
    if field.float_is_output and type(value) is float and isfinite(value):
        return value  # what Float's coercion gives a finite float
    coerced = field.coerce(value)  # type: ignore[misc]
    if coerced is None or coerced is Undefined:
        raise _FALLBACK
    return coerced


_Reads = tuple[str | None, str | None, Callable[[Any], Any] | None]
# GraphQLField is not hashable; the field is kept with its entry, so its id stays a valid key.
_READS: dict[int, tuple[GraphQLField | None, _Reads]] = {}


def _reads(field: GraphQLField | None) -> _Reads:
    """(`_attribute`, `_prefetched`, `_plain_resolver`) of a field, worked out once per field."""
    known = _READS.get(id(field))
    if known is None or known[0] is not field:
        if len(_READS) > 10_000:  # schemas built again and again (tests): never without bound
            _READS.clear()
        known = _READS[id(field)] = (field, (_attribute(field), _prefetched(field), _plain_resolver(field)))
    return known[1]


def _plain_resolver(field: GraphQLField | None) -> Callable[[Any], Any] | None:
    """The resolver of a field that needs nothing but its source, as a call with the source; None for
    anything else (an async resolver, one that takes the info or arguments, a field with extensions or
    permission classes, a resolver Strawberry does not call through its plain `_resolver`).

    `Office.title`, `Person.surname`, `Evidence.observedAt` and the like are such resolvers: computed
    from the object alone, they were what kept objects (and everything above them) on graphql-core's
    per-field path."""
    if field is None or field.args:
        return None
    resolve = field.resolve
    if resolve is None or getattr(resolve, "__name__", "") != "_resolver":
        return None
    definition = (field.extensions or {}).get(DEFINITION_BACKREF)
    resolver = getattr(definition, "base_resolver", None)
    if resolver is None or getattr(definition, "extensions", None) or getattr(definition, "is_async", True):
        return None
    try:
        if resolver.info_parameter is not None or resolver.arguments:
            return None
        by_position = resolver.self_parameter is not None
        by_name = [p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p is not None]
    except Exception:  # noqa: BLE001 - a resolver Strawberry cannot describe goes graphql-core's way
        return None
    if by_position and not by_name:
        return lambda source: resolver(source)
    if len(by_name) == 1 and not by_position:
        name = by_name[0]
        return lambda source: resolver(**{name: source})
    return None


def _prefetched(field: GraphQLField | None) -> str | None:
    """The attribute that may hold a resolver field's value already (`PREFETCHED` metadata)."""
    if field is None or field.args:
        return None
    definition = (field.extensions or {}).get(DEFINITION_BACKREF)
    name = (getattr(definition, "metadata", None) or {}).get(PREFETCHED)
    return name if isinstance(name, str) else None


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


#: Plans of selections kept across requests, keyed by the object type and the ids of the selection's
#: field nodes; each entry holds its nodes, so their ids cannot be reused while it lives. Bounded: cleared
#: when full (documents come and go with the parser cache).
MAX_SHARED_PLANS = 4096
_SHARED_PLANS: dict[tuple[GraphQLObjectType, tuple[int, ...]], tuple[tuple[Any, ...], _Plan]] = {}


def _unconditional(nodes: tuple[Any, ...], fragments: dict[str, Any]) -> bool:
    """True when the selections directly under `nodes` (through inline fragments and fragment spreads,
    which is what graphql-core collects for one object) carry no directive, so that which fields they
    select does not depend on the variables."""
    pending = [node.selection_set for node in nodes]
    seen: set[str] = set()
    while pending:
        selection_set = pending.pop()
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if selection.directives:
                return False
            if isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is None:
                    return False
                if name not in seen:
                    seen.add(name)
                    if fragment.directives:
                        return False
                    pending.append(fragment.selection_set)
    return True


def _direct_plan(
    object_type: GraphQLObjectType, fields: tuple[_Field, ...]
) -> tuple[DirectBuild, DirectListBuild] | tuple[None, None]:
    """The builder from records of a selection of `object_type`, when its type has a reader for every
    selected field (and none of them takes arguments); else None."""
    origin = _origin(object_type)
    readers = RECORD_READERS.get(origin)  # type: ignore[arg-type]
    if readers is None:
        return None, None
    direct = []
    for field in fields:
        if field.kind == _TYPENAME:
            direct.append(field)
            continue
        node = field.details[0].node
        definition = object_type.fields.get(node.name.value)
        reader = readers.get(node.name.value)
        if reader is None or definition is None or node.arguments:
            return None, None
        leaf = _attribute_field(field.name, field.details, "", definition.type)
        direct.append(
            _Field(
                _ATTR,
                field.name,
                field.details,
                type=definition.type,
                coerce=leaf.coerce,
                non_null=leaf.non_null,
                str_is_output=leaf.str_is_output,
                float_is_output=leaf.float_is_output,
                reader=reader,
            )
        )
    return _compile_direct(object_type.name, tuple(direct), RECORD_CHECKS.get(origin))  # type: ignore[arg-type]


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the short path for attribute fields (module docstring)."""

    _plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _Plan]]
    _object_plans: dict[tuple[GraphQLObjectType, int], tuple[Any, _Plan, bool]]
    _runtime_types: dict[tuple[GraphQLInterfaceType | GraphQLUnionType, type], GraphQLObjectType]
    _child_builds: dict[int, tuple[_Field, Callable[..., dict[str, Any]]]]
    _record_types: dict[tuple[str, str], GraphQLObjectType]

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
            attribute, prefetched, call = (None, None, None) if node.arguments else _reads(definition)
            if prefetched is not None and definition is not None:
                fields.append(_Field(_PREFETCHED, response_name, details, prefetched, definition.type))
            elif call is not None and definition is not None:
                fields.append(_attribute_field(response_name, details, "", definition.type, call))
            elif attribute is None or definition is None:
                fields.append(_Field(_SLOW, response_name, details))
            else:
                fields.append(_attribute_field(response_name, details, attribute, definition.type))
        all_short = all(f.kind != _SLOW for f in fields)
        direct, direct_list = _direct_plan(parent_type, tuple(fields)) if all_short else (None, None)
        plan = _Plan(
            tuple(fields), all_short, _compile(tuple(fields)) if all_short else None, direct, direct_list
        )
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
                if field.kind != _SLOW:
                    try:
                        if field.call is not None:
                            value = field.call(source_value)
                        else:
                            value = getattr(source_value, field.attribute)
                        if field.kind == _PREFETCHED and value is None:
                            raise _FALLBACK  # not fetched: the resolver fetches it
                        if field.coerce is not None:
                            results[field.name] = _leaf(field, value)
                        else:
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

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        # A value graphql-core completes (a resolver's answer: a root field's list of responses, an
        # entity's page) goes the short way too when all of it is made of short fields; otherwise, or on
        # any error, graphql-core's own completion, which reports it with its path.
        if (self.middleware_manager is None or not self.middleware_manager.middlewares) and not (
            isinstance(result, Exception) or self.is_awaitable(result)
        ):
            try:
                return self._complete(return_type, field_details_list, result)
            except Exception:  # noqa: BLE001, S110 - graphql-core's path reports it properly
                pass
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)

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
            return self._complete_list(return_type, details, value)
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            return_type = self._runtime_type(return_type, value)
        if isinstance(return_type, GraphQLObjectType):
            return self._object(return_type, self._object_plan(return_type, details), value)
        raise _FALLBACK

    def _complete_list(self, list_type: GraphQLList[Any], details: Any, value: Any) -> list[Any]:
        item_type = list_type.of_type
        inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if isinstance(value, Rows):
            if isinstance(inner, GraphQLObjectType) and inner.name == value.type_name:
                try:
                    return self._direct_list(inner, details, value.records)
                except Exception:  # noqa: BLE001, S110 - the objects' way says it properly
                    pass
            value = value.objects()
        if not isinstance(value, list | tuple):
            raise _FALLBACK
        if not isinstance(inner, GraphQLObjectType):
            return [self._complete(item_type, details, item) for item in value]
        # A list of one object type (a subgraph's nodes and edges): one plan for every item.
        plan = self._object_plan(inner, details)
        non_null = inner is not item_type
        out: list[Any] = []
        for item in value:
            if item is None:
                if non_null:
                    raise _FALLBACK
                out.append(None)
            else:
                out.append(self._object(inner, plan, item))
        return out

    def _direct_list(self, object_type: GraphQLObjectType, details: Any, records: Sequence[Any]) -> list[Any]:
        """The answers of `records` (maps, as the reads return them) of `object_type`, built from the
        records by the selection's plan; `_Fallback` (or whatever a reader raised) when it cannot."""
        build = self._object_plan(object_type, details).direct_list
        if build is None:
            raise _FALLBACK
        return build(records, self._direct, self._direct_child)

    def _direct_child(self, field: _Field, value: Any) -> Any:
        """The answer of an object, interface or object-list field from its reader's value (not None),
        by the field's builder, found once per field and request (an edge's evidence, a response's
        responder: the same for every item of the list)."""
        try:
            builds = self._child_builds
        except AttributeError:
            builds = self._child_builds = {}
        known = builds.get(id(field))
        if known is None or known[0] is not field:
            known = builds[id(field)] = (field, self._child_builder(field))
        return known[1](value)

    def _child_builder(self, field: _Field) -> Callable[[Any], Any]:
        """What `_direct` does for a value of `field`'s type, with the plans looked up once instead of
        for every value: an object's record built by its plan; an interface's record typed
        (`type_records`), then built by its type's plan, found once per type; a list of records built
        item by item. `_Fallback` wherever `_direct` would raise it."""
        return_type: Any = field.type
        if isinstance(return_type, GraphQLNonNull):
            return_type = return_type.of_type
        details = field.details
        direct, child = self._direct, self._direct_child
        if isinstance(return_type, GraphQLObjectType):
            plan, shared = self._object_plan_shared(return_type, details)
            if plan.direct is None:
                raise _FALLBACK
            object_build = plan.direct
            if shared:
                field.shared_builds[None] = object_build

            def one(value: Any) -> dict[str, Any]:
                if type(value) is not dict:
                    raise _FALLBACK
                return object_build(value, direct, child)

            return one
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            abstract = return_type
            type_of = RECORD_TYPES.get(_origin(abstract))  # type: ignore[arg-type]
            if type_of is None:
                raise _FALLBACK
            by_type: dict[str, Callable[..., dict[str, Any]]] = {}

            def typed(value: Any) -> dict[str, Any]:
                if type(value) is not dict:
                    raise _FALLBACK
                build = by_type.get(type_of(value))
                if build is None:
                    runtime = self._record_type(abstract, value)
                    plan, shared = self._object_plan_shared(runtime, details)
                    if plan.direct is None:
                        raise _FALLBACK
                    build = by_type[runtime.name] = plan.direct
                    if shared:
                        field.shared_builds[runtime.name] = build
                return build(value, direct, child)

            return typed
        # a list of an object type (`_child_kind`)
        item_type = return_type.of_type
        non_null = isinstance(item_type, GraphQLNonNull)
        inner = item_type.of_type if non_null else item_type
        plan = self._object_plan(inner, details)
        build, build_list = plan.direct, plan.direct_list
        if build is None or build_list is None:
            raise _FALLBACK

        def many(value: Any) -> list[Any]:
            if not isinstance(value, list | tuple):
                raise _FALLBACK
            if non_null or None not in value:
                return build_list(value, direct, child)
            out: list[Any] = []
            for item in value:
                if type(item) is dict:
                    out.append(build(item, direct, child))
                elif item is None and not non_null:
                    out.append(None)
                else:
                    raise _FALLBACK
            return out

        return many

    def _record_type(
        self, abstract: GraphQLInterfaceType | GraphQLUnionType, record: Any
    ) -> GraphQLObjectType:
        """The object type of a record behind an interface or union (`type_records`), as the object
        made from it would be typed; `_Fallback` when the type has no such rule or the record is odd."""
        type_of = RECORD_TYPES.get(_origin(abstract))  # type: ignore[arg-type]
        if type_of is None or type(record) is not dict:
            raise _FALLBACK
        name = type_of(record)
        try:
            known = self._record_types
        except AttributeError:
            known = self._record_types = {}
        runtime = known.get((abstract.name, name))
        if runtime is None:
            found = self.schema.get_type(name)
            if not isinstance(found, GraphQLObjectType) or not self.schema.is_sub_type(abstract, found):
                raise _FALLBACK
            runtime = known[(abstract.name, name)] = found
        return runtime

    def _direct(self, return_type: GraphQLOutputType, details: Any, value: Any) -> Any:
        """A reader's value completed as `return_type`: leaves coerced, an object's record (a map) built
        by its plan's `direct`; `_Fallback` for anything else."""
        if isinstance(return_type, GraphQLNonNull):
            if value is None:
                raise _FALLBACK
            return_type = return_type.of_type
        if value is None:
            return None
        if isinstance(return_type, GraphQLInterfaceType | GraphQLUnionType):
            return_type = self._record_type(return_type, value)
        if isinstance(return_type, GraphQLObjectType):
            build = self._object_plan(return_type, details).direct
            if build is None or type(value) is not dict:
                raise _FALLBACK
            return build(value, self._direct, self._direct_child)
        if isinstance(return_type, GraphQLScalarType | GraphQLEnumType):
            coerced = return_type.coerce_output_value(value)
            if coerced is None or coerced is Undefined:
                raise _FALLBACK
            return coerced
        if isinstance(return_type, GraphQLList) and isinstance(value, list | tuple):
            item_type = return_type.of_type
            inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
            if isinstance(inner, GraphQLObjectType) and all(v is not None for v in value):
                return self._direct_list(inner, details, value)  # one plan for every item
            return [self._direct(item_type, details, v) for v in value]
        raise _FALLBACK

    def _object_plan(self, object_type: GraphQLObjectType, details: Any) -> _Plan:
        return self._object_plan_shared(object_type, details)[0]

    def _object_plan_shared(self, object_type: GraphQLObjectType, details: Any) -> tuple[_Plan, bool]:
        """The plan of a selection, and whether it is the same for every request (kept in
        `_SHARED_PLANS`)."""
        # The plan of a selection depends on its nodes (and the fragments they spread, of the same
        # document) and, through @skip/@include, on the variables: without such directives it is the same
        # for every request of the document, and is kept across requests (`_SHARED_PLANS`).
        # First this request's own memo, by the identity of `details` (a list's items, an edge's
        # evidence: the same details for every item), then the plans shared across requests.
        try:
            mine = self._object_plans
        except AttributeError:
            mine = self._object_plans = {}
        known = mine.get((object_type, id(details)))
        if known is not None:
            return known[1], known[2]
        nodes = tuple(d.node for d in details)
        key = (object_type, tuple(map(id, nodes)))
        shared = _SHARED_PLANS.get(key)
        is_shared = shared is not None
        if shared is not None:
            plan = shared[1]
        else:
            plan = self._plan(object_type, self.collect_subfields(object_type, details).grouped_field_set)
            if not any(
                d.defer_usage is not None or d.fragment_variable_values is not None for d in details
            ) and _unconditional(nodes, self.fragment_definitions):
                if len(_SHARED_PLANS) >= MAX_SHARED_PLANS:
                    _SHARED_PLANS.clear()
                _SHARED_PLANS[key] = (nodes, plan)
                is_shared = True
        if not plan.all_short:
            raise _FALLBACK
        mine[(object_type, id(details))] = (details, plan, is_shared)  # held, so its id stays valid
        return plan, is_shared

    def _object(self, object_type: GraphQLObjectType, plan: _Plan, value: Any) -> dict[str, Any]:
        is_type_of = object_type.is_type_of
        # Strawberry's own is_type_of reads only the value; one that needs the info (or answers with an
        # awaitable) fails or is not True here, and graphql-core's path asks it properly.
        if is_type_of is not None and is_type_of(value, None) is not True:  # type: ignore[arg-type]
            raise _FALLBACK
        if plan.build is not None:
            return plan.build(value, object_type.name, self._complete)
        out: dict[str, Any] = {}
        for field in plan.fields:
            if field.kind == _TYPENAME:
                out[field.name] = object_type.name
            elif field.call is not None:
                held = field.call(value)
                if field.coerce is not None:
                    out[field.name] = _leaf(field, held)
                else:
                    out[field.name] = self._complete(field.type, field.details, held)  # type: ignore[arg-type]
            elif field.coerce is not None:
                out[field.name] = _leaf(field, getattr(value, field.attribute))
            else:
                held = getattr(value, field.attribute)
                if held is None and field.kind == _PREFETCHED:
                    raise _FALLBACK
                out[field.name] = self._complete(field.type, field.details, held)  # type: ignore[arg-type]
        return out

    def _runtime_type(
        self, abstract: GraphQLInterfaceType | GraphQLUnionType, value: Any
    ) -> GraphQLObjectType:
        """The object type of a Strawberry value behind an interface or union, as Strawberry decides it
        for a direct instance of a non-generic type; anything else goes graphql-core's way."""
        if get_strawberry_type_cast(value) is not None:
            raise _FALLBACK
        # Which object type a class is, under which abstract type, is the same for every value: worked
        # out once per (abstract type, class) for this request (108 times per `responses` answer before).
        try:
            known = self._runtime_types
        except AttributeError:
            known = self._runtime_types = {}
        key = (abstract, type(value))
        runtime = known.get(key)
        if runtime is None:
            definition = getattr(type(value), "__strawberry_definition__", None)
            if definition is None or definition.is_graphql_generic:
                raise _FALLBACK
            found = self.schema.get_type(definition.name)
            if not isinstance(found, GraphQLObjectType) or not self.schema.is_sub_type(abstract, found):
                raise _FALLBACK
            runtime = known[key] = found
        return runtime
