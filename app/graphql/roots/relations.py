"""`relations(filter:)`: assertions by type, source, target, article and date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import strawberry

from app.graphql.context import Context
from app.graphql.enums import RelationType
from app.graphql.pagination import Connection, KeyPage
from app.graphql.records import as_datetime
from app.graphql.relation import Relation
from app.graphql.resolve import resolve_entity
from app.graphql.selection import selected_paths
from graph import queries as q

EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC)


@strawberry.input(description="Every field narrows the result; `source`/`target` take an id, name or alias.")
class RelationFilter:
    types: list[RelationType] | None = None
    source: str | None = None
    target: str | None = None
    article_id: strawberry.ID | None = None
    since: datetime | None = None
    until: datetime | None = None


def keyset_params(page: KeyPage, since: datetime | None, until: datetime | None) -> dict[str, Any]:
    """The range an assertion page reads (`$lo`..`$hi`, the cursor's date when there is one) and the
    cursor's key; dates outside Neo4j's nothing-special range stand in for open ends."""
    after_at, after_id = page.after if page.after else (None, None)
    hi = as_datetime(after_at) if after_at else None
    return {
        "lo": since or EARLIEST,
        "hi": hi or until or LATEST,
        "after_at": after_at,
        "after_id": after_id,
        "since": since,
        "until": until,
        "limit": page.limit + 1,  # one more tells whether there is a next page
    }


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
        page = KeyPage.of(first, after, ctx.settings.max_page_size, arity=2)
        source = (await resolve_entity(ctx, f.source, field="filter.source"))["id"] if f.source else None
        target = (await resolve_entity(ctx, f.target, field="filter.target"))["id"] if f.target else None
        # an article's own assertions are the fewest rows to start from; source and target then filter
        anchor: Literal["source", "target", "article", "none"] = (
            "article" if f.article_id else "source" if source else "target" if target else "none"
        )
        types = tuple(sorted({t.value for t in f.types})) if f.types else q.READABLE_RELATION_TYPES
        with_total = "totalCount" in selected_paths(info)
        record = await ctx.executor.read_one(
            q.relations_filtered(anchor, types, with_total, dated=bool(f.since or f.until)),
            source=source,
            target=target,
            article=str(f.article_id) if f.article_id else None,
            with_total=with_total,
            **keyset_params(page, f.since, f.until),
        )
        assert record is not None
        rows = [(Relation.from_record(i), i["key"]) for i in record["items"]]
        return Connection.build_keyed(rows, record["total"], page)
