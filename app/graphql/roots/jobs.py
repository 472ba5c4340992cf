"""`ingestJob(id)` and `ingestJobs`: progress and outcome of background ingests."""

from __future__ import annotations

import strawberry

from app.graphql.context import Context
from app.graphql.enums import JobStatus
from app.graphql.ingest_job import IngestJob
from app.graphql.pagination import Connection, Page
from graph import queries as q


@strawberry.type
class JobsQuery:
    @strawberry.field(description="One ingest job; poll it until `status` is SUCCEEDED or FAILED.")
    async def ingest_job(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> IngestJob | None:
        node = await info.context.loaders.job.load(str(id))
        return IngestJob.from_node(node) if node is not None else None

    @strawberry.field(description="Ingest jobs, newest first, optionally of one status.")
    async def ingest_jobs(
        self,
        info: strawberry.Info[Context, None],
        status: JobStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[IngestJob]:
        ctx = info.context
        page = Page.of(first, after, ctx.settings.max_page_size)
        record = await ctx.executor.read_one(
            q.JOBS_PAGE, status=status.value if status else None, skip=page.skip, limit=page.limit
        )
        assert record is not None
        return Connection.build([IngestJob.from_node(n) for n in record["items"]], record["total"], page)
