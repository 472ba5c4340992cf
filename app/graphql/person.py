"""`Person`: a named human, with the offices they hold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from app.graphql.entity import Entity

if TYPE_CHECKING:
    from app.graphql.context import Context
    from app.graphql.office import Office


@strawberry.type(description="A named human.")
class Person(Entity):
    @strawberry.field(description="Lower-case last name, used to resolve bare surnames.")
    def surname(self) -> str | None:
        return self.properties.get("surname")

    @strawberry.field
    def gender(self) -> str | None:
        return self.properties.get("gender")

    @strawberry.field(description="Offices held (current first), batched across the response.")
    async def offices(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Office, strawberry.lazy("app.graphql.office")]]:
        nodes = await info.context.loaders.offices.load(str(self.id))
        return [Entity.from_node(n) for n in nodes]  # type: ignore[misc]
