"""`Response`: one person or organization criticizing, endorsing or responding to someone (or theirs)."""

from __future__ import annotations

from typing import Any

import strawberry

from app.graphql.entity import PREFETCHED_OFFICES, Entity
from app.graphql.enums import RelationType, relation_type
from app.graphql.evidence import PREFETCHED_ARTICLE, Evidence
from app.graphql.execution import Key, read_records
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


def _check(item: dict[str, Any]) -> None:
    """What `from_record` needs whatever is selected (the ids of everything it makes, a known type)."""
    rel = item["r"]
    rel["id"]  # noqa: B018
    relation_type(rel["type"])
    item["s"]["id"]  # noqa: B018
    item["t"]["id"]  # noqa: B018
    article = rel.get(PREFETCHED_ARTICLE)
    if article is not None:
        article["id"]  # noqa: B018
    for office in item["s"].get(PREFETCHED_OFFICES) or ():
        office["id"]  # noqa: B018


# Responses read straight from the statement's items (app/graphql/execution.py `Rows`): the responder and
# the target are entity maps (typed behind `Entity` as `Entity.from_node` types them), the evidence the
# relationship's map.
read_records(
    Response,
    {
        "id": Key(("r", "id"), prefix=RELATION_ID_PREFIX),
        "responder": "s",
        "type": lambda item: relation_type(item["r"]["type"]),
        "target": "t",
        "evidence": "r",
    },
    check=_check,
)
