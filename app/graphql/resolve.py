"""Turning a user's reference (an id, a name, any alias, a bare surname) into exactly one entity."""

from __future__ import annotations

from typing import Any

from app.graphql.context import Context
from app.graphql.errors import Ambiguous, NotFound
from app.graphql.records import props
from graph import queries as q


def one_of(candidates: list[Any], matches: int, ref: str, what: str = "entity") -> Any:
    """The single match, or an error that says there was none, or lists the candidates."""
    if matches == 0:
        raise NotFound(what, ref)
    if matches > 1:
        listed = []
        for node in candidates:
            p = props(node)
            listed.append((p["id"], p.get("name") or p["id"], p.get("type") or "Entity"))
        raise Ambiguous(ref, listed, matches)
    return candidates[0]


async def resolve_entity(ctx: Context, ref: str, label: str | None = None) -> Any:
    record = await ctx.executor.read_one(q.RESOLVE_ENTITY, **q.resolve_params(ref, label))
    assert record is not None
    node = one_of(record["candidates"], record["matches"], ref, (label or "entity").lower())
    ctx.loaders.entity.prime(node["id"], node)
    return node
