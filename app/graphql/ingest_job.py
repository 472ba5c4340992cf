"""`IngestJob`: a background ingest, polled with `ingestJob(id:)` until it succeeds or fails."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry

from app.graphql.article import Article
from app.graphql.enums import JobKind, JobStatus
from app.graphql.node import Node
from app.graphql.records import as_datetime, props
from graph.jobs import job_articles

if TYPE_CHECKING:
    from app.graphql.context import Context


@strawberry.type(description="Why one input of a job failed.")
class IngestError:
    origin: str | None
    code: str | None
    message: str


def _errors(raw: Any) -> list[IngestError]:
    if not raw:
        return []
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return [IngestError(origin=None, code=None, message=str(raw))]
    return [
        IngestError(origin=i.get("origin"), code=i.get("code"), message=str(i.get("message", "")))
        if isinstance(i, dict)
        else IngestError(origin=None, code=None, message=str(i))
        for i in items
    ]


@strawberry.type(description="A batch of articles being ingested in the background, or a `kg reextract` run.")
class IngestJob(Node):
    status: JobStatus
    kind: JobKind
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    total: int
    processed: int
    ingested: int
    unchanged: int
    reextracted: int = strawberry.field(
        description="Articles already present, read again by a newer extractor."
    )
    metadata_updated: int = strawberry.field(
        description="Articles already present, unchanged, whose url, title, source or date this job "
        "updated (their assertions kept)."
    )
    failed: int
    skipped: int = strawberry.field(
        description="Reextract jobs: articles left as they were (no stored text)."
    )
    entities_written: int
    relations_written: int
    errors: list[IngestError]
    # Jobs saved before outcomes were PROCESSED relationships listed their articles on the node.
    legacy_article_ids: strawberry.Private[list[str]]

    @classmethod
    def from_node(cls, node: Any) -> IngestJob:
        p = props(node)
        try:
            status = JobStatus(p.get("status", "queued"))
        except ValueError:
            status = JobStatus.FAILED
        try:
            kind = JobKind(p.get("kind") or "ingest")
        except ValueError:
            kind = JobKind.INGEST
        return cls(
            id=strawberry.ID(p["id"]),
            status=status,
            kind=kind,
            created_at=as_datetime(p.get("created_at")),
            started_at=as_datetime(p.get("started_at")),
            finished_at=as_datetime(p.get("finished_at")),
            total=p.get("total") or 0,
            processed=p.get("processed") or 0,
            ingested=p.get("ingested") or 0,
            unchanged=p.get("unchanged") or 0,
            reextracted=p.get("reextracted") or 0,
            metadata_updated=p.get("metadata_updated") or 0,
            failed=p.get("failed") or 0,
            skipped=p.get("skipped") or 0,
            entities_written=p.get("entities_written") or 0,
            relations_written=p.get("relations_written") or 0,
            errors=_errors(p.get("errors")),
            legacy_article_ids=[str(a) for a in p.get("article_ids") or []],
        )

    async def _article_ids(self, info: strawberry.Info[Context, None]) -> list[str]:
        # Per-article outcomes are PROCESSED relationships (graph.jobs), read in order, at most a page.
        ctx = info.context
        rows = await job_articles(
            ctx.driver, ctx.settings.neo4j_database, str(self.id), limit=ctx.settings.max_page_size
        )
        return [article_id for article_id, _, _ in rows] or self.legacy_article_ids[
            : ctx.settings.max_page_size
        ]

    @strawberry.field
    async def article_ids(self, info: strawberry.Info[Context, None]) -> list[strawberry.ID]:
        return [strawberry.ID(a) for a in await self._article_ids(info)]

    @strawberry.field(description="The articles this job wrote (batched).")
    async def articles(self, info: strawberry.Info[Context, None]) -> list[Article]:
        nodes = await info.context.loaders.article.load_many(await self._article_ids(info))
        return [Article.from_node(n) for n in nodes if n is not None]
