"""Ingest jobs stream and always end: a bounded window of articles in flight whatever the job's size, a
job node of counts and a bounded failure list, per-article outcomes as PROCESSED relationships, and a
job whose `kg ingest` was killed with -9 failed within a minute by whichever process touches jobs next."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver

import app.ingest_service as service
from app.config import Settings
from graph import jobs as job_store
from ingest.errors import EmptyInput
from ingest.jobs import MAX_ERRORS_KEPT, JobState, JobStatus
from ingest.load import load_text

pytestmark = pytest.mark.integration

KG = str(Path(sys.executable).parent / "kg")


def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def story(t: str, n: int) -> str:
    return (
        f"Governor Maria Quell{t} criticized Senator Paul Varn{t} on Tuesday over budget number {n}. "
        f"'This budget abandons our schools,' Quell{t} said at a press conference in the capital. "
        f"Varn{t} defended the plan and said the cuts were needed to balance the books on day {n}."
    )


async def test_a_job_reads_its_inputs_lazily_and_keeps_a_bounded_window_in_flight(
    clean_graph: AsyncDriver, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "READ_BATCH", 4)
    monkeypatch.setattr(service, "EXTRACT_CHUNK", 2)
    monkeypatch.setattr(service, "CHUNKS_PER_WORKER", 1)
    bound = 4 + max(2, 1) * 2  # one read batch plus the window of chunks
    t, n = tok(), 24
    pulled = written = 0
    ahead: list[int] = []

    def inputs() -> Iterator[service.LoadItem]:
        nonlocal pulled
        for i in range(n):
            pulled += 1
            ahead.append(pulled - written)
            yield f"story-{i}", load_text(story(t, i), title=f"Budget {t} {i}"), None

    real_write = service.write_article

    async def counting_write(*args: Any, **kwargs: Any) -> Any:
        nonlocal written
        result = await real_write(*args, **kwargs)
        written += 1
        return result

    monkeypatch.setattr(service, "write_article", counting_write)
    job = JobState.queued()
    report = await service._run_job(clean_graph, settings, job, inputs, 1, None)

    assert (report.total, report.ingested, report.failed) == (n, n, 0)
    assert max(ahead) <= bound, f"read {max(ahead)} inputs ahead of the writer; the window is {bound}"
    processed = await job_store.job_articles(clean_graph, settings.neo4j_database, job.id, limit=100)
    assert [seq for _, _, seq in processed] == list(range(1, n + 1))
    assert {outcome for _, outcome, _ in processed} == {"ingested"}


async def test_a_job_node_holds_counts_and_the_first_failures_not_every_article(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    t, bad = tok(), MAX_ERRORS_KEPT + 5

    def inputs() -> Iterator[service.LoadItem]:
        for i in range(bad):
            yield f"empty-{i}.txt", None, EmptyInput()
        yield "good.txt", load_text(story(t, 1), title=f"Budget {t}"), None
        yield "again.txt", load_text(story(t, 1), title=f"Budget {t}"), None

    job = JobState.queued()
    report = await service._run_job(clean_graph, settings, job, inputs, 1, None)
    assert (report.failed, len(report.errors), report.ingested, report.unchanged) == (bad, 100, 1, 1)
    props = await job_store.get_job(clean_graph, settings.neo4j_database, job.id)
    assert props is not None and props["status"] == "succeeded" and props["failed"] == bad
    assert "article_ids" not in props
    assert len(JobState.from_properties(props).errors) == MAX_ERRORS_KEPT
    outcomes = await job_store.job_articles(clean_graph, settings.neo4j_database, job.id, limit=10)
    assert [o for _, o, _ in outcomes] == ["ingested"]  # one relationship per job and article


def kg_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "COLUMNS": "200",
    }


def spawn_kg_ingest(settings: Settings, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [KG, "ingest", str(folder)],
        env=kg_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def start_and_kill_kg_ingest(driver: AsyncDriver, settings: Settings, folder: Path) -> str:
    """Start `kg ingest` on `folder`, wait until its job runs and has written something, kill -9 it."""
    proc = spawn_kg_ingest(settings, folder)
    owner_suffix = f":{proc.pid}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            records, _, _ = await driver.execute_query(
                "MATCH (j:IngestJob) WHERE j.owner ENDS WITH $suffix AND j.status = 'running' "
                "AND j.processed >= 1 RETURN j.id AS id",
                suffix=owner_suffix,
                database_=settings.neo4j_database,
            )
            if records:
                proc.send_signal(signal.SIGKILL)
                return str(records[0]["id"])
            assert proc.poll() is None, "kg ingest ended before it could be killed"
            await asyncio.sleep(0.2)
        raise AssertionError("the kg ingest job never started running")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def write_folder(root: Path, t: str, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"story-{i:03d}.txt").write_text(f"Budget fight {i} {t}\n\n{story(t, i)}\n", encoding="utf-8")
    return root


async def wait_until_finished(driver: AsyncDriver, db: str, job_id: str, within_s: float) -> JobState:
    deadline = time.monotonic() + within_s
    while True:
        state = await service.get_job(driver, db, job_id)
        assert state is not None
        if state.status.finished or time.monotonic() > deadline:
            return state
        await asyncio.sleep(0.5)


async def test_a_killed_kg_ingest_job_is_failed_by_the_next_kg_ingest(
    clean_graph: AsyncDriver, settings: Settings, tmp_path: Path
) -> None:
    t = tok()
    job_id = await start_and_kill_kg_ingest(clean_graph, settings, write_folder(tmp_path / "a", t, 40))
    killed_at = time.monotonic()
    state = await service.get_job(clean_graph, settings.neo4j_database, job_id)
    assert state is not None and state.status is JobStatus.RUNNING  # nobody has noticed yet

    (tmp_path / "one.txt").write_text(f"Another day {t}\n\n{story(t, 999)}\n", encoding="utf-8")
    after = await asyncio.to_thread(
        subprocess.run,
        [KG, "ingest", str(tmp_path / "one.txt")],
        env=kg_env(settings),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert after.returncode == 0, after.stderr
    state = await wait_until_finished(clean_graph, settings.neo4j_database, job_id, 0)
    assert state.status is JobStatus.FAILED and state.errors[-1].code == "interrupted"
    assert state.ingested >= 1  # what it wrote before it died stays counted
    assert time.monotonic() - killed_at < 60


async def test_a_killed_kg_ingest_job_is_failed_by_the_apis_periodic_sweep_within_a_minute(
    clean_graph: AsyncDriver, settings: Settings, tmp_path: Path
) -> None:
    t = tok()
    job_id = await start_and_kill_kg_ingest(clean_graph, settings, write_folder(tmp_path / "b", t, 40))
    killed_at = time.monotonic()
    sweep = asyncio.create_task(
        service.sweep_periodically(clean_graph, settings.neo4j_database, settings.job_sweep_s)
    )
    try:
        state = await wait_until_finished(clean_graph, settings.neo4j_database, job_id, 60)
    finally:
        sweep.cancel()
    assert state.status is JobStatus.FAILED, f"still {state.status.value} a minute after kill -9"
    assert state.errors[-1].code == "interrupted"
    assert time.monotonic() - killed_at < 60
