"""The GraphQL enums, one per closed vocabulary of the graph model (docs/graph-model.md)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="An entity's type label in the graph.")
class EntityType(Enum):
    PERSON = "Person"
    OFFICE = "Office"
    ORGANIZATION = "Organization"
    BILL = "Bill"
    EVENT = "Event"
    PLACE = "Place"


@strawberry.enum(
    description="A relationship type between entities; each one is an assertion from one article."
)
class RelationType(Enum):
    CRITICIZED = "CRITICIZED"
    ENDORSED = "ENDORSED"
    RESPONDED_TO = "RESPONDED_TO"
    SPONSORED = "SPONSORED"
    HOLDS_OFFICE = "HOLDS_OFFICE"
    FUNDED = "FUNDED"
    INVOLVED_IN = "INVOLVED_IN"


STANCES = (RelationType.CRITICIZED, RelationType.ENDORSED, RelationType.RESPONDED_TO)
#: The members by value, for the readers of records: a dict look-up, not `RelationType(value)`.
RELATION_TYPE_BY_VALUE = {t.value: t for t in RelationType}


def relation_type(value: str) -> RelationType:
    """`RelationType(value)` (a ValueError naming the value when it is none), by a dict look-up."""
    member = RELATION_TYPE_BY_VALUE.get(value)
    return member if member is not None else RelationType(value)


@strawberry.enum(description="Which relationships of an entity to follow.")
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


@strawberry.enum(description="What an ingest job does: ingest texts, or re-extract stored ones.")
class JobKind(Enum):
    INGEST = "ingest"
    REEXTRACT = "reextract"


@strawberry.enum(description="Where an ingest job is.")
class JobStatus(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
