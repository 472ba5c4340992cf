"""`Place`: a city, state or country."""

from __future__ import annotations

import strawberry

from app.graphql.entity import Entity, entity_readers
from app.graphql.enums import EntityType
from app.graphql.execution import read_records


@strawberry.type(description="A city, state or country.")
class Place(Entity):
    @strawberry.field(description="city, state or country, when known.")
    def kind(self) -> str | None:
        return self.properties.get("kind")


read_records(Place, {**entity_readers(EntityType.PLACE), "kind": "kind"}, check=(("id",),))
