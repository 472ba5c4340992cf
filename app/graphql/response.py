"""`Response`: one person or organization criticizing, endorsing or responding to someone (or theirs)."""

from __future__ import annotations

from typing import Any

import strawberry

from app.graphql.entity import Entity
from app.graphql.enums import RelationType, relation_type
from app.graphql.evidence import Evidence
from app.graphql.node import RELATION_ID_PREFIX


@strawberry.type(
    description="One stance taken towards the entity asked about, or towards something of theirs "
    "(their office, a bill they sponsored or backed): who, how, at what, and the evidence."
)
class Response:
    id: strawberry.ID = strawberry.field(description="The id of the underlying relation.")
    responder: Entity
    type: RelationType
    target: Entity = strawberry.field(
        description="What was responded to: the entity itself or something of theirs."
    )
    evidence: Evidence

    @classmethod
    def from_record(cls, item: dict[str, Any]) -> Response:
        rel = item["r"]
        return cls(
            id=strawberry.ID(RELATION_ID_PREFIX + rel["id"]),
            responder=Entity.from_node(item["s"]),
            type=relation_type(rel["type"]),
            target=Entity.from_node(item["t"]),
            evidence=Evidence.from_props(rel),
        )
