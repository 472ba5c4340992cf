"""`stats`: counts by label and relationship type."""

from __future__ import annotations

import strawberry

from app.graphql.context import Context
from app.graphql.stats import Stats
from graph import queries as q


@strawberry.type
class StatsQuery:
    @strawberry.field(description="Node counts by label and relationship counts by type.")
    async def stats(self, info: strawberry.Info[Context, None]) -> Stats:
        record = await info.context.executor.read_one(q.STATS)
        assert record is not None
        return Stats.from_record(record["labels"], record["types"])
