"""`node`, `entity` and `person`: fetch one thing by id, or one person by name or alias."""

from __future__ import annotations

from typing import Any

import strawberry

from app.graphql.article import Article
from app.graphql.context import Context
from app.graphql.entity import Entity
from app.graphql.errors import NotFound
from app.graphql.ingest_job import IngestJob
from app.graphql.node import RELATION_ID_PREFIX, Node
from app.graphql.person import Person
from app.graphql.relation import Relation
from app.graphql.resolve import resolve_entity
from graph import queries as q


def _from_any_node(node: Any) -> Node:
    labels = set(node.labels)
    if "Article" in labels:
        return Article.from_node(node)
    if "IngestJob" in labels:
        return IngestJob.from_node(node)
    return Entity.from_node(node)


@strawberry.type
class EntityQuery:
    @strawberry.field(description="Any object by its global id: an entity, article, ingest job or relation.")
    async def node(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> Node | None:
        ctx = info.context
        if id.startswith(RELATION_ID_PREFIX):
            record = await ctx.executor.read_one(
                q.RELATION_BY_ELEMENT_ID,
                element_id=id[len(RELATION_ID_PREFIX) :],
                types=list(q.READABLE_RELATION_TYPES),
            )
            return Relation.from_record(dict(record)) if record else None
        record = await ctx.executor.read_one(q.NODE_BY_ID, id=str(id))
        return _from_any_node(record["n"]) if record else None

    @strawberry.field(description="An entity by id (`person:larry-krasner`); null when there is none.")
    async def entity(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> Entity | None:
        node = await info.context.loaders.entity.load(str(id))
        return Entity.from_node(node) if node is not None else None

    @strawberry.field(
        description="A person by id, name or any alias, case-insensitive ('Krasner', 'larry krasner'). "
        "Null when nobody matches; an error listing the candidates when several do."
    )
    async def person(self, info: strawberry.Info[Context, None], name: str) -> Person | None:
        try:
            node = await resolve_entity(info.context, name, "Person", field="name")
        except NotFound:
            return None
        return Entity.from_node(node)  # type: ignore[return-value]
