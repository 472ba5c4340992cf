"""`Bill`: a bill, legislative package, ordinance, executive order or resolution."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from app.graphql.entity import Entity, entity_readers
from app.graphql.enums import EntityType
from app.graphql.execution import read_records

if TYPE_CHECKING:
    from app.graphql.context import Context


@strawberry.type(description="A bill, legislative package, ordinance, executive order or resolution.")
class Bill(Entity):
    @strawberry.field(description="bill, package, ordinance, executive_order or resolution.")
    def kind(self) -> str | None:
        return self.properties.get("kind")

    @strawberry.field
    def jurisdiction(self) -> str | None:
        return self.properties.get("jurisdiction")

    @strawberry.field
    def status(self) -> str | None:
        return self.properties.get("status")

    @strawberry.field(description="Who introduced, pushed, signed or issued it (SPONSORED).")
    async def sponsors(self, info: strawberry.Info[Context, None]) -> list[Entity]:
        return [Entity.from_node(n) for n in await info.context.loaders.sponsors.load(str(self.id))]

    @strawberry.field(description="Who ENDORSED it.")
    async def supporters(self, info: strawberry.Info[Context, None]) -> list[Entity]:
        return [Entity.from_node(n) for n in await info.context.loaders.supporters.load(str(self.id))]

    @strawberry.field(description="Who CRITICIZED it.")
    async def opponents(self, info: strawberry.Info[Context, None]) -> list[Entity]:
        return [Entity.from_node(n) for n in await info.context.loaders.opponents.load(str(self.id))]


read_records(
    Bill,
    {**entity_readers(EntityType.BILL), "kind": "kind", "jurisdiction": "jurisdiction", "status": "status"},
    check=(("id",),),
)
