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
