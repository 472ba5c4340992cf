"""A backfill is an ingest job like any other: the same `IngestJob` node, counts and outcomes.

The job's runner (`app.ingest_service.Run` + `supervise`) is `kg ingest`'s, so heartbeats, the bounded
error list, per-article `PROCESSED` outcomes and failure on a crash are the same; this module only turns
the backfill's steps into the runner's calls.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from neo4j import AsyncDriver

from app.backfill.writing import Outcome
from app.ingest_service import IngestReport, Progress, Run, supervise, sweep_abandoned_jobs
from graph import jobs as job_store
from graph.writer import WriteResult
from ingest.jobs import JobState
from ingest.models import Article


async def record(run: Run, outcome: Outcome) -> None:
    """One article's outcome into the job (saved with the next throttled save)."""
    if outcome.status == "failed":
        await run.failed(outcome.origin, "write_error", outcome.message)
        return
    written = WriteResult(outcome.article_id, outcome.status, outcome.entities, outcome.relations)
    # The runner reads only the article's id; the text stays in the worker that wrote it.
    await run.written(outcome.origin, Article.model_construct(id=outcome.article_id, text=""), written)


async def run_as_job(
    driver: AsyncDriver,
    database: str,
    work: Callable[[Run], Awaitable[None]],
    progress: Progress | None = None,
) -> IngestReport:
    """Create a job, run `work` with its runner, and end the job finished or failed whatever happens."""
    await sweep_abandoned_jobs(driver, database)
    job = JobState.queued()
    await job_store.save_job(driver, database, job.to_properties())
    run = Run(driver, database, job, progress)

    async def body() -> None:
        run.job = run.job.start()
        await run.save(force=True)
        await work(run)
        run.reading = False

    return await supervise(run, body)
