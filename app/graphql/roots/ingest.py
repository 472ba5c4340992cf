"""Mutations: `ingestArticle`, `ingestArticles` (background jobs) and `deleteArticle`.

The work is `app.ingest_service`'s; here are only the token check, the input limits, and the reply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from app.graphql.context import Context
from app.graphql.errors import InputTooLarge, UserError
from app.graphql.ingest_job import IngestJob
from app.graphql.permissions import HasApiToken


@strawberry.input(description="One article to ingest. Only `text` is required.")
class IngestArticleInput:
    text: str
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    source: str | None = None


@strawberry.type(description="What `deleteArticle` removed.")
class DeleteArticlePayload:
    id: strawberry.ID
    deleted: bool = strawberry.field(description="False when there was no such article.")
    relations_deleted: int
    entities_deleted: int


def _check(inputs: list[IngestArticleInput], ctx: Context) -> list[dict[str, Any]]:
    """A single article is refused here, with the reason; in a batch, an input that is too big or empty
    becomes a failure of its own on the job (`errors`, with its code) and the others go on."""
    s = ctx.settings
    if not inputs:
        raise UserError("inputs: give at least one article")
    if len(inputs) > s.max_batch_size:
        raise InputTooLarge("inputs", len(inputs), s.max_batch_size, "KG_MAX_BATCH", " articles")
    if len(inputs) == 1:
        size = len(inputs[0].text.encode("utf-8", "surrogatepass"))
        if size > s.max_article_bytes:
            raise InputTooLarge("input.text", size, s.max_article_bytes, "KG_MAX_ARTICLE_BYTES", " bytes")
        if not inputs[0].text.strip():
            raise UserError("input.text is empty")
    return [
        {
            "origin": f"inputs[{i}]" if len(inputs) > 1 else None,
            "text": item.text,
            "title": item.title,
            "url": item.url,
            "published_at": item.published_at,
            "source": item.source,
        }
        for i, item in enumerate(inputs)
    ]


async def _submit(ctx: Context, rows: list[dict[str, Any]]) -> IngestJob:
    from app import ingest_service

    job_id = await ingest_service.submit_texts(ctx.driver, ctx.settings, rows)
    node = await ctx.loaders.job.load(job_id)
    if node is None:  # the job node is written before submit_texts returns; be safe anyway
        return IngestJob.from_node({"id": job_id, "status": "queued", "total": len(rows)})
    return IngestJob.from_node(node)


@strawberry.type
class IngestMutation:
    @strawberry.mutation(
        permission_classes=[HasApiToken],
        description="Queue one article; returns the job at once. Poll `ingestJob(id:)` for the outcome.",
    )
    async def ingest_article(
        self, info: strawberry.Info[Context, None], input: IngestArticleInput
    ) -> IngestJob:
        return await _submit(info.context, _check([input], info.context))

    @strawberry.mutation(
        permission_classes=[HasApiToken],
        description="Queue up to KG_MAX_BATCH articles as one job; returns the job at once.",
    )
    async def ingest_articles(
        self, info: strawberry.Info[Context, None], inputs: list[IngestArticleInput]
    ) -> IngestJob:
        return await _submit(info.context, _check(inputs, info.context))

    @strawberry.mutation(
        permission_classes=[HasApiToken],
        description="Delete an article, its assertions, and entities left with no evidence.",
    )
    async def delete_article(
        self, info: strawberry.Info[Context, None], id: strawberry.ID
    ) -> DeleteArticlePayload:
        from app import ingest_service

        ctx = info.context
        result = await ingest_service.delete_article(ctx.driver, ctx.settings.neo4j_database, str(id))
        return DeleteArticlePayload(
            id=id,
            deleted=result.found,
            relations_deleted=result.relations_deleted,
            entities_deleted=result.entities_deleted,
        )
