"""The ingest job state model: transitions, counts, and the round trip through node properties."""

from __future__ import annotations

import json

import pytest

from ingest.jobs import InvalidTransition, JobError, JobKind, JobState, JobStatus


def test_a_job_runs_through_its_states_and_counts() -> None:
    job = JobState.queued(total=3)
    assert job.status is JobStatus.QUEUED and job.id.startswith("job-")
    job = job.start()
    assert job.status is JobStatus.RUNNING and job.started_at is not None
    job = job.record_ingested(entities=4, relations=2).record_unchanged()
    job = job.record_failed("bad.txt", "empty", "file is empty").finish()
    assert job.status is JobStatus.SUCCEEDED and job.finished_at is not None
    assert (job.processed, job.ingested, job.unchanged, job.failed) == (3, 1, 1, 1)
    assert (job.entities_written, job.relations_written) == (4, 2)
    assert job.errors == (JobError("bad.txt", "empty", "file is empty"),)


def test_a_job_where_everything_failed_is_failed() -> None:
    job = JobState.queued().start(total=1).record_failed("x.bin", "binary", "binary").finish()
    assert job.status is JobStatus.FAILED


def test_finished_jobs_cannot_restart() -> None:
    job = JobState.queued().start().finish()
    with pytest.raises(InvalidTransition, match="succeeded"):
        job.start()
    with pytest.raises(InvalidTransition):
        JobState.queued().finish()  # never started


def test_an_interrupted_job_is_failed_with_the_reason() -> None:
    job = JobState.queued().start().fail("interrupted", "the service stopped")
    assert job.status is JobStatus.FAILED
    assert job.errors[-1].code == "interrupted"


def test_properties_round_trip() -> None:
    job = JobState.queued(total=2).start().record_failed("r#1", "missing_field", "no 'text'")
    props = job.to_properties()
    assert props["status"] == "running"
    assert json.loads(props["errors"]) == [{"origin": "r#1", "code": "missing_field", "message": "no 'text'"}]
    assert all(isinstance(v, (str, int, list, type(None))) or hasattr(v, "isoformat") for v in props.values())
    assert JobState.from_properties(props) == job


def test_a_reextract_job_counts_reextracted_and_skipped_apart_from_ingested() -> None:
    job = JobState.queued(total=2, kind=JobKind.REEXTRACT).start().record_skipped(5)
    job = job.record_reextracted(entities=3, relations=4).record_unchanged().finish()
    assert job.status is JobStatus.SUCCEEDED and job.kind is JobKind.REEXTRACT
    assert (job.processed, job.reextracted, job.ingested, job.unchanged, job.skipped) == (2, 1, 0, 1, 5)
    assert (job.entities_written, job.relations_written) == (3, 4)
    props = job.to_properties()
    assert (props["kind"], props["reextracted"], props["skipped"]) == ("reextract", 1, 5)
    assert JobState.from_properties(props) == job


def test_a_job_saved_before_kinds_existed_reads_back_as_an_ingest() -> None:
    props = JobState.queued().to_properties()
    for key in ("kind", "reextracted", "skipped"):
        del props[key]
    job = JobState.from_properties(props)
    assert (job.kind, job.reextracted, job.skipped) == (JobKind.INGEST, 0, 0)


def test_a_job_whose_runner_died_on_this_host_is_abandoned() -> None:
    import socket
    from datetime import timedelta

    from ingest.jobs import is_abandoned, now

    host = socket.gethostname()
    assert is_abandoned(f"{host}:123", now(), pid_alive=lambda pid: False)
    assert not is_abandoned(f"{host}:123", now(), pid_alive=lambda pid: True)
    # Another host: only silence for longer than the stale limit counts.
    assert not is_abandoned("elsewhere:1", now(), pid_alive=lambda pid: False)
    assert is_abandoned("elsewhere:1", now() - timedelta(hours=1), pid_alive=lambda pid: False)
