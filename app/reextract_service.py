"""Re-extraction: bring the articles an older extractor read up to the current one, from their stored texts.

Used by `kg reextract`. The graph is first counted per (extractor, version, has text), and
`ingest.staleness` decides group by group what to redo, so a dry run (`preview_reextraction`) reads no
text at all. `reextract` then streams the stale articles a page at a time (`graph.stored_articles`),
extracts them on the same workers as `kg ingest` (one thread, or `workers` processes), and replaces each
article's own assertions and MENTIONS in one transaction (`graph.writer.reextract_article`). At most a
page and the chunks in flight are in memory. Articles stored before texts were kept cannot be redone:
they are counted, a few are named, and they are left as they are until their source is ingested again.

A run is an `IngestJob` of kind `reextract`: `reextracted`, `unchanged` (redone meanwhile by another run,
or deleted), `failed` per article with its reason, and `skipped` (no stored text).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

from neo4j import AsyncDriver

from app.config import Settings
from app.ingest_service import (
    EXTRACT_CHUNK,
    Extracted,
    IngestReport,
    Progress,
    Redo,
    Run,
    executor,
    extract_chunk,
    extractor_identity,
    supervise,
    sweep_abandoned_jobs,
    write_extraction,
)
from graph import jobs as job_store
from graph.stored_articles import (
    ArticleRef,
    StoredArticle,
    articles_without_text,
    extractor_census,
    stored_article_pages,
)
from ingest.errors import ExtractorUnavailable
from ingest.jobs import JobKind, JobState
from ingest.staleness import ReextractionPlan, plan_reextraction

__all__ = ["NO_TEXT_ADVICE", "ReextractResult", "preview_reextraction", "reextract"]

PAGE_SIZE = 64  # stored texts read per query
NO_TEXT_SAMPLE = 10  # articles without a stored text named in a report
NO_TEXT_ADVICE = "no stored text: re-ingest the source"


@dataclass(frozen=True, slots=True)
class ReextractResult:
    """What a run found and did. `report` is None for a dry run, or when nothing needed redoing."""

    plan: ReextractionPlan
    without_text: tuple[ArticleRef, ...]  # a few of the articles that have no stored text
    report: IngestReport | None = None
    dry_run: bool = False


async def _identity(pool: Executor, model: str) -> tuple[str, str]:
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(pool, extractor_identity, model)
    except Exception as exc:  # noqa: BLE001 - whatever stops the model loading, say which model and why
        raise ExtractorUnavailable(model, f"{type(exc).__name__}: {exc}") from exc


async def _plan(
    driver: AsyncDriver, settings: Settings, pool: Executor, everything: bool
) -> tuple[ReextractionPlan, tuple[ArticleRef, ...]]:
    name, version = await _identity(pool, settings.spacy_model)
    groups = await extractor_census(driver, settings.neo4j_database)
    plan = plan_reextraction(groups, name, version, everything=everything)
    sample = await articles_without_text(driver, settings.neo4j_database, plan.no_text_keys, NO_TEXT_SAMPLE)
    return plan, tuple(sample)


async def preview_reextraction(
    driver: AsyncDriver, settings: Settings, *, everything: bool = False
) -> ReextractResult:
    """What `reextract` would do, without reading a text or writing anything (`kg reextract --dry-run`).

    Raises `ExtractorUnavailable` when the current extractor cannot be loaded."""
    with executor(1) as pool:
        plan, sample = await _plan(driver, settings, pool, everything)
    return ReextractResult(plan, sample, dry_run=True)


async def reextract(
    driver: AsyncDriver,
    settings: Settings,
    *,
    everything: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
    page_size: int = PAGE_SIZE,
) -> ReextractResult:
    """Re-extract every article an older extractor read (every article, with `everything`).

    Each article is all or nothing; a failed one keeps its old assertions and is listed with its reason.
    Raises `ExtractorUnavailable`, before anything is written, when the extractor cannot be loaded."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    db = settings.neo4j_database
    with executor(workers) as pool:
        plan, sample = await _plan(driver, settings, pool, everything)
        if plan.to_redo == 0:
            return ReextractResult(plan, sample)
        await sweep_abandoned_jobs(driver, db)
        job = JobState.queued(total=plan.to_redo, kind=JobKind.REEXTRACT)
        await job_store.save_job(driver, db, job.to_properties())
        run = Run(driver, db, job, progress)
        run.reading = False  # the plan counted them
        run.without_text = plan.without_text

        async def work() -> None:
            run.job = run.job.start(total=plan.to_redo).record_skipped(plan.without_text)
            await run.save(force=True)
            await _redo(run, pool, settings.spacy_model, plan.keys, page_size, max_in_flight=2 * workers)

        report = await supervise(run, work)
    return ReextractResult(plan, sample, report)


async def _redo(
    run: Run,
    pool: Executor,
    model: str,
    keys: Sequence[tuple[str | None, str | None]],
    page_size: int,
    max_in_flight: int,
) -> None:
    """Pages in, chunks out to the workers, a bounded number in flight, writes in order as they finish."""
    loop = asyncio.get_running_loop()
    in_flight: deque[tuple[list[StoredArticle], asyncio.Future[Extracted]]] = deque()

    async def write_oldest() -> None:
        chunk, future = in_flight.popleft()
        version, results = await future
        for stored, result in zip(chunk, results, strict=True):
            await write_extraction(
                run, _origin(stored), stored.article, version, result, Redo(stored.extractor)
            )

    try:
        async for page in stored_article_pages(run.driver, run.database, keys, page_size):
            for start in range(0, len(page), EXTRACT_CHUNK):
                chunk = page[start : start + EXTRACT_CHUNK]
                articles = [s.article for s in chunk]
                in_flight.append((chunk, loop.run_in_executor(pool, extract_chunk, model, articles)))
                while len(in_flight) >= max(2, max_in_flight):
                    await write_oldest()
        while in_flight:
            await write_oldest()
    finally:
        for _, future in in_flight:
            future.cancel()


def _origin(stored: StoredArticle) -> str:
    return stored.article.url or f"article {stored.article.id}"
