"""`Office`: a position with a jurisdiction ("District Attorney of Philadelphia")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from app.graphql.entity import Entity, entity_name, entity_readers
from app.graphql.enums import EntityType
from app.graphql.execution import read_records

if TYPE_CHECKING:
    from app.graphql.context import Context
    from app.graphql.person import Person


@strawberry.type(description="A position with a jurisdiction; `name` is 'title of jurisdiction'.")
class Office(Entity):
    @strawberry.field
    def title(self) -> str | None:
        return self.properties.get("title") or self.name

    @strawberry.field
    def jurisdiction(self) -> str | None:
        return self.properties.get("jurisdiction")

    @strawberry.field(description="People who hold or held this office.")
    async def holders(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Person, strawberry.lazy("app.graphql.person")]]:
        nodes = await info.context.loaders.holders.load(str(self.id))
        return [Entity.from_node(n) for n in nodes]  # type: ignore[misc]


read_records(
    Office,
    {
        **entity_readers(EntityType.OFFICE),
        "title": lambda p: p.get("title") or entity_name(p),
        "jurisdiction": "jurisdiction",
    },
    check=(("id",),),
)
