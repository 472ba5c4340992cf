"""`Organization`: an agency, party, council, outlet or company."""

from __future__ import annotations

import strawberry

from app.graphql.entity import Entity, entity_readers
from app.graphql.enums import EntityType
from app.graphql.execution import read_records


@strawberry.type(description="An agency, party, council, outlet, company.")
class Organization(Entity):
    @strawberry.field(description="agency, party, council, outlet, company or other.")
    def kind(self) -> str | None:
        return self.properties.get("kind")

    @strawberry.field
    def acronym(self) -> str | None:
        return self.properties.get("acronym")


read_records(
    Organization,
    {**entity_readers(EntityType.ORGANIZATION), "kind": "kind", "acronym": "acronym"},
    check=(("id",),),
)
