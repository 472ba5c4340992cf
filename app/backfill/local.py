"""`kg ingest --deltas`: load pre-extracted articles (`kg extract --deltas`) without extracting again.

The same steps as the distributed backfill, in one process: read the records (corpus order is file
order), skip what the graph already holds, plan resolution block by block, then write with bounded
concurrency. Two passes over the files: the first keeps only the resolution items (names, aliases,
offices: a small fraction of a record), the second streams the records to the writers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from neo4j import AsyncDriver

from app.backfill.jobs import record, run_as_job
from app.backfill.resolution import BlockKey, Item, items_of
from app.backfill.writing import group_items, plan_blocks, write_planned
from app.config import Settings
from app.ingest_service import PERSON_RULES, IngestReport, Progress, Run
from graph.writer import existing_article_ids
from ingest.deltas import BadDelta, DeltaRecord, delta_files, read_records

LOOKUP_BATCH = 500
DEFAULT_CONCURRENCY = 4


def iter_numbered(paths: list[Path], max_article_bytes: int) -> Iterator[tuple[int, DeltaRecord | BadDelta]]:
    """Every line of every deltas file, numbered in corpus order (files sorted, then line order)."""
    seq = 0
    for path in delta_files(paths):
        for item in read_records(path, max_article_bytes=max_article_bytes):
            seq += 1
            yield seq, item


async def ingest_deltas(
    driver: AsyncDriver,
    settings: Settings,
    paths: list[Path],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest deltas files: idempotent, one article per transaction, recorded as an ingest job."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such deltas file or folder: {', '.join(missing)}")
    db = settings.neo4j_database

    async def work(run: Run) -> None:
        keep: dict[str, int] = {}  # article id -> the seq that writes it (its first line)
        items: list[tuple[BlockKey, Item]] = []
        pending: list[tuple[int, DeltaRecord]] = []

        async def look_up() -> None:
            present = await existing_article_ids(driver, db, [r.article.id for _, r in pending])
            for seq, rec in pending:
                if rec.article.id in present:
                    await run.unchanged(rec.origin, rec.article.id)
                else:
                    keep[rec.article.id] = seq
                    items.extend(items_of(seq, rec.delta, PERSON_RULES))
            pending.clear()

        total = 0
        for seq, rec in iter_numbered(paths, settings.max_article_bytes):
            total = seq
            if isinstance(rec, BadDelta):
                await run.failed(rec.origin, rec.code, rec.message)
            elif rec.article.id in keep or any(r.article.id == rec.article.id for _, r in pending):
                await run.unchanged(rec.origin, rec.article.id)  # the same article twice in the input
            else:
                pending.append((seq, rec))
                if len(pending) >= LOOKUP_BATCH:
                    await look_up()
        await look_up()
        run.read(total)
        run.reading = False

        plan = await plan_blocks(driver, db, group_items(items), PERSON_RULES)

        def to_write() -> Iterator[tuple[int, DeltaRecord]]:
            for seq, rec in iter_numbered(paths, settings.max_article_bytes):
                if isinstance(rec, DeltaRecord) and keep.get(rec.article.id) == seq:
                    yield seq, rec

        async for outcome in write_planned(
            driver, db, to_write(), plan, PERSON_RULES, concurrency=concurrency
        ):
            await record(run, outcome)

    return await run_as_job(driver, db, work, progress)
