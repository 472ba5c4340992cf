"""The backfill on Dask: extraction as tasks on the engine, locally or on a cluster; resolution and
writes by the client, slice by slice, while the workers extract the next slice.

1. extract: one task per chunk of input files loads and extracts them, writes the records to a deltas
   shard (`kg extract --deltas` lines) in the work folder, and returns small summaries plus the
   resolution items with their blocking keys (`resolution.items_of`);
2. resolve: the client takes the chunks finished in a row from where the last slice ended (a slice),
   groups their items by blocking key and plans each block (`writing.plan_blocks`), against the graph
   the slices before it left: what `kg ingest` of the corpus in this order would have seen;
3. write: the slice's shards are read back and written with their patches (`writing.write_planned`),
   `concurrency` transactions at a time, while the workers go on extracting.
A slice is looked up and planned while the previous slice is written: against the people the previous
slice's plan leaves for its surnames (`Plan.people`), and the graph for every other surname, which the
running writes do not touch; its writes begin once the previous slice's have ended. The client records
every outcome in one ingest job, as `kg ingest` does. Only the client talks to Neo4j.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import AsyncDriver

from app.backfill.jobs import record, run_as_job
from app.backfill.resolution import BlockKey, Item, items_of
from app.backfill.writing import (
    KnownPeople,
    Plan,
    counting_retries,
    group_items,
    plan_blocks,
    write_planned,
)
from app.config import Settings
from app.ingest_service import PERSON_RULES, IngestReport, Progress, Run, extract_chunk
from graph.resolver import PersonRecord
from graph.writer import existing_article_ids
from ingest.deltas import DeltaRecord, make_record, read_records
from ingest.errors import Unreadable

log = logging.getLogger(__name__)

SHARD_ARTICLE_BYTES = 1 << 30  # shards are this job's own output: checked, not size-limited
SEQ_STRIDE = 1_000_000  # records per chunk at most: a record's seq is chunk * SEQ_STRIDE + its number
LOOKUP_BATCH = 500
SLICE_FILES = 2_000  # input files in one slice at most: what the client holds of the job at a time


@dataclass
class BackfillFigures:
    """Where a backfill's time went, for the demo and the docs."""

    workers: int = 0
    concurrency: int = 0
    chunks: int = 0
    slices: int = 0
    start_s: float = 0.0  # the cluster's start (a local one) or the connection to it
    extract_s: float = 0.0  # from the first extraction task to the last result (overlaps the writes)
    lookup_s: float = 0.0  # summed over slices
    plan_s: float = 0.0  # summed over slices
    write_s: float = 0.0  # summed over slices (overlaps the extraction and the next slice's plan)
    write_wait_s: float = 0.0  # the client waiting for a slice's writes to end, the next slice planned
    tail_s: float = 0.0  # from the last extraction result to the last outcome
    pipeline_s: float = 0.0  # from the first extraction task to the last outcome
    total_s: float = 0.0
    blocks: int = 0
    retried_transactions: int = 0
    kept: int = 0


@dataclass
class BackfillResult:
    report: IngestReport
    figures: BackfillFigures = field(default_factory=BackfillFigures)


# --- extraction tasks ----------------------------------------------------------------------------


def list_inputs(paths: list[Path]) -> Iterator[Path | Unreadable]:
    """The input files in `kg ingest`'s order (folders walked sorted, a file reached twice once)."""
    from ingest.load.loader import SUPPORTED_SUFFIXES
    from ingest.load.walk import walk_folder

    seen: set[Path] = set()
    for given in paths:
        found = walk_folder(given, SUPPORTED_SUFFIXES) if given.is_dir() else [given]
        for item in found:
            if isinstance(item, Unreadable):
                yield item
                continue
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                yield item


def extract_task(chunk: int, files: list[str], out_dir: str, model: str, max_bytes: int) -> dict[str, Any]:
    """Load and extract one chunk of files; write its deltas shard; return summaries and items."""
    from ingest.load.loader import load_path

    base = chunk * SEQ_STRIDE
    loaded: list[tuple[int, str, Any]] = []
    failures: list[tuple[int, str, str, str]] = []
    n = 0
    for name in files:
        for result in load_path(Path(name), max_bytes=max_bytes):
            n += 1
            if result.error is not None or result.article is None:
                code = getattr(result.error, "code", "ingest_error")
                failures.append((base + n, result.origin, code, str(result.error)))
            else:
                loaded.append((base + n, result.origin, result.article))
    records: list[tuple[int, str, str]] = []
    items: list[tuple[BlockKey, Item]] = []
    shard = Path(out_dir) / f"part-{chunk:06d}.jsonl"
    if loaded:
        version, deltas = extract_chunk(model, [a for _, _, a in loaded])
        with shard.open("w", encoding="utf-8") as out:
            for (seq, origin, article), delta in zip(loaded, deltas, strict=True):
                if isinstance(delta, str):
                    failures.append((seq, origin, "extract_error", f"extraction failed: {delta}"))
                    continue
                rec = make_record(origin, article, delta, version)
                out.write(rec.to_line())
                records.append((seq, article.id, origin))
                items.extend(items_of(seq, rec.delta, PERSON_RULES))
    return {
        "chunk": chunk,
        "shard": str(shard) if records else None,
        "records": records,
        "failures": failures,
        "items": items,
    }


# --- the client ----------------------------------------------------------------------------------


# Dask's own housekeeping, turned down for the local cluster: measured on the demo, a Dask worker used
# about 60% more CPU than a `kg ingest` worker extracting the same articles, most of it sampling its
# own stacks (every 10 ms), checking the event loop (every 20 ms) and host metrics (every 500 ms).
# Extraction tasks are uniform and queued in corpus order, so work stealing has nothing to balance.
QUIET_CLUSTER: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.scheduler.work-stealing": False,
    # Dask starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also turns off glibc's dynamic mmap
    # threshold: every large array spaCy allocates is mapped and unmapped again, and the page faults made
    # a worker's system time three times a `kg ingest` worker's (1.3 against 0.45 CPU s per 120 articles).
    # The extraction gives freed memory back itself after each chunk (`release_freed_memory`), as
    # `kg ingest`'s workers do. Dask's single-thread settings for the numeric libraries stay.
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
}


def local_cluster(workers: int, model: str | None = None) -> Any:
    """A Dask cluster of `workers` single-threaded processes on this machine (spaCy is not thread-safe
    enough to share, and one process per core is what extraction wants), with `QUIET_CLUSTER`.

    The workers are forked from a fork server that has imported the project and loaded `model`
    (`app.backfill.warm_workers`): one load per process instead of one per worker and backfill. The
    fork server starts clean (it is spawned, not forked from this process and its threads), with
    `QUIET_CLUSTER`'s environment for the numeric libraries, and lives as long as this process."""
    import dask
    from dask.distributed import LocalCluster
    from distributed.utils import get_mp_context

    from app.backfill.warm_workers import MODEL_ENV

    settings: dict[str, Any] = {
        **QUIET_CLUSTER,
        "distributed.worker.multiprocessing-method": "forkserver",
        "distributed.nanny.pre-spawn-environ": {
            **QUIET_CLUSTER["distributed.nanny.pre-spawn-environ"],
            **({MODEL_ENV: model} if model else {}),
        },
    }
    with dask.config.set(settings):
        # Dask names its own modules for the fork server the first time it is asked for the context;
        # ours replace them (a fork server already running keeps what it has).
        get_mp_context().set_forkserver_preload(["distributed", "app.backfill.warm_workers"])
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,
            silence_logs=logging.WARNING,
        )


def slice_end(start: int, sizes: Sequence[int], finished: Callable[[int], bool], max_files: int) -> int:
    """Where the slice that begins at chunk `start` ends (exclusive): that chunk, then each following
    chunk already finished, in a row, while the slice holds at most `max_files` files. Always at least
    one chunk: the caller has waited for chunk `start`."""
    if not 0 <= start < len(sizes):
        raise ValueError(f"a slice must begin at one of the {len(sizes)} chunks, not at {start}")
    end, files = start + 1, sizes[start]
    while end < len(sizes) and finished(end) and files + sizes[end] <= max_files:
        files += sizes[end]
        end += 1
    return end


async def run_backfill(
    driver: AsyncDriver,
    settings: Settings,
    paths: list[Path],
    *,
    workers: int = 2,
    scheduler: str | None = None,
    chunk_files: int = 4,
    concurrency: int = 4,
    slice_files: int = SLICE_FILES,
    work_dir: Path | None = None,
    progress: Progress | None = None,
) -> BackfillResult:
    """Backfill files and folders through Dask; one ingest job records it.

    `scheduler` is a Dask scheduler address (a cluster); without it a local cluster of `workers`
    processes runs for the job. The workers must reach the work folder; the client writes.
    `slice_files` bounds a slice (what is planned and written together)."""
    for name, value, least in (
        ("workers", workers, 1),
        ("chunk_files", chunk_files, 1),
        ("concurrency", concurrency, 1),
        ("slice_files", slice_files, 1),
    ):
        if value < least:
            raise ValueError(f"{name} must be at least {least}, not {value}")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(missing)}")
    figures = BackfillFigures(workers=workers, concurrency=concurrency)
    db = settings.neo4j_database
    began = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="kg-backfill-", dir=work_dir) as tmp:

        async def work(run: Run) -> None:
            stages = _Stages(run, driver, settings, concurrency, Path(tmp), figures)
            await stages.run(paths, workers, scheduler, chunk_files, max(slice_files, chunk_files))

        report = await run_as_job(driver, db, work, progress)
    figures.total_s = time.perf_counter() - began
    return BackfillResult(report, figures)


class _Stages:
    """One backfill's client side: the extraction tasks, then slice after slice planned and written,
    and what spans slices (the first record of each article id)."""

    def __init__(
        self,
        run: Run,
        driver: AsyncDriver,
        settings: Settings,
        concurrency: int,
        out_dir: Path,
        figures: BackfillFigures,
    ) -> None:
        self.job, self.driver, self.settings = run, driver, settings
        self.concurrency, self.out_dir, self.figures = concurrency, out_dir, figures
        self.db = settings.neo4j_database
        self.first: dict[str, int] = {}  # article id -> the seq of its first record in the corpus
        self.total = 0
        self.write_failures = 0

    async def run(
        self, paths: list[Path], workers: int, scheduler: str | None, chunk_files: int, slice_files: int
    ) -> None:
        from dask.distributed import Client

        files: list[str] = []
        for item in list_inputs(paths):
            if isinstance(item, Unreadable):
                await self.job.failed(item.path, item.code, item.message)
            else:
                files.append(str(item))
        chunks = [files[i : i + chunk_files] for i in range(0, len(files), chunk_files)]
        self.figures.chunks = len(chunks)
        t0 = time.perf_counter()
        model = self.settings.spacy_model
        cluster = None if scheduler else await asyncio.to_thread(local_cluster, workers, model)
        client = Client(scheduler or cluster)
        self.figures.start_s = time.perf_counter() - t0
        writing: asyncio.Task[None] | None = None
        try:
            began = time.perf_counter()
            # Every extraction task at once, in corpus order (Dask runs earlier submissions first).
            futures: list[Any] = client.map(
                extract_task,
                range(len(chunks)),
                chunks,
                out_dir=str(self.out_dir),
                model=model,
                max_bytes=self.settings.max_article_bytes,
                pure=False,
            )
            sizes = [len(c) for c in chunks]
            start = 0
            known = KnownPeople()
            failures_seen = 0
            while start < len(chunks):
                await asyncio.to_thread(futures[start].result)
                end = slice_end(start, sizes, lambda n: bool(futures[n].done()), slice_files)
                # One round trip to the cluster for the slice, off the event loop (the writes go on).
                results = await asyncio.to_thread(client.gather, futures[start:end])
                futures[start:end] = [None] * (end - start)  # released on the cluster
                if end == len(chunks):
                    self.figures.extract_s = time.perf_counter() - began
                self._count_read(results)
                # Slice k is looked up and planned while slice k-1 is written, against the graph slice
                # k-1 leaves: the people of every surname an earlier slice planned as the plans left
                # them (`known`: slice k-1's among them), every other surname's as read now (slice
                # k-1's writes touch no other surname's people, and the writes before it have ended).
                # Its article ids are new or among the slices' `first`.
                kept = await self._look_up(results)
                plan = await self._plan(results, kept, known.people)
                if writing is not None:
                    t0 = time.perf_counter()
                    await writing  # slice k-1's writes end before slice k's begin
                    self.figures.write_wait_s += time.perf_counter() - t0
                    if self.write_failures > failures_seen:
                        # A failed write's people were planned as written: read them again.
                        known.reset({})
                        failures_seen = self.write_failures
                writing = asyncio.create_task(self._write(results, kept, plan))
                known.update(plan.people)
                self.figures.slices += 1
                start = end
            self.job.reading = False
            if writing is not None:
                await writing
            now = time.perf_counter()
            self.figures.pipeline_s = now - began
            self.figures.tail_s = now - began - self.figures.extract_s
        finally:
            if writing is not None and not writing.done():
                writing.cancel()
            client.close()
            if cluster is not None:
                await asyncio.to_thread(cluster.close)

    def _count_read(self, results: list[dict[str, Any]]) -> None:
        self.total += sum(len(r["records"]) + len(r["failures"]) for r in results)
        self.job.read(self.total)
        if self.job.progress is not None:
            self.job.progress(self.job.job.processed, None, f"extracted {self.total}")

    async def _look_up(self, results: list[dict[str, Any]]) -> set[int]:
        """Failures recorded; what the slice writes: the first of each article id, not in the graph."""
        t0 = time.perf_counter()
        for _, origin, code, message in sorted(f for r in results for f in r["failures"]):
            await self.job.failed(origin, code, message)
        new: dict[str, int] = {}
        origin_of: dict[int, str] = {}
        repeats: list[tuple[int, str]] = []
        for r in results:
            for seq, article_id, origin in r["records"]:
                origin_of[seq] = origin
                if article_id in self.first or article_id in new:
                    repeats.append((seq, article_id))
                else:
                    new[article_id] = seq
        self.first.update(new)
        ids = list(new)
        present: set[str] = set()
        for start in range(0, len(ids), LOOKUP_BATCH):
            present |= await existing_article_ids(self.driver, self.db, ids[start : start + LOOKUP_BATCH])
        for article_id in sorted(present, key=new.__getitem__):
            await self.job.unchanged(origin_of[new[article_id]], article_id)
        for seq, article_id in repeats:
            await self.job.unchanged(origin_of[seq], article_id)
        kept = {seq for article_id, seq in new.items() if article_id not in present}
        self.figures.kept += len(kept)
        self.figures.lookup_s += time.perf_counter() - t0
        return kept

    async def _plan(
        self,
        results: list[dict[str, Any]],
        kept: set[int],
        carried: Mapping[str, tuple[PersonRecord, ...]],
    ) -> Plan:
        """The slice's items grouped by blocking key, each block planned against the graph, or, for the
        surnames earlier slices planned, against the people their plans left (`carried`)."""
        t0 = time.perf_counter()
        items: list[tuple[BlockKey, Item]] = [
            (key, item) for r in results for key, item in r["items"] if item.seq in kept
        ]
        blocks = group_items(items)
        plan = Plan()
        if blocks:
            plan = await plan_blocks(self.driver, self.db, blocks, PERSON_RULES, carried=carried)
        self.figures.blocks += len(blocks)
        self.figures.plan_s += time.perf_counter() - t0
        return plan

    async def _write(self, results: list[dict[str, Any]], kept: set[int], plan: Plan) -> None:
        """The slice's kept records, read back from their shards in corpus order, written with their
        patches `concurrency` at a time; every outcome into the job."""
        t0 = time.perf_counter()

        def records() -> Iterator[tuple[int, DeltaRecord]]:
            for r in results:
                seqs = [seq for seq, _, _ in r["records"]]
                if r["shard"] is None or not kept.intersection(seqs):
                    continue
                lines = read_records(Path(r["shard"]), max_article_bytes=SHARD_ARTICLE_BYTES)
                for seq, rec in zip(seqs, lines, strict=True):
                    if not isinstance(rec, DeltaRecord):
                        raise RuntimeError(f"shard {r['shard']} is damaged: {rec}")
                    if seq in kept:
                        yield seq, rec

        # Ingest times in corpus order within the slice (`write_planned`); slices follow each other.
        order = sorted(seq for r in results for seq, _, _ in r["records"] if seq in kept)
        ranks = {seq: n for n, seq in enumerate(order)}
        with counting_retries() as retries:
            async for outcome in write_planned(
                self.driver,
                self.db,
                records(),
                plan,
                PERSON_RULES,
                concurrency=self.concurrency,
                rank=ranks.__getitem__,
            ):
                if outcome.status == "failed":
                    self.write_failures += 1
                await record(self.job, outcome)
        self.figures.retried_transactions += retries.count
        self.figures.write_s += time.perf_counter() - t0
