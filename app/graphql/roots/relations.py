"""`relations(filter:)`: assertions by type, source, target, article and date."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import strawberry

from app.graphql.context import Context
from app.graphql.enums import RelationType
from app.graphql.pagination import Connection, Page
from app.graphql.relation import Relation
from app.graphql.resolve import resolve_entity
from graph import queries as q


@strawberry.input(description="Every field narrows the result; `source`/`target` take an id, name or alias.")
class RelationFilter:
    types: list[RelationType] | None = None
    source: str | None = None
    target: str | None = None
    article_id: strawberry.ID | None = None
    since: datetime | None = None
    until: datetime | None = None


@strawberry.type
class RelationsQuery:
    @strawberry.field(description="Assertions matching the filter, newest first.")
    async def relations(
        self,
        info: strawberry.Info[Context, None],
        filter: RelationFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Relation]:
        ctx = info.context
        f = filter or RelationFilter()
        page = Page.of(first, after, ctx.settings.max_page_size)
        source = (await resolve_entity(ctx, f.source, field="filter.source"))["id"] if f.source else None
        target = (await resolve_entity(ctx, f.target, field="filter.target"))["id"] if f.target else None
        anchor: Literal["source", "target", "article", "none"] = (
            "source" if source else "target" if target else "article" if f.article_id else "none"
        )
        record = await ctx.executor.read_one(
            q.relations_filtered(anchor),
            types=[t.value for t in f.types] if f.types else list(q.READABLE_RELATION_TYPES),
            source=source,
            target=target,
            article=str(f.article_id) if f.article_id else None,
            since=f.since,
            until=f.until,
            skip=page.skip,
            limit=page.limit,
        )
        assert record is not None
        return Connection.build([Relation.from_record(i) for i in record["items"]], record["total"], page)
