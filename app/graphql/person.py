"""`Person`: a named human, with the offices they hold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.graphql.entity import PREFETCHED_OFFICES, Entity, entity_readers
from app.graphql.enums import EntityType
from app.graphql.execution import PREFETCHED, read_records

if TYPE_CHECKING:
    from app.graphql.context import Context
    from app.graphql.office import Office


@strawberry.type(description="A named human.")
class Person(Entity):
    # The offices, when the statement that found this person fetched them too (`responses`).
    offices_prefetched: strawberry.Private[list[Any] | None] = None

    @classmethod
    def build(cls, p: dict[str, Any]) -> Entity:
        person = super().build(p)
        offices = p.get(PREFETCHED_OFFICES)
        if offices is not None:
            person.offices_prefetched = [Entity.from_node(n) for n in offices]  # type: ignore[attr-defined]
        return person

    @strawberry.field(description="Lower-case last name, used to resolve bare surnames.")
    def surname(self) -> str | None:
        return self.properties.get("surname")

    @strawberry.field
    def gender(self) -> str | None:
        return self.properties.get("gender")

    @strawberry.field(
        description="Offices held (current first), batched across the response.",
        metadata={PREFETCHED: "offices_prefetched"},
    )
    async def offices(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Office, strawberry.lazy("app.graphql.office")]]:
        if self.offices_prefetched is not None:
            return self.offices_prefetched
        nodes = await info.context.loaders.offices.load(str(self.id))
        return [Entity.from_node(n) for n in nodes]  # type: ignore[misc]


def _prefetched_offices(p: dict[str, Any]) -> list[Any]:
    offices = p.get(PREFETCHED_OFFICES)
    if offices is None:  # not fetched with the person: the resolver's loader reads them
        raise LookupError("offices not prefetched")
    return offices  # type: ignore[no-any-return]


read_records(
    Person,
    {
        **entity_readers(EntityType.PERSON),
        "surname": "surname",
        "gender": "gender",
        "offices": _prefetched_offices,
    },
    check=(("id",),),
)
