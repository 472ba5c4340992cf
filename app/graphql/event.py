"""`Event`: a dated happening (a rally, a shooting, an impeachment attempt)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import strawberry

from app.graphql.entity import Entity, entity_readers
from app.graphql.enums import EntityType
from app.graphql.execution import read_records

if TYPE_CHECKING:
    from app.graphql.context import Context


@strawberry.type(description="A dated happening: a rally, a shooting, an impeachment attempt.")
class Event(Entity):
    @strawberry.field(description="rally, shooting, raid, impeachment, protest, hearing, ...")
    def kind(self) -> str | None:
        return self.properties.get("kind")

    @strawberry.field(description="ISO date when the text gives one.")
    def date(self) -> str | None:
        return event_date(self.properties)

    @strawberry.field(description="Entities that took part in it or were its subject (INVOLVED_IN).")
    async def participants(self, info: strawberry.Info[Context, None]) -> list[Entity]:
        return [Entity.from_node(n) for n in await info.context.loaders.participants.load(str(self.id))]


def event_date(p: dict[str, Any]) -> str | None:
    value = p.get("date")
    if value is None or isinstance(value, str):
        return value
    return str(value.isoformat())


read_records(
    Event,
    {**entity_readers(EntityType.EVENT), "kind": "kind", "date": event_date},
    check=(("id",),),
)
