"""Selection paths: what a root resolver learns of its selection set, fragments flattened."""

from __future__ import annotations

from types import SimpleNamespace

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
