"""The backfill on Dask: extraction, blocking and writes as tasks, locally or on a cluster.

Three stages (docs/backfill.md):
1. extract: one task per chunk of input files loads and extracts them, writes the records to a deltas
   shard (`kg extract --deltas` lines) in the work folder, and returns small summaries plus the
   resolution items with their blocking keys;
2. resolve: the items the job keeps are folded by key on the cluster (`Bag.foldby`) and each block is
   planned by a task (`resolution.plan_block`), against the graph's people of that surname;
3. write: one task per shard writes its articles with their patches, `concurrency` transactions at a
   time, through its own driver. At most `workers * concurrency` transactions run at once.
The client records every outcome in one ingest job, as `kg ingest` does. Stage 1's output is the
lossless deltas form, so a failed backfill can be finished with `kg ingest --deltas WORK_DIR`.
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


@dataclass
class BackfillFigures:
    """Where a backfill's time went, for the demo and the docs."""

    workers: int = 0
    concurrency: int = 0
    chunks: int = 0
    extract_s: float = 0.0
    lookup_s: float = 0.0
    plan_s: float = 0.0
    write_s: float = 0.0
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
    """A Dask cluster of `workers` single-threaded processes on this machine (spaCy is not thread-safe
    enough to share, and one process per core is what extraction wants)."""
    from dask.distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        memory_limit=0,
        silence_logs=logging.WARNING,
    )


async def run_backfill(
    driver: AsyncDriver,
    settings: Settings,
    paths: list[Path],
    *,
    workers: int = 2,
    scheduler: str | None = None,
    chunk_files: int = 4,
    concurrency: int = 4,
    work_dir: Path | None = None,
    progress: Progress | None = None,
) -> BackfillResult:
    """Backfill files and folders through Dask; one ingest job records it.

    `scheduler` is a Dask scheduler address (a cluster); without it a local cluster of `workers`
    processes runs for the job. The workers must reach `settings`' Neo4j and the work folder."""
    for name, value, least in (
        ("workers", workers, 1),
        ("chunk_files", chunk_files, 1),
        ("concurrency", concurrency, 1),
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
            await _stages(
                run, driver, settings, paths, workers, scheduler, chunk_files, concurrency, Path(tmp), figures
            )

        report = await run_as_job(driver, db, work, progress)
    figures.total_s = time.perf_counter() - began
    return BackfillResult(report, figures)


async def _stages(
    run: Run,
    driver: AsyncDriver,
    settings: Settings,
    paths: list[Path],
    workers: int,
    scheduler: str | None,
    chunk_files: int,
    concurrency: int,
    out_dir: Path,
    figures: BackfillFigures,
) -> None:
    import dask.bag as db
    from dask.distributed import Client, as_completed

    files: list[str] = []
    for item in list_inputs(paths):
        if isinstance(item, Unreadable):
            await run.failed(item.path, item.code, item.message)
        else:
            files.append(str(item))
    chunks = [files[i : i + chunk_files] for i in range(0, len(files), chunk_files)]
    figures.chunks = len(chunks)
    cluster = None if scheduler else local_cluster(workers)
    client = Client(scheduler or cluster)
    try:
        # 1. extraction tasks
        t0 = time.perf_counter()
        futures = client.map(
            extract_task,
            range(len(chunks)),
            chunks,
            out_dir=str(out_dir),
            model=settings.spacy_model,
            max_bytes=settings.max_article_bytes,
            pure=False,
        )
        results: list[dict[str, Any]] = []
        extracted = 0
        async for future in _completed(as_completed(futures)):
            result = future.result()
            results.append(result)
            extracted += len(result["records"]) + len(result["failures"])
            if run.progress is not None:
                run.progress(0, None, f"extracted {extracted}")
        figures.extract_s = time.perf_counter() - t0
        results.sort(key=lambda r: r["chunk"])
        total = sum(len(r["records"]) + len(r["failures"]) for r in results)

        # what is written: the first of each article id, not already in the graph
        t0 = time.perf_counter()
        failures = sorted(f for r in results for f in r["failures"])
        for _, origin, code, message in failures:
            await run.failed(origin, code, message)
        first: dict[str, int] = {}
        origin_of: dict[int, str] = {}
        repeats: list[tuple[int, str]] = []
        for r in results:
            for seq, article_id, origin in r["records"]:
                origin_of[seq] = origin
                if article_id in first:
                    repeats.append((seq, article_id))
                else:
                    first[article_id] = seq
        ids = list(first)
        present: set[str] = set()
        for start in range(0, len(ids), LOOKUP_BATCH):
            present |= await existing_article_ids(
                driver, settings.neo4j_database, ids[start : start + LOOKUP_BATCH]
            )
        for article_id in sorted(present, key=first.__getitem__):
            await run.unchanged(origin_of[first[article_id]], article_id)
        for seq, article_id in repeats:
            await run.unchanged(origin_of[seq], article_id)
        kept = {seq for article_id, seq in first.items() if article_id not in present}
        figures.kept = len(kept)
        run.read(total)
        run.reading = False
        figures.lookup_s = time.perf_counter() - t0

        # 2. blocks, folded and planned on the cluster
        t0 = time.perf_counter()
        kept_future = client.scatter(kept, broadcast=True) if kept else kept
        # The futures are held until the plan is computed: a future nobody holds is released.
        item_futures = [client.submit(_items_of_result, f, kept_future, pure=False) for f in futures]
        items = db.from_delayed(item_futures)
        # A tree reduction by key (no all-to-all shuffle: 4x faster than `groupby` on the demo's items),
        # then the blocks spread over the workers for planning.
        folded = items.foldby(_key, _add_item, list, _join_items, list)
        blocks = folded.repartition(npartitions=max(1, workers))
        planned = blocks.map_partitions(plan_partition, settings.connection, settings.neo4j_database)
        plan = Plan()
        for patches, merges, count in await asyncio.to_thread(planned.compute):
            for (article_id, entity_id), patch in patches.items():
                plan.patches.setdefault(article_id, {})[entity_id] = patch
            plan.merges.extend(merges)
            figures.blocks += count
        del item_futures
        figures.plan_s = time.perf_counter() - t0

        # 3. write tasks, one per shard
        t0 = time.perf_counter()
        writes = []
        for r in results:
            if r["shard"] is None:
                continue
            seqs = [seq for seq, _, _ in r["records"]]
            keep = [seq for seq in seqs if seq in kept]
            if not keep:
                continue
            ids_here = {article_id for seq, article_id, _ in r["records"] if seq in kept}
            writes.append(
                client.submit(
                    write_task,
                    r["shard"],
                    seqs,
                    keep,
                    {a: plan.patches[a] for a in ids_here if a in plan.patches},
                    plan.merges,
                    settings.connection,
                    settings.neo4j_database,
                    concurrency,
                    pure=False,
                )
            )
        async for future in _completed(as_completed(writes)):
            result = future.result()
            figures.retried_transactions += result["retried"]
            for outcome in result["outcomes"]:
                await record(run, outcome)
        figures.write_s = time.perf_counter() - t0
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
