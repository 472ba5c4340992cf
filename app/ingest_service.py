"""Ingest orchestration: load -> skip what is already there -> extract (off the event loop) -> write.

Used by `kg ingest` (`ingest_paths`), `kg serve --load-seeds` (`ingest_seeds_if_empty`), the GraphQL
mutations (`submit_texts`, which returns at once with a job id) and the API lifespan
(`sweep_abandoned_jobs`, `sweep_periodically`). Every run is an `IngestJob` in the graph, so its outcome
survives a restart, and every job ends: a job whose runner died is failed by the next process that
touches jobs.

A job streams: inputs are read lazily, a bounded window of articles is in flight, and what the job keeps
(in memory and on its node) is counts plus a bounded list of failures, so memory and the cost of a
progress save are the same for a thousand articles or a million.

Unchanged articles cost one indexed look-up per batch of content hashes, before any extraction, which is
what makes re-ingesting a corpus cheap. The look-up also says which extractor read each of them: one
read by an older extractor (`ingest.staleness`) is extracted again and its own assertions replaced
("reextracted"), so an improved extractor reaches articles that are ingested again. One sent with a
url, title, source or date the graph does not hold yet gets that metadata and keeps its assertions
("metadata updated"). Learning the current extractor's full name loads it once (about a second) when
the batch holds articles already present.
Extraction is CPU-bound and never runs on the event loop: it runs on one worker thread, or on a process
pool of `workers` processes, while the loop writes the articles already extracted (one transaction each).
`app.reextract_service` drives the same workers over the texts stored in the graph.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import multiprocessing
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from itertools import count, islice
from pathlib import Path
from typing import Any

from neo4j import AsyncDriver
from neo4j.exceptions import DatabaseUnavailable, Neo4jError, ServiceUnavailable, SessionExpired

from app.config import Settings
from graph import jobs as job_store
from graph.launcher import pid_alive
from graph.resolver import PersonRecord
from graph.writer import (
    DeleteResult,
    StoredExtraction,
    WriteResult,
    delete_article,
    existing_articles,
    graph_is_empty,
    reextract_article,
    update_article_metadata,
    write_article,
)
from ingest import resolve
from ingest.errors import IngestError, InvalidField, MissingField
from ingest.jobs import (
    HEARTBEAT_S,
    INTERRUPTED_CODE,
    INTERRUPTED_MESSAGES,
    JobError,
    JobKind,
    JobState,
    is_abandoned,
)
from ingest.models import Article, GraphDelta
from ingest.staleness import staleness

__all__ = [
    "PERSON_RULES",
    "DeleteResult",
    "IngestReport",
    "Progress",
    "delete_article",
    "get_job",
    "ingest_paths",
    "ingest_seeds_if_empty",
    "recover_interrupted_jobs",
    "submit_texts",
    "sweep_abandoned_jobs",
    "sweep_periodically",
]

log = logging.getLogger(__name__)

LoadItem = tuple[str, Article | None, IngestError | None]
"""What loading gives the pipeline per input: (origin, article or None, error or None)."""

Progress = Callable[[int, int | None, str], None]
"""Called after each input with (done, total, origin); `total` is None while inputs are still being read."""

Extracted = tuple[str, list[GraphDelta | str]]
"""What a worker returns for a chunk: the extractor's comparable version, and a delta or error per article."""

Pending = tuple[str, Article, StoredExtraction | None]
"""An article to extract: (origin, article, what the graph holds of it when it is already there)."""

EXTRACT_CHUNK = 8  # articles per extraction task: big enough for nlp.pipe, small enough to stream
READ_BATCH = 64  # inputs read (off the loop) and looked up in the graph at a time
CHUNKS_PER_WORKER = 2  # extraction tasks in flight per worker: the window of articles held in memory
RECENT_IDS = 4096  # ids remembered to call a repeat within a job unchanged without asking the graph
SAVE_EVERY_S = 1.0  # how often a running job's progress is saved
OUTCOMES_PER_SAVE = 500  # a save is forced when this many per-article outcomes are waiting
DB_RETRY_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # back-off while the database is away
QUEUED_PATIENCE_S = 900.0  # how long an API job waits for an absent database before it gives up
DB_GONE_CODE = "database_unavailable"

# Background jobs started by `submit_texts`; held so the event loop does not garbage-collect them.
_RUNNING: set[asyncio.Task[None]] = set()
# Ids of the jobs this process is running or about to run: the sweep fails any other job it owns.
_ACTIVE: set[str] = set()

# The database is away (down, restarting, unreachable), as opposed to refusing a statement.
DB_GONE: tuple[type[BaseException], ...] = (ServiceUnavailable, SessionExpired, DatabaseUnavailable)


@dataclass(slots=True)
class IngestReport:
    """What a job did, in counts plus its first `MAX_ERRORS_KEPT` failures: the same size for ten
    articles or a million. Which article had which outcome is in the graph (`graph.jobs.job_articles`)."""

    job_id: str
    kind: JobKind = JobKind.INGEST
    total: int = 0
    ingested: int = 0
    reextracted: int = 0  # present, read again
    metadata_updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[JobError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT failed inputs
    entities_written: int = 0
    relations_written: int = 0
    without_text: int = 0  # reextract: articles left as they were, having no stored text
    seconds: float = 0.0

    @property
    def all_failed(self) -> bool:
        done = self.ingested or self.reextracted or self.unchanged or self.metadata_updated
        return bool(self.failed) and not done

    @classmethod
    def of(cls, job: JobState, *, without_text: int = 0, seconds: float = 0.0) -> IngestReport:
        return cls(
            job_id=job.id,
            kind=job.kind,
            total=job.total,
            ingested=job.ingested,
            reextracted=job.reextracted,
            metadata_updated=job.metadata_updated,
            unchanged=job.unchanged,
            failed=job.failed,
            errors=[e for e in job.errors if e.origin != "job"],
            entities_written=job.entities_written,
            relations_written=job.relations_written,
            without_text=without_text,
            seconds=seconds,
        )


# --- resolution: graph/ carries it out, ingest/resolve.py decides; this adapter joins the two -------


def _profile(p: PersonRecord) -> resolve.PersonProfile:
    offices = tuple(resolve.OfficeRef(o.id, o.title, o.jurisdiction) for o in p.offices)
    return resolve.PersonProfile(p.id, p.name, p.aliases, offices, p.gender)


class PersonRules:
    """`graph.resolver.ResolutionRules` over the pure rules of `ingest.resolve`."""

    def surname(self, name: str) -> str | None:
        return resolve.surname_of(name)

    def is_bare(self, name: str) -> bool:
        return resolve.is_bare_name(name)

    def match(self, mention: PersonRecord, candidates: Sequence[PersonRecord]) -> str:
        return resolve.match_person(_profile(mention), [_profile(c) for c in candidates]).node_id

    def absorbs(self, person: PersonRecord, bare: PersonRecord, rivals: Sequence[PersonRecord]) -> bool:
        return resolve.absorbs(_profile(person), _profile(bare), [_profile(r) for r in rivals])

    def merge_aliases(self, *groups: Iterable[str]) -> list[str]:
        return resolve.merge_aliases(*groups)


PERSON_RULES = PersonRules()


# --- extraction, in a worker thread or worker processes -------------------------------------------


def extractor_identity(model: str) -> tuple[str, str]:
    """The current extractor's full name and comparable version; loads it (cached) in the calling worker."""
    from ingest.extract import EXTRACTOR_VERSION, get_extractor

    return get_extractor(model).name, EXTRACTOR_VERSION


def extract_chunk(model: str, articles: list[Article]) -> Extracted:
    """Runs in a worker. A failure is returned as its message so one bad article spares the chunk."""
    try:
        return _extract_chunk(model, articles)
    finally:
        release_freed_memory()


def _extract_chunk(model: str, articles: list[Article]) -> Extracted:
    from ingest.extract import EXTRACTOR_VERSION, get_extractor

    extractor = get_extractor(model)
    try:
        return EXTRACTOR_VERSION, list(extractor.extract_many(articles, batch_size=len(articles)))
    except Exception:  # noqa: BLE001 - retry one by one to find the article that breaks
        out: list[GraphDelta | str] = []
        for article in articles:
            try:
                out.append(extractor.extract(article, doc_id=article.id))
            except Exception as exc:  # noqa: BLE001
                out.append(f"{type(exc).__name__}: {exc}")
        return EXTRACTOR_VERSION, out


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def release_freed_memory() -> None:
    """Hand the heap that an extraction freed back to the OS.

    glibc keeps freed memory in its arenas, one per thread that allocated it: in the API, where jobs
    extract on a thread, a worker grew from 300 MB to 500-620 MB after two long articles and stayed
    there (issue 11: the API stays under 1 GB), though the memory was free. `malloc_trim` returns it
    (all arenas, a few milliseconds)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def executor(workers: int) -> Executor:
    if workers <= 1:
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-extract")
    # spawn: the parent holds a running event loop and driver threads, which fork would copy.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
    )


# --- the pipeline ----------------------------------------------------------------------------------


class Run:
    """One job's bookkeeping: the persisted state, throttled saves with the per-article outcomes since
    the last one, and progress."""

    def __init__(self, driver: AsyncDriver, database: str, job: JobState, progress: Progress | None) -> None:
        self.driver, self.database, self.job, self.progress = driver, database, job, progress
        self.without_text = 0
        self.reading = True  # inputs still being read: the total is not known yet
        self._saved_at = 0.0
        self._outcomes: list[dict[str, Any]] = []
        self._lock = asyncio.Lock()
        self.patience_s = 0.0  # how long the job's saves wait for an absent database (`supervise`)

    async def save(self, force: bool = False) -> None:
        due = time.monotonic() - self._saved_at >= SAVE_EVERY_S or len(self._outcomes) >= OUTCOMES_PER_SAVE
        if not (force or due):
            return
        async with self._lock:  # the heartbeat and the pipeline never interleave two saves
            self._saved_at = time.monotonic()
            outcomes, self._outcomes = self._outcomes, []
            try:
                await job_store.save_job(self.driver, self.database, self.job.to_properties(), outcomes)
            except BaseException:
                self._outcomes[:0] = outcomes  # kept for the next save
                raise

    async def _tick(self, origin: str, article_id: str | None = None, outcome: str | None = None) -> None:
        if article_id is not None:
            self._outcomes.append({"id": article_id, "outcome": outcome, "seq": self.job.processed})
        if self.progress is not None:
            self.progress(self.job.processed, None if self.reading else self.job.total, origin)
        await self.save()

    def read(self, count: int) -> None:
        """`count` inputs read so far: the job's total grows with them until reading ends."""
        if count > self.job.total:
            self.job = replace(self.job, total=count)

    async def failed(self, origin: str, code: str, message: str) -> None:
        self.job = self.job.record_failed(origin, code, message)
        await self._tick(origin)

    async def unchanged(self, origin: str, article_id: str) -> None:
        self.job = self.job.record_unchanged()
        await self._tick(origin, article_id, "unchanged")

    async def metadata_updated(self, origin: str, article_id: str) -> None:
        self.job = self.job.record_metadata_updated()
        await self._tick(origin, article_id, "metadata_updated")

    async def written(self, origin: str, article: Article, written: WriteResult) -> None:
        """Record what the writer did with one article."""
        if written.status == "ingested":
            self.job = self.job.record_ingested(written.entities_written, written.relations_written)
        elif written.status == "reextracted":
            self.job = self.job.record_reextracted(written.entities_written, written.relations_written)
        else:
            self.job = self.job.record_unchanged()
        await self._tick(origin, article.id, written.status if written.status != "missing" else "unchanged")


def _take(items: Iterator[LoadItem], n: int) -> list[LoadItem]:
    return list(islice(items, n))


class _Recent:
    """The last `RECENT_IDS` article ids a job met: a repeat among them is unchanged at no cost."""

    def __init__(self, size: int = RECENT_IDS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._ids

    def add(self, article_id: str) -> None:
        self._ids[article_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)


async def _process(run: Run, inputs: Iterator[LoadItem], workers: int, model: str) -> None:
    """Read, look up, extract and write in a bounded window, whatever the number of inputs.

    Inputs are read `READ_BATCH` at a time in a thread and looked up in the graph in one query; new or
    stale articles go to the workers in chunks, at most `CHUNKS_PER_WORKER * workers` chunks in flight,
    and are written in input order as their chunks finish. Memory holds one read batch, the window and
    a bounded set of recent ids; the worker pool starts only when something needs extracting."""
    run.job = run.job.start()
    await save_patiently(run, run.patience_s)  # a queued API job waits here for an absent database
    loop = asyncio.get_running_loop()
    window = max(2, CHUNKS_PER_WORKER * workers)
    in_flight: deque[tuple[list[Pending], asyncio.Future[Extracted]]] = deque()
    recent = _Recent()
    identity: tuple[str, str] | None = None
    read = 0
    with ExitStack() as stack:
        pools: list[Executor] = []

        def pool() -> Executor:
            if not pools:
                pools.append(stack.enter_context(executor(workers)))
            return pools[0]

        async def write_oldest() -> None:
            chunk, future = in_flight.popleft()
            version, results = await future
            for (origin, article, known), result in zip(chunk, results, strict=True):
                await write_extraction(run, origin, article, version, result, _redo_of(known, article))

        async def submit(chunk: list[Pending]) -> None:
            articles = [a for _, a, _ in chunk]
            in_flight.append((chunk, loop.run_in_executor(pool(), extract_chunk, model, articles)))
            while len(in_flight) >= window:
                await write_oldest()

        buffer: list[Pending] = []
        try:
            while batch := await asyncio.to_thread(_take, inputs, READ_BATCH):
                read += len(batch)
                run.read(read)
                fresh: list[tuple[str, Article]] = []
                for origin, article, error in batch:
                    if error is not None or article is None:
                        await run.failed(origin, getattr(error, "code", "ingest_error"), str(error))
                    elif article.id in recent:  # the same text twice in one job
                        await run.unchanged(origin, article.id)
                    else:
                        recent.add(article.id)
                        fresh.append((origin, article))
                stored = await existing_articles(run.driver, run.database, [a.id for _, a in fresh])
                for origin, article in fresh:
                    known = stored.get(article.id)
                    if known is not None:
                        # Read again only what an older extractor read, or what was stored without text.
                        if identity is None:
                            identity = await loop.run_in_executor(pool(), extractor_identity, model)
                        verdict = staleness(known.extractor, known.version, *identity)
                        if known.has_text and not verdict.stale:
                            await _keep_text(run, origin, article, known)
                            continue
                    buffer.append((origin, article, known))
                    if len(buffer) >= EXTRACT_CHUNK:
                        chunk, buffer = buffer, []
                        await submit(chunk)
            run.reading = False
            if buffer:
                await submit(buffer)
            while in_flight:
                await write_oldest()
        finally:
            for _, future in in_flight:
                future.cancel()


async def _keep_text(run: Run, origin: str, article: Article, known: StoredExtraction) -> None:
    """An article whose text and extractor are current: unchanged, or given the new metadata it came with."""
    changes = known.metadata_changes(article)
    if not changes:
        await run.unchanged(origin, article.id)
        return
    try:
        written = await update_article_metadata(run.driver, run.database, article.id, changes)
    except Neo4jError as exc:
        await run.failed(origin, "write_error", f"the graph refused the metadata: {exc.message or exc}")
        return
    if written.status == "metadata_updated":
        await run.metadata_updated(origin, article.id)
    else:  # deleted since the look-up
        await run.unchanged(origin, article.id)


@dataclass(frozen=True, slots=True)
class Redo:
    """An article already in the graph whose new extraction replaces its own assertions.

    `expected_extractor` is the extractor seen when it was picked (another run may have redone it since:
    then it is unchanged); `store_text` keeps its text where it had none; `metadata` changes go in the same
    transaction; `write_if_missing` writes it as new if it was deleted meanwhile (an ingest), where a
    re-extraction leaves it deleted."""

    expected_extractor: str | None
    store_text: bool = False
    metadata: dict[str, Any] | None = None
    write_if_missing: bool = False


async def write_extraction(
    run: Run, origin: str, article: Article, version: str, result: GraphDelta | str, redo: Redo | None
) -> None:
    """Write one article's extraction for a job, `kg ingest`'s and `kg reextract`'s alike: as a new article
    (`redo` None) or in place of its stored assertions; a failed extraction or write is recorded as that
    article's failure and the job goes on."""
    if isinstance(result, str):
        await run.failed(origin, "extract_error", f"extraction failed: {result}")
        return
    delta = result.model_copy(update={"id": article.id})
    try:
        if redo is None:
            written = await write_article(
                run.driver, run.database, article, delta, rules=PERSON_RULES, extractor_version=version
            )
        else:
            written = await reextract_article(
                run.driver,
                run.database,
                article,
                delta,
                extractor_version=version,
                expected_extractor=redo.expected_extractor,
                store_text=redo.store_text,
                rules=PERSON_RULES,
                metadata=redo.metadata,
            )
            if written.status == "missing" and redo.write_if_missing:  # deleted since the look-up
                written = await write_article(
                    run.driver, run.database, article, delta, rules=PERSON_RULES, extractor_version=version
                )
    except Neo4jError as exc:
        await run.failed(origin, "write_error", f"the graph refused the article: {exc.message or exc}")
        return
    await run.written(origin, article, written)


def _redo_of(known: StoredExtraction | None, article: Article) -> Redo | None:
    """An ingested article already present is read again in place, its text and new metadata kept."""
    if known is None:
        return None
    return Redo(
        known.extractor, store_text=True, metadata=known.metadata_changes(article), write_if_missing=True
    )


async def _run_job(
    driver: AsyncDriver,
    settings: Settings,
    job: JobState,
    inputs: Callable[[], Iterator[LoadItem]],
    workers: int,
    progress: Progress | None,
    *,
    patience_s: float = 0.0,
) -> IngestReport:
    run = Run(driver, settings.neo4j_database, job, progress)
    deadline = time.monotonic() + patience_s

    async def work() -> None:
        while True:
            try:
                await _process(run, inputs(), max(1, workers), settings.spacy_model)
                return
            except DB_GONE as exc:
                # Gone before the job processed anything: it is as good as queued, so it starts again
                # once the database answers (within its patience) instead of failing.
                if run.job.processed or time.monotonic() >= deadline:
                    raise
                log.warning("ingest job %s: the database went away before it began (%s)", job.id, exc)
                run.job, run.reading = job, True

    return await supervise(run, work, patience_s=patience_s)


async def save_patiently(run: Run, patience_s: float) -> None:
    """Save the job now, waiting up to `patience_s` (with back-off) for a database that is away."""
    deadline = time.monotonic() + patience_s
    for attempt in count():
        try:
            await run.save(force=True)
            return
        except DB_GONE:
            delay = DB_RETRY_S[min(attempt, len(DB_RETRY_S) - 1)]
            if time.monotonic() + delay > deadline:
                raise
            log.warning("ingest job %s waits for the database (retry in %.0f s)", run.job.id, delay)
            await asyncio.sleep(delay)


async def _heartbeat(run: Run) -> None:
    """Keep `updated_at` fresh while the job waits on workers or writes, so other hosts see it alive."""
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        try:
            await run.save(force=True)
        except Exception as exc:  # noqa: BLE001 - the pipeline meets the same error and deals with it
            log.debug("heartbeat of ingest job %s not saved: %s", run.job.id, exc)


async def supervise(
    run: Run, work: Callable[[], Awaitable[None]], *, patience_s: float = 0.0
) -> IngestReport:
    """Run a job's work; whatever stops it, the job ends finished or failed, never left running.

    While it runs, its id is in this process's active set and a heartbeat keeps it fresh. A queued job
    whose database is away waits up to `patience_s` for it before it starts; a running job cut off by
    an outage is failed with that reason, recorded as soon as the database answers within `patience_s`.
    Past that, the job is no longer active here, and the next sweep (`sweep_abandoned_jobs`, in this
    process or the next to touch jobs) fails it."""
    began = time.monotonic()
    run.patience_s = patience_s
    _ACTIVE.add(run.job.id)
    heartbeat = asyncio.create_task(_heartbeat(run), name=f"heartbeat-{run.job.id}")
    try:
        try:
            await work()
        except BaseException as exc:
            # Cut off (cancelled, the database gone, a bug): the job says so instead of staying "running".
            if not run.job.status.finished:
                if isinstance(exc, asyncio.CancelledError):
                    code, reason = "job_failed", "the job stopped: cancelled"
                elif isinstance(exc, DB_GONE):
                    code = DB_GONE_CODE
                    reason = f"the database became unavailable during the job ({type(exc).__name__}: {exc})"
                else:
                    code, reason = "job_failed", f"the job stopped: {type(exc).__name__}: {exc}"
                run.job = run.job.fail(code, reason)
                try:
                    await asyncio.shield(save_patiently(run, patience_s))
                except BaseException:  # noqa: BLE001 - the original error matters more
                    log.exception("could not record the failure of ingest job %s", run.job.id)
            raise
        run.job = run.job.finish()
        await save_patiently(run, patience_s)
    finally:
        heartbeat.cancel()
        _ACTIVE.discard(run.job.id)
    return IngestReport.of(run.job, without_text=run.without_text, seconds=time.monotonic() - began)


def _iter_paths(
    paths: list[Path], max_bytes: int, metadata: dict[str, Any] | None = None
) -> Iterator[LoadItem]:
    from ingest.load import iter_inputs

    given = {k: v for k, v in (metadata or {}).items() if v is not None}
    for r in iter_inputs(paths, max_bytes=max_bytes):
        yield r.origin, r.article.model_copy(update=given) if r.article and given else r.article, r.error


async def ingest_paths(
    driver: AsyncDriver,
    settings: Settings,
    paths: Sequence[Path | str],
    workers: int = 1,
    progress: Progress | None = None,
    metadata: dict[str, Any] | None = None,
) -> IngestReport:
    """Ingest files and folders in any mix; bad inputs are reported in the result and the job.

    `metadata` (`url`, `source`, `published_at`) overrides what the files say about themselves (front
    matter); the CLI allows `url` and `published_at` for a single file only."""
    await sweep_abandoned_jobs(driver, settings.neo4j_database)
    job = JobState.queued()
    _ACTIVE.add(job.id)
    try:
        await job_store.save_job(driver, settings.neo4j_database, job.to_properties())
    except BaseException:
        _ACTIVE.discard(job.id)
        raise
    as_paths = [Path(p) for p in paths]

    def inputs() -> Iterator[LoadItem]:
        return _iter_paths(as_paths, settings.max_article_bytes, metadata)

    return await _run_job(driver, settings, job, inputs, workers, progress)


def _published_at(value: Any, origin_no: int) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField("published_at", value, "an ISO 8601 date-time", origin_no) from None


def _iter_texts(inputs: list[dict[str, Any]], max_bytes: int) -> Iterator[LoadItem]:
    from ingest.load import load_text

    for n, item in enumerate(inputs, start=1):
        origin = str(item.get("origin") or item.get("name") or item.get("url") or f"input #{n}")
        try:
            text = item.get("text")
            if not isinstance(text, str) or not text.strip():
                raise MissingField("text", n, empty=isinstance(text, str))
            article = load_text(
                text,
                title=item.get("title"),
                url=item.get("url"),
                source=item.get("source"),
                published_at=_published_at(item.get("published_at"), n),
                name=item.get("name"),
                max_bytes=max_bytes,
            )
        except IngestError as exc:
            yield origin, None, exc
        else:
            yield origin, article, None


async def submit_texts(driver: AsyncDriver, settings: Settings, inputs: list[dict[str, Any]]) -> str:
    """Queue a job for texts from the API and return its id at once; it runs in the background.

    Each input is a dict with `text` and optionally `title`, `url`, `source`, `published_at` (ISO 8601
    or datetime) and `name`; each bad input is a failure of its own on the job, the others go on.
    Follow the job with `get_job`. A database that goes away before the job starts is waited for
    (`QUEUED_PATIENCE_S`), and the job then runs."""
    job = JobState.queued(total=len(inputs))
    _ACTIVE.add(job.id)
    try:
        await job_store.save_job(driver, settings.neo4j_database, job.to_properties())
    except BaseException:
        _ACTIVE.discard(job.id)
        raise
    items = [dict(i) for i in inputs]

    async def background() -> None:
        try:
            await _run_job(
                driver,
                settings,
                job,
                lambda: _iter_texts(items, settings.max_article_bytes),
                settings.ingest_workers,
                None,
                patience_s=QUEUED_PATIENCE_S,
            )
        except Exception:  # noqa: BLE001 - recorded on the job; nothing awaits this task
            log.exception("ingest job %s failed", job.id)
        finally:
            _ACTIVE.discard(job.id)

    task = asyncio.create_task(background(), name=f"ingest-{job.id}")
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    return job.id


async def get_job(driver: AsyncDriver, database: str, job_id: str) -> JobState | None:
    props = await job_store.get_job(driver, database, job_id)
    return JobState.from_properties(props) if props else None


async def ingest_seeds_if_empty(driver: AsyncDriver, settings: Settings) -> IngestReport | None:
    """Load `seeds/` on first run (no article and no entity in the graph yet); None when not needed."""
    if not await graph_is_empty(driver, settings.neo4j_database):
        return None
    return await ingest_paths(driver, settings, [settings.seeds_dir], workers=1)


async def sweep_abandoned_jobs(driver: AsyncDriver, database: str) -> int:
    """Fail every queued or running job whose runner is gone; returns how many it failed.

    Gone means: a process on this host that no longer exists, this very process when it no longer runs
    the job, or a runner on another host that has not saved for `STALE_AFTER_S` (a live runner saves
    every `HEARTBEAT_S`). `kg ingest` and `kg reextract` sweep before they start, and the API at start-up
    and then every `KG_JOB_SWEEP_S` (`sweep_periodically`), so a job ends within a minute of its
    runner's death whichever of them runs next."""
    marked = 0
    for props in await job_store.unfinished_jobs(driver, database):
        updated = props.get("updated_at")
        if updated is not None and hasattr(updated, "to_native"):
            updated = updated.to_native()
        job_id = props.get("id")
        if not is_abandoned(props.get("owner"), updated, pid_alive=pid_alive, running_here=job_id in _ACTIVE):
            continue
        state = JobState.from_properties(props)
        state = state.fail(INTERRUPTED_CODE, INTERRUPTED_MESSAGES[state.kind])
        if await job_store.save_job_if_unfinished(driver, database, state.to_properties()):
            log.warning("ingest job %s: its runner is gone; marked failed", state.id)
            marked += 1
    return marked


recover_interrupted_jobs = sweep_abandoned_jobs  # the name the API's start-up has used


async def sweep_periodically(driver: AsyncDriver, database: str, every_s: float) -> None:
    """The API's periodic sweep; a database that is away is simply tried again next time."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await sweep_abandoned_jobs(driver, database)
        except Exception as exc:  # noqa: BLE001 - an outage; the next round retries
            log.debug("job sweep skipped: %s", exc)
