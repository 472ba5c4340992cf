"""`Relation`: one assertion from one article (`CRITICIZED`, `SPONSORED`, ...) with its evidence."""

from __future__ import annotations

from typing import Any

import strawberry

from app.graphql.entity import Entity
from app.graphql.enums import RelationType, relation_type
from app.graphql.evidence import Evidence
from app.graphql.node import RELATION_ID_PREFIX, Node


@strawberry.type(
    description="One assertion from one article; the same fact from two articles is two relations."
)
class Relation(Node):
    type: RelationType
    source: Entity
    target: Entity
    evidence: Evidence
    status: str | None = strawberry.field(description="HOLDS_OFFICE only: current, former or acting.")

    @classmethod
    def from_record(cls, item: dict[str, Any]) -> Relation:
        """`item` holds `r` (the assertion as `graph.queries.rel_map` reads it), `s` and `t` (its ends)."""
        p = item["r"]
        return cls(
            id=strawberry.ID(RELATION_ID_PREFIX + p["id"]),
            type=relation_type(p["type"]),
            source=Entity.from_node(item["s"]),
            target=Entity.from_node(item["t"]),
            evidence=Evidence.from_props(p),
            status=p.get("status"),
        )
