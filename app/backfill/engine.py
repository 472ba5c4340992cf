"""The backfill on Dask: extraction, blocking and writes as tasks, locally or on a cluster.

Three stages (docs/backfill.md):
1. extract: one task per chunk of input files loads and extracts them, writes the records to a deltas
   shard (`kg extract --deltas` lines) in the work folder, and returns small summaries plus the
   resolution items with their blocking keys;
2. resolve: the items the job keeps are folded by key on the cluster (`Bag.foldby`) and each block is
   planned by a task (`resolution.plan_block`), against the graph's people of that surname;
3. write: one task per shard writes its articles with their patches, `concurrency` transactions at a
   time, through its own driver. At most `workers * concurrency` transactions run at once.
The corpus goes through these stages in slices, in corpus order: slice k is planned against the graph
that slices before it left (what `kg ingest` of the corpus would have seen), and while its writes run
the workers already extract slice k+1. A worker has two threads, one for an extraction task and one for
a write task (Dask resources `extract` and `write`), so the two stages overlap instead of following
each other. The client records every outcome in one ingest job, as `kg ingest` does. Stage 1's output
is the lossless deltas form, so a failed backfill can be finished with `kg ingest --deltas WORK_DIR`.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import AsyncDriver

from app.backfill.jobs import record, run_as_job
from app.backfill.resolution import BlockKey, Item, Patch, items_of
from app.backfill.writing import (
    Outcome,
    Plan,
    counting_retries,
    plan_blocks,
    write_planned,
)
from app.config import Settings
from app.ingest_service import PERSON_RULES, IngestReport, Progress, Run, extract_chunk
from graph.driver import ConnectionInfo, open_driver
from graph.writer import existing_article_ids
from ingest.deltas import DeltaRecord, make_record, read_records
from ingest.errors import Unreadable

log = logging.getLogger(__name__)

SHARD_ARTICLE_BYTES = 1 << 30  # shards are this job's own output: checked, not size-limited
SEQ_STRIDE = 1_000_000  # records per chunk at most: a record's seq is chunk * SEQ_STRIDE + its number
LOOKUP_BATCH = 500
SLICE_CHUNKS_PER_WORKER = 4  # the default slice: this many extraction tasks per worker
# What a worker offers and a task takes (Dask resources): one extraction and one write task at a time.
WORKER_RESOURCES = {"extract": 1, "write": 1}
EXTRACT = {"extract": 1}
WRITE = {"write": 1}


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
    write_s: float = 0.0  # from the first write task to the last outcome (overlaps the extraction)
    pipeline_s: float = 0.0  # from the first extraction task to the last outcome
    total_s: float = 0.0
    blocks: int = 0
    retried_transactions: int = 0
    kept: int = 0


@dataclass
class BackfillResult:
    report: IngestReport
    figures: BackfillFigures = field(default_factory=BackfillFigures)


# --- stage 1: extraction tasks -------------------------------------------------------------------


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


# --- stage 2: blocks ---------------------------------------------------------------------------


def plan_partition(
    groups: list[tuple[BlockKey, list[tuple[BlockKey, Item]]]], conn: ConnectionInfo, database: str
) -> list[tuple[dict[tuple[str, str], Patch], list[tuple[str, str]], int]]:
    """Plan the blocks of one partition: one driver, one look-up of the graph's people for them all."""
    blocks = {key: [item for _, item in kvs] for key, kvs in groups}
    if not blocks:
        return []

    async def run() -> Plan:
        driver = open_driver(conn)
        try:
            return await plan_blocks(driver, database, blocks, PERSON_RULES)
        finally:
            await driver.close()

    plan = asyncio.run(run())
    flat = {(a, e): p for a, per in plan.patches.items() for e, p in per.items()}
    return [(flat, plan.merges, len(blocks))]


def _key(kv: tuple[BlockKey, Item]) -> BlockKey:
    return kv[0]


def _add_item(acc: list[tuple[BlockKey, Item]], kv: tuple[BlockKey, Item]) -> list[tuple[BlockKey, Item]]:
    acc.append(kv)
    return acc


def _join_items(
    a: list[tuple[BlockKey, Item]], b: list[tuple[BlockKey, Item]]
) -> list[tuple[BlockKey, Item]]:
    return a + b


# --- stage 3: write tasks ----------------------------------------------------------------------


def write_task(
    shard: str,
    seqs: list[int],
    keep: list[int],
    patches: dict[str, dict[str, Patch]],
    merges: list[tuple[str, str]],
    conn: ConnectionInfo,
    database: str,
    concurrency: int,
) -> dict[str, Any]:
    """Write one shard's kept records with their patches; return the outcomes and the retries.

    `seqs` are the shard's records' places in the corpus, in line order (stage 1 returned them)."""
    wanted = set(keep)

    def records() -> Iterator[tuple[int, DeltaRecord]]:
        lines = (r for r in read_records(Path(shard), max_article_bytes=SHARD_ARTICLE_BYTES))
        for seq, rec in zip(seqs, lines, strict=True):
            if not isinstance(rec, DeltaRecord):
                raise RuntimeError(f"shard {shard} is damaged: {rec}")
            if seq in wanted:
                yield seq, rec

    async def run() -> tuple[list[Outcome], int]:
        driver = open_driver(conn)
        out: list[Outcome] = []
        try:
            with counting_retries() as retries:
                async for outcome in write_planned(
                    driver,
                    database,
                    records(),
                    Plan(patches, merges),
                    PERSON_RULES,
                    concurrency=concurrency,
                ):
                    out.append(outcome)
            return out, retries.count
        finally:
            await driver.close()

    outcomes, retried = asyncio.run(run())
    return {"outcomes": outcomes, "retried": retried}


# --- the client ----------------------------------------------------------------------------------


def local_cluster(workers: int) -> Any:
    """A Dask cluster of `workers` processes on this machine, each with one extraction slot and one
    write slot (two threads; the resources keep it to one task of each kind). spaCy is not shared
    between threads: one extraction per process, one process per core, is what extraction wants; a
    write task mostly waits on Neo4j. Dask's own sampling profiler is off in the workers: it would
    spend CPU on every thread each 10 ms, which extraction needs on a busy machine."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=len(WORKER_RESOURCES),
            resources=WORKER_RESOURCES,
            processes=True,
            dashboard_address=None,
            memory_limit=0,
            silence_logs=logging.WARNING,
        )


def _with_resources(client: Any) -> bool:
    """Whether every worker offers the `extract` and `write` slots (a local cluster does; on a cluster
    start workers with `--nthreads 2 --resources "extract=1,write=1"`). Without them tasks take any
    free thread, as in a plain Dask cluster."""
    found = client.scheduler_info().get("workers", {}).values()
    return bool(found) and all(
        all(w.get("resources", {}).get(k, 0) >= 1 for k in WORKER_RESOURCES) for w in found
    )


def slices_of(chunks: int, per_slice: int) -> list[range]:
    """The chunks' numbers cut into consecutive slices of `per_slice` (the last may be shorter)."""
    if per_slice < 1:
        raise ValueError(f"a slice must hold at least 1 chunk, not {per_slice}")
    return [range(i, min(i + per_slice, chunks)) for i in range(0, chunks, per_slice)]


async def run_backfill(
    driver: AsyncDriver,
    settings: Settings,
    paths: list[Path],
    *,
    workers: int = 2,
    scheduler: str | None = None,
    chunk_files: int = 4,
    concurrency: int = 4,
    slice_files: int | None = None,
    work_dir: Path | None = None,
    progress: Progress | None = None,
) -> BackfillResult:
    """Backfill files and folders through Dask; one ingest job records it.

    `scheduler` is a Dask scheduler address (a cluster); without it a local cluster of `workers`
    processes runs for the job. The workers must reach `settings`' Neo4j and the work folder.
    `slice_files` is how many input files are planned and written together while the next ones are
    extracted (default: `SLICE_CHUNKS_PER_WORKER` chunks per worker)."""
    if slice_files is None:
        slice_files = chunk_files * workers * SLICE_CHUNKS_PER_WORKER
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
    per_slice = max(1, -(-slice_files // chunk_files))  # chunks per slice, rounded up

    with tempfile.TemporaryDirectory(prefix="kg-backfill-", dir=work_dir) as tmp:

        async def work(run: Run) -> None:
            stages = _Stages(run, driver, settings, concurrency, Path(tmp), figures)
            await stages.run(paths, workers, scheduler, chunk_files, per_slice)

        report = await run_as_job(driver, db, work, progress)
    figures.total_s = time.perf_counter() - began
    return BackfillResult(report, figures)


class _Stages:
    """One backfill's client side: submits the tasks, and keeps what spans slices (the first record of
    each article id, the writes in flight)."""

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
        self.first: dict[str, int] = {}  # article id -> the seq of its first record in the corpus
        self.total = 0
        self.writes: list[Any] = []  # the write tasks of the slice being written
        self.write_began: float | None = None
        self.resources = False

    async def run(
        self, paths: list[Path], workers: int, scheduler: str | None, chunk_files: int, per_slice: int
    ) -> None:
        from dask.distributed import Client

        files: list[str] = []
        for item in list_inputs(paths):
            if isinstance(item, Unreadable):
                await self.job.failed(item.path, item.code, item.message)
            else:
                files.append(str(item))
        chunks = [files[i : i + chunk_files] for i in range(0, len(files), chunk_files)]
        slices = slices_of(len(chunks), per_slice)
        self.figures.chunks, self.figures.slices = len(chunks), len(slices)
        t0 = time.perf_counter()
        cluster = None if scheduler else await asyncio.to_thread(local_cluster, workers)
        client = Client(scheduler or cluster)
        self.figures.start_s = time.perf_counter() - t0
        try:
            self.resources = _with_resources(client)
            began = time.perf_counter()
            # Every extraction task at once, in corpus order (Dask runs earlier submissions first);
            # only the small summaries come back to the client.
            futures = client.map(
                extract_task,
                range(len(chunks)),
                chunks,
                out_dir=str(self.out_dir),
                model=self.settings.spacy_model,
                max_bytes=self.settings.max_article_bytes,
                resources=EXTRACT if self.resources else None,
                pure=False,
            )
            for chunk_numbers in slices:
                here = [futures[n] for n in chunk_numbers]
                results = await self._extracted(here)
                if chunk_numbers[-1] == len(chunks) - 1:
                    self.figures.extract_s = time.perf_counter() - began
                # Slice k is planned against the graph slice k-1 left: its writes finish first.
                await self._drain()
                kept = await self._look_up(results)
                plan = await self._plan(client, here, kept, workers)
                self._submit_writes(client, results, kept, plan)
            self.job.reading = False
            await self._drain()
            self.figures.pipeline_s = time.perf_counter() - began
        finally:
            client.close()
            if cluster is not None:
                await asyncio.to_thread(cluster.close)

    async def _extracted(self, futures: list[Any]) -> list[dict[str, Any]]:
        """The slice's extraction results, in corpus order, as they finish; the job counts them read."""
        from dask.distributed import as_completed

        results: list[dict[str, Any]] = []
        async for future in _completed(as_completed(futures)):
            result = future.result()
            results.append(result)
            self.total += len(result["records"]) + len(result["failures"])
            self.job.read(self.total)
            if self.job.progress is not None:
                self.job.progress(self.job.job.processed, None, f"extracted {self.total}")
        results.sort(key=lambda r: r["chunk"])
        return results

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
            present |= await existing_article_ids(
                self.driver, self.settings.neo4j_database, ids[start : start + LOOKUP_BATCH]
            )
        for article_id in sorted(present, key=new.__getitem__):
            await self.job.unchanged(origin_of[new[article_id]], article_id)
        for seq, article_id in repeats:
            await self.job.unchanged(origin_of[seq], article_id)
        kept = {seq for article_id, seq in new.items() if article_id not in present}
        self.figures.kept += len(kept)
        self.figures.lookup_s += time.perf_counter() - t0
        return kept

    async def _plan(self, client: Any, futures: list[Any], kept: set[int], workers: int) -> Plan:
        """The slice's blocks, folded and planned on the cluster."""
        import dask.bag as db

        plan = Plan()
        if not kept:
            return plan
        t0 = time.perf_counter()
        kept_future = client.scatter(kept, broadcast=True)
        # The futures are held until the plan is computed: a future nobody holds is released.
        item_futures = [client.submit(_items_of_result, f, kept_future, pure=False) for f in futures]
        items = db.from_delayed(item_futures)
        # A tree reduction by key (no all-to-all shuffle: 4x faster than `groupby` on the demo's items),
        # then the blocks spread over the workers for planning.
        folded = items.foldby(_key, _add_item, list, _join_items, list)
        blocks = folded.repartition(npartitions=max(1, workers))
        conn, database = self.settings.connection, self.settings.neo4j_database
        planned = blocks.map_partitions(plan_partition, conn, database)
        for patches, merges, count in await asyncio.to_thread(planned.compute):
            for (article_id, entity_id), patch in patches.items():
                plan.patches.setdefault(article_id, {})[entity_id] = patch
            plan.merges.extend(merges)
            self.figures.blocks += count
        del item_futures, kept_future
        self.figures.plan_s += time.perf_counter() - t0
        return plan

    def _submit_writes(self, client: Any, results: list[dict[str, Any]], kept: set[int], plan: Plan) -> None:
        """One write task per shard of the slice; they run while the next slice is extracted."""
        for r in results:
            if r["shard"] is None:
                continue
            seqs = [seq for seq, _, _ in r["records"]]
            keep = [seq for seq in seqs if seq in kept]
            if not keep:
                continue
            if self.write_began is None:
                self.write_began = time.perf_counter()
            ids_here = {article_id for seq, article_id, _ in r["records"] if seq in kept}
            self.writes.append(
                client.submit(
                    write_task,
                    r["shard"],
                    seqs,
                    keep,
                    {a: plan.patches[a] for a in ids_here if a in plan.patches},
                    plan.merges,
                    self.settings.connection,
                    self.settings.neo4j_database,
                    self.concurrency,
                    resources=WRITE if self.resources else None,
                    pure=False,
                )
            )

    async def _drain(self) -> None:
        """Wait for the writes in flight and record their outcomes."""
        from dask.distributed import as_completed

        if not self.writes:
            return
        writes, self.writes = self.writes, []
        async for future in _completed(as_completed(writes)):
            result = future.result()
            self.figures.retried_transactions += result["retried"]
            for outcome in result["outcomes"]:
                await record(self.job, outcome)
        if self.write_began is not None:
            self.figures.write_s = time.perf_counter() - self.write_began


def _items_of_result(result: dict[str, Any], kept: set[int]) -> list[tuple[BlockKey, Item]]:
    return [(key, item) for key, item in result["items"] if item.seq in kept]


async def _completed(iterator: Any) -> Any:
    """Dask's blocking `as_completed`, awaited off the event loop."""
    done = object()
    while True:
        future = await asyncio.to_thread(next, iterator, done)
        if future is done:
            return
        yield future
