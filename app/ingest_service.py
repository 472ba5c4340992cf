"""Ingest orchestration: load -> skip what is already there -> extract (off the event loop) -> write.

Used by `kg ingest` (`ingest_paths`), `kg serve --load-seeds` (`ingest_seeds_if_empty`), the GraphQL
mutations (`submit_texts`, which returns at once with a job id) and the API lifespan
(`recover_interrupted_jobs`). Every run is an `IngestJob` in the graph, so its outcome survives a restart.

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
import logging
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from neo4j import AsyncDriver
from neo4j.exceptions import Neo4jError

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
from ingest.jobs import INTERRUPTED_CODE, INTERRUPTED_MESSAGES, JobError, JobKind, JobState, is_abandoned
from ingest.models import Article, GraphDelta
from ingest.staleness import staleness

__all__ = [
    "PERSON_RULES",
    "DeleteResult",
    "IngestReport",
    "IngestedArticle",
    "Progress",
    "delete_article",
    "get_job",
    "ingest_paths",
    "ingest_seeds_if_empty",
    "recover_interrupted_jobs",
    "submit_texts",
]

log = logging.getLogger(__name__)

Loaded = list[tuple[str, Article | None, IngestError | None]]
"""What loading gives the pipeline: (origin, article or None, error or None) per input."""

Progress = Callable[[int, int, str], None]
"""Called after each input with (done, total, origin); `total` is known once loading is done."""

Extracted = tuple[str, list[GraphDelta | str]]
"""What a worker returns for a chunk: the extractor's comparable version, and a delta or error per article."""

Pending = tuple[str, Article, StoredExtraction | None]
"""An article to extract: (origin, article, what the graph holds of it when it is already there)."""

EXTRACT_CHUNK = 8  # articles per extraction task: big enough for nlp.pipe, small enough to stream
LOOKUP_BATCH = 500  # content hashes per "already ingested?" query
SAVE_EVERY_S = 1.0  # how often a running job's progress is saved

# Background jobs started by `submit_texts`; held so the event loop does not garbage-collect them.
_RUNNING: set[asyncio.Task[None]] = set()


@dataclass(frozen=True, slots=True)
class IngestedArticle:
    origin: str
    article_id: str
    title: str | None
    entities: int
    relations: int


@dataclass(slots=True)
class IngestReport:
    job_id: str
    kind: JobKind = JobKind.INGEST
    total: int = 0
    ingested: list[IngestedArticle] = field(default_factory=list)
    reextracted: list[IngestedArticle] = field(default_factory=list)  # present, read again
    metadata_updated: list[tuple[str, str]] = field(default_factory=list)  # (origin, article id)
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # (origin, article id)
    failed: list[JobError] = field(default_factory=list)
    without_text: int = 0  # reextract: articles left as they were, having no stored text
    seconds: float = 0.0

    @property
    def entities_written(self) -> int:
        return sum(a.entities for a in (*self.ingested, *self.reextracted))

    @property
    def relations_written(self) -> int:
        return sum(a.relations for a in (*self.ingested, *self.reextracted))

    @property
    def all_failed(self) -> bool:
        done = self.ingested or self.reextracted or self.unchanged or self.metadata_updated
        return bool(self.failed) and not done


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
    """One job's bookkeeping: the persisted state, the report, throttled saves and progress."""

    def __init__(self, driver: AsyncDriver, database: str, job: JobState, progress: Progress | None) -> None:
        self.driver, self.database, self.job, self.progress = driver, database, job, progress
        self.report = IngestReport(job_id=job.id, kind=job.kind)
        self._saved_at = 0.0

    async def save(self, force: bool = False) -> None:
        if force or time.monotonic() - self._saved_at >= SAVE_EVERY_S:
            self._saved_at = time.monotonic()
            await job_store.save_job(self.driver, self.database, self.job.to_properties())

    async def _tick(self, origin: str) -> None:
        if self.progress is not None:
            self.progress(self.job.processed, self.report.total, origin)
        await self.save()

    async def failed(self, origin: str, code: str, message: str) -> None:
        self.job = self.job.record_failed(origin, code, message)
        self.report.failed.append(JobError(origin, code, message))
        await self._tick(origin)

    async def unchanged(self, origin: str, article_id: str) -> None:
        self.job = self.job.record_unchanged(article_id)
        self.report.unchanged.append((origin, article_id))
        await self._tick(origin)

    async def metadata_updated(self, origin: str, article_id: str) -> None:
        self.job = self.job.record_metadata_updated(article_id)
        self.report.metadata_updated.append((origin, article_id))
        await self._tick(origin)

    async def ingested(self, origin: str, article: Article, entities: int, relations: int) -> None:
        self.job = self.job.record_ingested(article.id, entities, relations)
        self.report.ingested.append(IngestedArticle(origin, article.id, article.title, entities, relations))
        await self._tick(origin)

    async def reextracted(self, origin: str, article: Article, entities: int, relations: int) -> None:
        self.job = self.job.record_reextracted(article.id, entities, relations)
        self.report.reextracted.append(
            IngestedArticle(origin, article.id, article.title, entities, relations)
        )
        await self._tick(origin)

    async def written(self, origin: str, article: Article, written: WriteResult) -> None:
        """Record what the writer did with one article."""
        if written.status == "ingested":
            await self.ingested(origin, article, written.entities_written, written.relations_written)
        elif written.status == "reextracted":
            await self.reextracted(origin, article, written.entities_written, written.relations_written)
        else:
            await self.unchanged(origin, article.id)


async def _process(run: Run, loaded: Loaded, workers: int, model: str) -> None:
    run.report.total = len(loaded)
    run.job = run.job.start(total=len(loaded))
    await run.save(force=True)

    todo: list[tuple[str, Article]] = []
    seen: set[str] = set()
    for origin, article, error in loaded:
        if error is not None or article is None:
            await run.failed(origin, getattr(error, "code", "ingest_error"), str(error))
        elif article.id in seen:  # the same text twice in one batch
            await run.unchanged(origin, article.id)
        else:
            seen.add(article.id)
            todo.append((origin, article))

    pending: list[Pending] = []
    present: list[tuple[str, Article, StoredExtraction]] = []
    for start in range(0, len(todo), LOOKUP_BATCH):
        batch = todo[start : start + LOOKUP_BATCH]
        stored = await existing_articles(run.driver, run.database, [a.id for _, a in batch])
        for origin, article in batch:
            if article.id in stored:
                present.append((origin, article, stored[article.id]))
            else:
                pending.append((origin, article, None))

    if not pending and not present:
        return

    loop = asyncio.get_running_loop()
    with executor(workers) as pool:
        if present:
            # Read again only what an older extractor read, or what was stored without its text.
            name, current = await loop.run_in_executor(pool, extractor_identity, model)
            for origin, article, known in present:
                if known.has_text and not staleness(known.extractor, known.version, name, current).stale:
                    await _keep_text(run, origin, article, known)
                else:
                    pending.append((origin, article, known))
        chunks = [pending[i : i + EXTRACT_CHUNK] for i in range(0, len(pending), EXTRACT_CHUNK)]
        futures = [loop.run_in_executor(pool, extract_chunk, model, [a for _, a, _ in c]) for c in chunks]
        try:
            for chunk, future in zip(chunks, futures, strict=True):
                version, results = await future
                for (origin, article, stored_as), result in zip(chunk, results, strict=True):
                    await _write_one(run, origin, article, stored_as, version, result)
        finally:
            for future in futures:
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


async def _write_one(
    run: Run,
    origin: str,
    article: Article,
    known: StoredExtraction | None,
    version: str,
    result: GraphDelta | str,
) -> None:
    if isinstance(result, str):
        await run.failed(origin, "extract_error", f"extraction failed: {result}")
        return
    delta = result.model_copy(update={"id": article.id})
    try:
        written = None
        if known is not None:
            written = await reextract_article(
                run.driver,
                run.database,
                article,
                delta,
                extractor_version=version,
                expected_extractor=known.extractor,
                store_text=True,
                rules=PERSON_RULES,
                metadata=known.metadata_changes(article),
            )
        if written is None or written.status == "missing":  # new, or deleted since the look-up
            written = await write_article(
                run.driver, run.database, article, delta, rules=PERSON_RULES, extractor_version=version
            )
    except Neo4jError as exc:
        await run.failed(origin, "write_error", f"the graph refused the article: {exc.message or exc}")
        return
    await run.written(origin, article, written)


async def _run_job(
    driver: AsyncDriver,
    settings: Settings,
    job: JobState,
    load: Callable[[], Loaded],
    workers: int,
    progress: Progress | None,
) -> IngestReport:
    run = Run(driver, settings.neo4j_database, job, progress)

    async def work() -> None:
        loaded = await asyncio.to_thread(load)
        await _process(run, loaded, max(1, workers), settings.spacy_model)

    return await supervise(run, work)


async def supervise(run: Run, work: Callable[[], Awaitable[None]]) -> IngestReport:
    """Run a job's work; whatever stops it, the job ends finished or failed, never left running."""
    began = time.monotonic()
    try:
        await work()
    except BaseException as exc:
        # Cut off (cancelled, the database gone, a bug): the job says so instead of staying "running".
        if not run.job.status.finished:
            cancelled = isinstance(exc, asyncio.CancelledError)
            reason = "cancelled" if cancelled else f"{type(exc).__name__}: {exc}"
            run.job = run.job.fail("job_failed", f"the job stopped: {reason}")
            try:
                await asyncio.shield(run.save(force=True))
            except Exception:  # noqa: BLE001 - the original error matters more
                log.exception("could not record the failure of ingest job %s", run.job.id)
        raise
    run.job = run.job.finish()
    await run.save(force=True)
    run.report.seconds = time.monotonic() - began
    return run.report


def _load_paths(paths: Iterable[Path], max_bytes: int, metadata: dict[str, Any] | None = None) -> Loaded:
    from ingest.load import iter_inputs

    given = {k: v for k, v in (metadata or {}).items() if v is not None}
    return [
        (r.origin, r.article.model_copy(update=given) if r.article and given else r.article, r.error)
        for r in iter_inputs(list(paths), max_bytes=max_bytes)
    ]


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
    job = JobState.queued()
    await job_store.save_job(driver, settings.neo4j_database, job.to_properties())
    as_paths = [Path(p) for p in paths]

    def load() -> Loaded:
        return _load_paths(as_paths, settings.max_article_bytes, metadata)

    return await _run_job(driver, settings, job, load, workers, progress)


def _published_at(value: Any, origin_no: int) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField("published_at", value, "an ISO 8601 date-time", origin_no) from None


def _load_texts(inputs: list[dict[str, Any]], max_bytes: int) -> Loaded:
    from ingest.load import load_text

    out: Loaded = []
    for n, item in enumerate(inputs, start=1):
        origin = str(item.get("name") or item.get("url") or f"input #{n}")
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
            out.append((origin, None, exc))
        else:
            out.append((origin, article, None))
    return out


async def submit_texts(driver: AsyncDriver, settings: Settings, inputs: list[dict[str, Any]]) -> str:
    """Queue a job for texts from the API and return its id at once; it runs in the background.

    Each input is a dict with `text` and optionally `title`, `url`, `source`, `published_at` (ISO 8601
    or datetime) and `name`. Follow the job with `get_job`."""
    job = JobState.queued(total=len(inputs))
    await job_store.save_job(driver, settings.neo4j_database, job.to_properties())
    items = [dict(i) for i in inputs]

    async def background() -> None:
        try:
            await _run_job(
                driver,
                settings,
                job,
                lambda: _load_texts(items, settings.max_article_bytes),
                settings.ingest_workers,
                None,
            )
        except Exception:  # noqa: BLE001 - recorded on the job; nothing awaits this task
            log.exception("ingest job %s failed", job.id)

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


async def recover_interrupted_jobs(driver: AsyncDriver, database: str) -> int:
    """At start-up: a job still queued or running whose runner is gone was cut off; mark it failed.

    Call it once, before this process starts jobs of its own. Returns how many jobs it marked."""
    marked = 0
    for props in await job_store.unfinished_jobs(driver, database):
        updated = props.get("updated_at")
        if updated is not None and hasattr(updated, "to_native"):
            updated = updated.to_native()
        # A live `kg ingest` elsewhere on this host (or a busy peer) keeps its job.
        if not is_abandoned(props.get("owner"), updated, pid_alive=pid_alive):
            continue
        state = JobState.from_properties(props)
        state = state.fail(INTERRUPTED_CODE, INTERRUPTED_MESSAGES[state.kind])
        if await job_store.save_job_if_unfinished(driver, database, state.to_properties()):
            marked += 1
    return marked
