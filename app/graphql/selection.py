"""What a request's selection set asks for below a root field, so its Cypher fetches only that.

`selected_paths(info)` flattens fragments and inline fragments and returns dotted field-name paths
relative to the resolver's own field (`{"responder", "responder.offices", "evidence.article", ...}`);
a root resolver turns the few that cost something into query switches (`$with_article`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField


def _walk(selections: Iterable[Any], prefix: str, out: set[str]) -> None:
    for sel in selections:
        if isinstance(sel, SelectedField):
            path = f"{prefix}{sel.name}"
            out.add(path)
            _walk(sel.selections, path + ".", out)
        elif isinstance(sel, FragmentSpread | InlineFragment):
            _walk(sel.selections, prefix, out)


def _walk_nodes(
    selections: Iterable[Any], prefix: str, out: set[str], fragments: dict[str, FragmentDefinitionNode]
) -> None:
    for sel in selections:
        if isinstance(sel, FieldNode):
            path = f"{prefix}{sel.name.value}"
            out.add(path)
            if sel.selection_set is not None:
                _walk_nodes(sel.selection_set.selections, path + ".", out, fragments)
        elif isinstance(sel, InlineFragmentNode):
            _walk_nodes(sel.selection_set.selections, prefix, out, fragments)
        elif isinstance(sel, FragmentSpreadNode):
            fragment = fragments.get(sel.name.value)
            if fragment is not None:
                _walk_nodes(fragment.selection_set.selections, prefix, out, fragments)


def selected_paths(info: Any) -> set[str]:
    """Every field path selected under the current field (names, not aliases), fragments included.

    Read from graphql-core's nodes: the same paths as Strawberry's `info.selected_fields` (which, like
    this, keeps fields under `@skip`/`@include`), without converting every node's arguments and
    directives first (4-6% of a depth-2 request's CPU in process)."""
    raw = getattr(info, "_raw_info", None)
    if raw is None:
        out: set[str] = set()
        for field in info.selected_fields:
            _walk(field.selections, "", out)
        return out
    out = set()
    for node in raw.field_nodes:
        if node.selection_set is not None:
            _walk_nodes(node.selection_set.selections, "", out, raw.fragments)
    return out


def selects(paths: set[str], *wanted: str) -> bool:
    """True when any of `wanted` (or anything below it) is selected."""
    return any(p == w or p.startswith(w + ".") for p in paths for w in wanted)


def connection_items(paths: set[str]) -> set[str]:
    """The paths under a connection's items, whether asked through `edges { node }` or `nodes`."""
    out = set()
    for p in paths:
        for prefix in ("edges.node.", "nodes."):
            if p.startswith(prefix):
                out.add(p[len(prefix) :])
    return out


def selects_beyond(paths: set[str], prefix: str, allowed: Iterable[str]) -> bool:
    """True when something under `prefix` is selected other than `allowed` (names, or names ending in
    `.*` for everything below one): whether a brief projection is enough."""
    exact = {a for a in allowed if not a.endswith(".*")}
    below = tuple(a[:-1] for a in allowed if a.endswith(".*"))
    start = prefix + "."
    for p in paths:
        if not p.startswith(start):
            continue
        rest = p[len(start) :]
        if rest in exact or rest.startswith(below):
            continue
        return True
    return False
