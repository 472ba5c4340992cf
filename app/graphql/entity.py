"""The `Entity` interface over Person, Office, Organization, Bill, Event and Place, and `from_node`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.graphql.enums import Direction, EntityType, RelationType
from app.graphql.execution import Reader, type_records
from app.graphql.node import Node
from app.graphql.pagination import Connection, KeyPage
from app.graphql.records import read_map

if TYPE_CHECKING:
    from app.graphql.context import Context
    from app.graphql.mention import Mention
    from app.graphql.relation import Relation

ALL_RELATION_TYPES = tuple(t.value for t in RelationType)
# `EntityType(name)` looks the member up through Enum's machinery: 169 times per `responses` answer on the
# bench graph, the largest own time after the completion (docs/performance.md, session 7).
ENTITY_TYPE_BY_NAME = {t.value: t for t in EntityType}
#: Where the statement that read an entity put the offices it fetched with it (`responses`): a key no
#: property of the graph model has; `Person.build` takes them from there, and so does their reader.
PREFETCHED_OFFICES = "@offices"


@strawberry.interface(description="Anything an article talks about; `id` is stable and readable.")
class Entity(Node):
    name: str
    type: EntityType
    aliases: list[str] = strawberry.field(description="Every surface form seen, including `name`.")
    properties: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_node(cls, node: Any) -> Entity:
        """The one place a Neo4j entity node becomes a GraphQL object of the right concrete type."""
        concrete = _CONCRETE or _concrete_types()
        p = read_map(node)
        label = p.get("type")
        if label not in concrete:
            label = next((lbl for lbl in getattr(node, "labels", ()) if lbl in concrete), "Organization")
        return concrete[label].build(p)

    @classmethod
    def build(cls, p: dict[str, Any]) -> Entity:
        return cls(
            id=strawberry.ID(p["id"]),
            name=p.get("name") or p["id"],
            type=ENTITY_TYPE_BY_NAME[cls.__name__],
            aliases=list(p.get("aliases") or []),
            properties=p,
        )

    @strawberry.field(description="Articles that mention this entity, newest first, with how often.")
    async def mentions(
        self, info: strawberry.Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Mention, strawberry.lazy("app.graphql.mention")]]:
        from app.graphql.context import PageKey
        from app.graphql.mention import Mention

        page = KeyPage.of(first, after, info.context.settings.max_page_size, arity=2)
        after_at, after_id = page.after or (None, None)
        total, items = await info.context.loaders.mentions_page.load(
            PageKey(str(self.id), after_at, after_id, page.limit + 1, with_total=_wants_total(info))
        )
        return Connection.build_keyed([(Mention.from_record(i), i["key"]) for i in items], total, page)

    @strawberry.field(description="Assertions this entity takes part in, newest first.")
    async def relations(
        self,
        info: strawberry.Info[Context, None],
        types: list[RelationType] | None = None,
        direction: Direction = Direction.BOTH,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Annotated[Relation, strawberry.lazy("app.graphql.relation")]]:
        from app.graphql.context import PageKey
        from app.graphql.relation import Relation

        page = KeyPage.of(first, after, info.context.settings.max_page_size, arity=2)
        after_at, after_id = page.after or (None, None)
        wanted = tuple(sorted({t.value for t in types})) if types else ALL_RELATION_TYPES
        total, items = await info.context.loaders.relations_page.load(
            PageKey(
                str(self.id),
                after_at,
                after_id,
                page.limit + 1,
                wanted,
                direction.value,
                with_total=_wants_total(info),
            )
        )
        return Connection.build_keyed([(Relation.from_record(i), i["key"]) for i in items], total, page)


# The concrete types by label, filled on first use (their modules import this one). Importing them inside
# `from_node` on every call was 6% of the API's samples under load (py-spy, docs/performance.md).
_CONCRETE: dict[str, type[Entity]] = {}


def _concrete_types() -> dict[str, type[Entity]]:
    from app.graphql.bill import Bill
    from app.graphql.event import Event
    from app.graphql.office import Office
    from app.graphql.organization import Organization
    from app.graphql.person import Person
    from app.graphql.place import Place

    for kind in (Person, Office, Organization, Bill, Event, Place):
        _CONCRETE[kind.__name__] = kind
    return _CONCRETE


def _wants_total(info: Any) -> bool:
    from app.graphql.selection import selected_paths

    return "totalCount" in selected_paths(info)


def entity_name(p: dict[str, Any]) -> str:
    return p.get("name") or p["id"]  # type: ignore[no-any-return]


def entity_readers(kind: EntityType) -> dict[str, Reader]:
    """The readers of `Entity`'s fields from an entity's map (`read_records`), as `Entity.build` reads
    them, for the concrete type `kind`."""
    return {
        "id": "id",
        "name": entity_name,
        "type": lambda p: kind,
        "aliases": lambda p: list(p.get("aliases") or []),
    }


def _record_type(p: dict[str, Any]) -> str:
    # As `Entity.from_node` types a map: its `type` when that is a concrete type, else Organization.
    label = p.get("type")
    return label if label in ENTITY_TYPE_BY_NAME else "Organization"  # type: ignore[return-value]


type_records(Entity, _record_type)
