"""Ingest jobs in the graph: a job's outcome survives a restart, and a job cut off is marked failed."""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
from dataclasses import replace

import pytest
from neo4j import AsyncDriver

from app.config import Settings
from app.ingest_service import get_job, recover_interrupted_jobs, submit_texts
from graph import jobs as job_store
from ingest.jobs import JobState, JobStatus

pytestmark = pytest.mark.integration


def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


async def test_job_state_round_trips_through_the_graph(clean_graph: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    job = JobState.queued(total=2).start().record_failed("a.txt", "empty", "file is empty")
    await job_store.save_job(clean_graph, db, job.to_properties())
    props = await job_store.get_job(clean_graph, db, job.id)
    assert props is not None and props["status"] == "running"
    assert json.loads(props["errors"])[0]["origin"] == "a.txt"
    assert await get_job(clean_graph, db, job.id) == job


async def test_recovery_marks_cut_off_jobs_failed_and_leaves_finished_ones(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    db = settings.neo4j_database
    gone = await asyncio.create_subprocess_exec("true")
    await gone.wait()
    crashed = f"{socket.gethostname()}:{gone.pid}"
    running = replace(JobState.queued(total=5).start().record_ingested(1, 1), owner=crashed)
    queued = replace(JobState.queued(total=1), owner=crashed)
    done = JobState.queued(total=1).start().record_unchanged().finish()
    # Owned by another live process on this host, like a `kg ingest` running elsewhere.
    other = await asyncio.create_subprocess_exec("sleep", "60")
    live = replace(JobState.queued(total=3).start(), owner=f"{socket.gethostname()}:{other.pid}")
    # Owned by this process, which does not run it (its task gave up while the database was away).
    orphan = JobState.queued(total=2)
    try:
        for job in (running, queued, done, live, orphan):
            await job_store.save_job(clean_graph, db, job.to_properties())
        await recover_interrupted_jobs(clean_graph, db)
        still = await get_job(clean_graph, db, live.id)
        assert still is not None and still.status is JobStatus.RUNNING
    finally:
        other.kill()
        await other.wait()
    orphaned = await get_job(clean_graph, db, orphan.id)
    assert orphaned is not None and orphaned.status is JobStatus.FAILED
    after = {j.id: await get_job(clean_graph, db, j.id) for j in (running, queued, done)}
    for cut in (running, queued):
        state = after[cut.id]
        assert state is not None and state.status is JobStatus.FAILED
        assert state.finished_at is not None and state.errors[-1].code == "interrupted"
    assert after[running.id].ingested == 1  # what was written before the crash is still counted
    assert after[done.id] == done


async def test_submitted_texts_run_in_the_background(clean_graph: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    t = tok()
    text = (
        f"Governor Maria Quell{t} criticized Senator Paul Varn{t} on Tuesday over the state budget. "
        f"'This budget abandons our schools,' Quell{t} said at a press conference in the capital. "
        f"Varn{t} defended the plan and said the cuts were needed to balance the books."
    )
    job_id = await submit_texts(
        clean_graph,
        settings,
        [
            {"text": text, "title": f"Budget fight {t}", "url": f"https://example.test/{t}"},
            {"text": "   ", "title": "nothing"},
            {"text": text + " More.", "published_at": "not a date"},
        ],
    )
    state = await get_job(clean_graph, db, job_id)
    assert state is not None and state.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    for _ in range(240):
        state = await get_job(clean_graph, db, job_id)
        if state is not None and state.status.finished:
            break
        await asyncio.sleep(0.25)
    assert state is not None and state.status is JobStatus.SUCCEEDED, state
    assert (state.total, state.ingested, state.failed) == (3, 1, 2)
    assert {e.code for e in state.errors} == {"missing_field", "invalid_field"}
    records, _, _ = await clean_graph.execute_query(
        "MATCH (a:Article {url: $url}) RETURN a.id AS id, a.title AS title",
        url=f"https://example.test/{t}",
        database_=db,
    )
    processed = await job_store.job_articles(clean_graph, db, job_id, limit=10)
    assert [(r["id"], "ingested") for r in records] == [(i, o) for i, o, _ in processed]
