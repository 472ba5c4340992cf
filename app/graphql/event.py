"""`Event`: a dated happening (a rally, a shooting, an impeachment attempt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from app.graphql.entity import Entity

if TYPE_CHECKING:
    from app.graphql.context import Context


@strawberry.type(description="A dated happening: a rally, a shooting, an impeachment attempt.")
class Event(Entity):
    @strawberry.field(description="rally, shooting, raid, impeachment, protest, hearing, ...")
    def kind(self) -> str | None:
        return self.properties.get("kind")

    @strawberry.field(description="ISO date when the text gives one.")
    def date(self) -> str | None:
        value = self.properties.get("date")
        if value is None or isinstance(value, str):
            return value
        return str(value.isoformat())

    @strawberry.field(description="Entities that took part in it or were its subject (INVOLVED_IN).")
    async def participants(self, info: strawberry.Info[Context, None]) -> list[Entity]:
        return [Entity.from_node(n) for n in await info.context.loaders.participants.load(str(self.id))]
