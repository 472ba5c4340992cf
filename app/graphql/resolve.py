"""Turning a user's reference (an id, a name, any alias, a bare surname) into exactly one entity."""

from __future__ import annotations

from typing import Any

from app.graphql.context import Context
from app.graphql.errors import Ambiguous, InputTooLarge, NotFound
from app.graphql.records import props
from graph import queries as q

MAX_REF_CHARS = 300  # longer than any name or id; a bound so a reference cannot be a megabyte of text


def reference_params(ref: str, label: str | None = None, field: str = "reference") -> dict[str, object]:
    """Query parameters that resolve `ref`, refusing a reference no real name could be."""
    if len(ref) > MAX_REF_CHARS:
        raise InputTooLarge(field, len(ref), MAX_REF_CHARS, "names and ids", " characters")
    return q.resolve_params(ref, label)


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


async def resolve_entity(ctx: Context, ref: str, label: str | None = None, field: str = "reference") -> Any:
    record = await ctx.executor.read_one(q.RESOLVE_ENTITY, **reference_params(ref, label, field))
    assert record is not None
    node = one_of(record["candidates"], record["matches"], ref, (label or "entity").lower())
    ctx.loaders.entity.prime(node["id"], node)
    return node
