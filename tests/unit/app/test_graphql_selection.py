"""Selection paths: what a root resolver learns of its selection set, fragments flattened."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from app.graphql.selection import connection_items, selected_paths, selects


def field(name: str, *children: object) -> SelectedField:
    return SelectedField(name=name, directives={}, arguments={}, selections=list(children), alias=None)


def test_paths_flatten_fragments_and_inline_fragments() -> None:
    responder = field(
        "responder",
        field("name"),
        InlineFragment(type_condition="Person", selections=[field("offices", field("title"))], directives={}),
    )
    evidence = FragmentSpread(
        name="E",
        type_condition="Response",
        selections=[field("evidence", field("article", field("title")))],
        directives={},
    )
    info = SimpleNamespace(selected_fields=[field("responses", responder, evidence)])
    paths = selected_paths(info)
    assert paths == {
        "responder",
        "responder.name",
        "responder.offices",
        "responder.offices.title",
        "evidence",
        "evidence.article",
        "evidence.article.title",
    }
    assert selects(paths, "responder.offices") and selects(paths, "evidence.article")
    assert not selects(paths, "evidence.quote")
    assert not selects({"evidence.articles"}, "evidence.article")  # a prefix of a name is not the name


def test_connection_items_read_edges_and_nodes_alike() -> None:
    paths = {"totalCount", "edges", "edges.node", "edges.node.type", "nodes", "nodes.evidence.article"}
    assert connection_items(paths) == {"type", "evidence.article"}


_SEEN: list[tuple[set[str], set[str]]] = []


@strawberry.type
class _Leaf:
    name: str = "x"
    title: str = "t"


@strawberry.type
class _Node:
    name: str = "n"
    leaf: _Leaf = strawberry.field(default_factory=_Leaf)
    more: list[_Leaf] = strawberry.field(default_factory=lambda: [_Leaf()])


@strawberry.type
class _Query:
    @strawberry.field
    def root(self, info: strawberry.Info) -> _Node:
        strawberry_paths: set[str] = set()
        for selected in info.selected_fields:
            _walk_selected(selected.selections, "", strawberry_paths)
        _SEEN.append((selected_paths(info), strawberry_paths))
        return _Node()


def test_paths_from_graphql_core_nodes_equal_strawberrys_selected_fields() -> None:
    """The resolvers read paths from graphql-core's nodes; they must be what Strawberry's own
    `info.selected_fields` gives, for aliases, fragments, inline fragments and `@skip`/`@include`."""
    schema = strawberry.Schema(query=_Query)
    documents = [
        "{ root { name } }",
        "{ a: root { n: name leaf { t: title } } }",
        "{ root { ...F more { name } } } fragment F on Node { leaf { name title } }",
        "{ root { ... on Node { leaf { title } } ... { name } } }",
        "query($s: Boolean!) { root { name @skip(if: $s) leaf @include(if: $s) { name } } }",
        "{ root { __typename leaf { __typename } } }",
        "{ x: root { name } y: root { leaf { title } } }",
    ]
    for document in documents:
        _SEEN.clear()
        result = asyncio.run(schema.execute(document, variable_values={"s": True}))
        assert result.errors is None, (document, result.errors)
        assert _SEEN, document
        for ours, theirs in _SEEN:
            assert ours == theirs, document
            assert ours  # every document selects something under root


def _walk_selected(selections: list[object], prefix: str, out: set[str]) -> None:
    for sel in selections:
        if isinstance(sel, SelectedField):
            out.add(prefix + sel.name)
            _walk_selected(sel.selections, prefix + sel.name + ".", out)
        elif isinstance(sel, FragmentSpread | InlineFragment):
            _walk_selected(sel.selections, prefix, out)
