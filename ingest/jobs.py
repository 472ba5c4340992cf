"""The ingest job state model: pure values and transitions, persisted by `graph/jobs.py`.

A job is queued, then running, then succeeded or failed. It succeeds when it ran to the end, even if
some inputs were refused (those are counted in `failed` and the first `MAX_ERRORS_KEPT` listed in
`errors`); it fails when it was cut off (a crash, a lost database) or when every input it was given
failed. The counts and the bounded error list are what the `IngestJob` node holds, so a job's outcome
survives a restart of the service and a progress save costs the same at the millionth article as at the
first. Which article got which outcome is not part of the state: the runner records it per article
(`graph.jobs`, a `PROCESSED` relationship from the job to the article), in small batches.

A job is of one `kind`: `ingest` (texts in: new articles are written, unchanged ones skipped, unchanged
ones read by an older extractor re-extracted, unchanged ones sent with a new url, title, source or date
given that metadata) or `reextract` (`kg reextract`: stored articles brought up
to the current extractor; those without a stored text are counted as `skipped`).
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class JobKind(StrEnum):
    INGEST = "ingest"
    REEXTRACT = "reextract"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.SUCCEEDED, JobStatus.FAILED)


ALLOWED: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
}

INTERRUPTED_CODE = "interrupted"
INTERRUPTED_MESSAGE = "the service stopped before the job finished; submit the articles again"
INTERRUPTED_MESSAGES: dict[JobKind, str] = {
    JobKind.INGEST: INTERRUPTED_MESSAGE,
    JobKind.REEXTRACT: "the job stopped before it finished; run `kg reextract` again to do the rest",
}


class InvalidTransition(ValueError):
    def __init__(self, job_id: str, current: JobStatus, wanted: JobStatus) -> None:
        super().__init__(f"ingest job {job_id} is {current.value}; it cannot become {wanted.value}")


@dataclass(frozen=True, slots=True)
class JobError:
    """One input that could not be ingested: where it came from, a stable code, and the reason."""

    origin: str
    code: str
    message: str


def now() -> datetime:
    return datetime.now(UTC)


MAX_ERRORS_KEPT = 100
"""Failed inputs listed on a job; past this they are only counted (`failed`), so a job of a million bad
lines stays a small node."""

HEARTBEAT_S = 10.0
"""How often a live runner refreshes its job's `updated_at`, even while it waits on a worker or the
database."""

STALE_AFTER_S = 45.0
"""A job whose owner is on another host and has saved nothing for this long is taken as abandoned
(several missed heartbeats); with a sweep every `KG_JOB_SWEEP_S` it ends within a minute."""


def process_owner() -> str:
    """Who runs a job: `host:pid`, so recovery can tell a crashed runner from a live one."""
    return f"{socket.gethostname()}:{os.getpid()}"


def is_abandoned(
    owner: str | None,
    updated_at: datetime | None,
    *,
    pid_alive: Any,
    at: datetime | None = None,
    running_here: bool | None = None,
) -> bool:
    """Was an unfinished job cut off? Its runner's process is gone (same host), it went silent (another
    host), or its runner is this very process, which no longer runs it (`running_here` is False:
    the task gave up while the database was away)."""
    host, _, pid = (owner or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid() and running_here is not None:
            return not running_here
        return not pid_alive(int(pid))
    if updated_at is None:
        return True
    return ((at or now()) - updated_at).total_seconds() > STALE_AFTER_S


def new_job_id() -> str:
    return f"job-{uuid.uuid4().hex[:16]}"


@dataclass(frozen=True, slots=True)
class JobState:
    id: str
    status: JobStatus = JobStatus.QUEUED
    kind: JobKind = JobKind.INGEST
    created_at: datetime = field(default_factory=now)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    total: int = 0
    processed: int = 0
    ingested: int = 0
    unchanged: int = 0
    reextracted: int = 0  # unchanged text, read again by a newer extractor
    metadata_updated: int = 0  # unchanged text, sent with a new url, title, source or date
    failed: int = 0
    skipped: int = 0  # left as they were and not processed (reextract: no stored text)
    entities_written: int = 0
    relations_written: int = 0
    errors: tuple[JobError, ...] = ()
    owner: str = field(default_factory=process_owner)

    @classmethod
    def queued(cls, total: int = 0, job_id: str | None = None, kind: JobKind = JobKind.INGEST) -> JobState:
        return cls(id=job_id or new_job_id(), total=total, kind=kind)

    def _to(self, status: JobStatus) -> None:
        if status not in ALLOWED[self.status]:
            raise InvalidTransition(self.id, self.status, status)

    def start(self, total: int | None = None) -> JobState:
        self._to(JobStatus.RUNNING)
        total = self.total if total is None else total
        return replace(self, status=JobStatus.RUNNING, started_at=now(), total=total)

    def record_ingested(self, entities: int, relations: int) -> JobState:
        return replace(
            self,
            processed=self.processed + 1,
            ingested=self.ingested + 1,
            entities_written=self.entities_written + entities,
            relations_written=self.relations_written + relations,
        )

    def record_reextracted(self, entities: int, relations: int) -> JobState:
        return replace(
            self,
            processed=self.processed + 1,
            reextracted=self.reextracted + 1,
            entities_written=self.entities_written + entities,
            relations_written=self.relations_written + relations,
        )

    def record_metadata_updated(self) -> JobState:
        return replace(
            self,
            processed=self.processed + 1,
            metadata_updated=self.metadata_updated + 1,
        )

    def record_skipped(self, count: int) -> JobState:
        """Articles the job will not process (counted, not listed: there may be many)."""
        return replace(self, skipped=self.skipped + count)

    def record_unchanged(self) -> JobState:
        return replace(
            self,
            processed=self.processed + 1,
            unchanged=self.unchanged + 1,
        )

    def record_failed(self, origin: str, code: str, message: str) -> JobState:
        return replace(
            self,
            processed=self.processed + 1,
            failed=self.failed + 1,
            errors=_bounded(self.errors, JobError(origin, code, message)),
        )

    def finish(self) -> JobState:
        """Succeeded, unless every input failed."""
        all_failed = self.failed > 0 and self.failed == self.processed
        status = JobStatus.FAILED if all_failed else JobStatus.SUCCEEDED
        self._to(status)
        return replace(self, status=status, finished_at=now())

    def fail(self, code: str, message: str, origin: str = "job") -> JobState:
        """Cut off: a crash, a lost database, a restart. Inputs already written stay written."""
        self._to(JobStatus.FAILED)
        return replace(
            self,
            status=JobStatus.FAILED,
            finished_at=now(),
            errors=(*self.errors, JobError(origin, code, message)),
        )

    def to_properties(self) -> dict[str, Any]:
        """The `IngestJob` node's properties (docs/graph-model.md); `errors` is a JSON string."""
        props = asdict(self)
        props["status"] = self.status.value
        props["kind"] = self.kind.value
        props["errors"] = errors_to_json(self.errors)
        props["updated_at"] = now()
        return props

    @classmethod
    def from_properties(cls, props: dict[str, Any]) -> JobState:
        def dt(value: Any) -> datetime | None:
            return value.to_native() if hasattr(value, "to_native") else value

        return cls(
            id=props["id"],
            status=JobStatus(props["status"]),
            kind=JobKind(props.get("kind") or JobKind.INGEST.value),
            created_at=dt(props.get("created_at")) or now(),
            started_at=dt(props.get("started_at")),
            finished_at=dt(props.get("finished_at")),
            total=int(props.get("total") or 0),
            processed=int(props.get("processed") or 0),
            ingested=int(props.get("ingested") or 0),
            unchanged=int(props.get("unchanged") or 0),
            reextracted=int(props.get("reextracted") or 0),
            metadata_updated=int(props.get("metadata_updated") or 0),
            failed=int(props.get("failed") or 0),
            skipped=int(props.get("skipped") or 0),
            entities_written=int(props.get("entities_written") or 0),
            relations_written=int(props.get("relations_written") or 0),
            errors=errors_from_json(props.get("errors")),
            owner=str(props.get("owner") or ""),
        )


def _bounded(errors: tuple[JobError, ...], new: JobError) -> tuple[JobError, ...]:
    return (*errors, new) if len(errors) < MAX_ERRORS_KEPT else errors


def errors_to_json(errors: tuple[JobError, ...] | list[JobError]) -> str:
    return json.dumps([asdict(e) for e in errors], ensure_ascii=False)


def errors_from_json(raw: str | None) -> tuple[JobError, ...]:
    if not raw:
        return ()
    return tuple(JobError(str(e["origin"]), str(e["code"]), str(e["message"])) for e in json.loads(raw))
