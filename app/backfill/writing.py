"""The backfill's two database steps: the people already in the graph for a set of blocks, and the
planned writes, a bounded number at a time.

Each article is still one transaction of `graph.writer.write_article` (all in or all out; an article
already present is "unchanged"), so the guarantees are `kg ingest`'s. What differs is that the delta is
patched first (`resolution.apply_patches`) and resolution inside the write only keeps the planned ids
(`PresolvedRules`), so the writes commute and `concurrency` of them run at once. Every write locks its
entity nodes in ascending id order (the patched delta is sorted), so concurrent writes of shared nodes
queue instead of deadlocking; a transient error left is retried by the driver and counted here.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import Neo4jError

from app.backfill.resolution import (
    BlockKey,
    BlockPlan,
    Item,
    NameRules,
    Patch,
    PresolvedRules,
    apply_patches,
    plan_block,
)
from graph.resolver import PersonRecord, ResolutionRules, fetch_people
from graph.writer import utcnow, write_article
from ingest.deltas import DeltaRecord

SURNAMES_PER_LOOKUP = 500  # surnames per look-up of the people already in the graph
KNOWN_SURNAMES = 50_000  # surnames whose people a backfill's client keeps between slices (`KnownPeople`)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one article of the backfill."""

    seq: int
    origin: str
    article_id: str
    status: Literal["ingested", "unchanged", "failed"]
    entities: int = 0
    relations: int = 0
    message: str = ""


@dataclass
class Plan:
    """Patches per article and entity, the merges of bare nodes already in the graph per article that
    carries them out, the writes that must wait for others (`BlockPlan.after`), and each planned
    surname's people as the graph holds them once the plan's writes have ended (`BlockPlan.people`)."""

    patches: dict[str, dict[str, Patch]] = field(default_factory=dict)
    merges: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    after: dict[str, set[str]] = field(default_factory=dict)
    people: dict[str, tuple[PersonRecord, ...]] = field(default_factory=dict)

    def add(self, block: BlockPlan) -> None:
        for (article_id, entity_id), patch in block.patches.items():
            self.patches.setdefault(article_id, {})[entity_id] = patch
        for article_id, merges in block.merges.items():
            self.merges.setdefault(article_id, []).extend(merges)
        for article_id, first in block.after.items():
            self.after.setdefault(article_id, set()).update(first)


def group_items(items: Iterable[tuple[BlockKey, Item]]) -> dict[BlockKey, list[Item]]:
    blocks: dict[BlockKey, list[Item]] = defaultdict(list)
    for key, item in items:
        blocks[key].append(item)
    return blocks


async def existing_people(
    driver: AsyncDriver, database: str, surnames: Iterable[str], rules: ResolutionRules
) -> dict[str, list[PersonRecord]]:
    """The graph's people by surname, for the person blocks of a backfill (index look-ups)."""
    wanted = sorted({s for s in surnames if s})
    out: dict[str, list[PersonRecord]] = defaultdict(list)

    async def read(tx: AsyncManagedTransaction, batch: list[str]) -> list[PersonRecord]:
        return await fetch_people(tx, batch)

    # A write transaction although nothing is written: `FETCH_PEOPLE` holds the (here unused) MERGE of
    # the writer's resolution locks, and Neo4j refuses a statement with a MERGE in read mode.
    async with driver.session(database=database) as session:
        for start in range(0, len(wanted), SURNAMES_PER_LOOKUP):
            batch = wanted[start : start + SURNAMES_PER_LOOKUP]
            for person in await session.execute_write(read, batch):
                surname = rules.surname(person.name)
                if surname in batch:
                    out[surname].append(person)
    return out


async def plan_blocks(
    driver: AsyncDriver,
    database: str,
    blocks: dict[BlockKey, list[Item]],
    rules: ResolutionRules,
    *,
    carried: Mapping[str, Sequence[PersonRecord]] | None = None,
) -> Plan:
    """Plan a set of blocks against the people the graph already holds.

    `carried` are people by surname as the graph will hold them once writes still running have ended
    (the previous slice's `Plan.people`): those surnames are planned against them and not read, and
    every other surname's people are read now, so only writes of `carried` surnames may still be
    running. The plan is then the one made against the graph after those writes."""
    carried = carried or {}
    surnames = [key[1] for key in blocks if key[0] == "person" and key[1] not in carried]
    known = await existing_people(driver, database, surnames, rules)
    rules = NameRules(rules)
    plan = Plan()
    for key, items in blocks.items():
        if key[0] != "person":
            plan.add(plan_block(key, items, [], rules))
            continue
        surname = key[1]
        existing = carried[surname] if surname in carried else known.get(surname, [])
        block = plan_block(key, items, existing, rules)
        plan.add(block)
        if surname:  # the look-up reads no people for an empty key: nothing to carry either
            plan.people[surname] = block.people
    return plan


class KnownPeople:
    """People by surname as the graph holds them once this backfill's planned writes have ended: each
    plan's `Plan.people`, kept across slices, so a surname met again is planned against them instead of
    being read from the graph again (`plan_blocks(carried=...)`). Only this backfill writes people of
    those surnames meanwhile, as for the previous slice's people since session 9.

    At most `limit` surnames are kept, the least recently planned dropped first, but never those of the
    latest plan: its writes may still be running, so the graph does not hold them yet. After a slice
    with a failed write, whose people the plan counted in, `reset` keeps the latest plan's people only;
    the other surnames are read from the graph again."""

    def __init__(self, limit: int = KNOWN_SURNAMES) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        self.limit = limit
        self.people: OrderedDict[str, tuple[PersonRecord, ...]] = OrderedDict()

    def update(self, planned: Mapping[str, tuple[PersonRecord, ...]]) -> None:
        for surname, people in planned.items():
            self.people[surname] = people
            self.people.move_to_end(surname)
        while len(self.people) > max(self.limit, len(planned)):
            self.people.popitem(last=False)

    def reset(self, planned: Mapping[str, tuple[PersonRecord, ...]]) -> None:
        self.people.clear()
        self.update(planned)


class RetryCounter(logging.Handler):
    """Counts the driver's "will be retried" warnings: transactions that met a deadlock or another
    transient error and were run again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "retried" in record.getMessage():
            self.count += 1


@contextmanager
def counting_retries() -> Iterator[RetryCounter]:
    counter = RetryCounter()
    logger = logging.getLogger("neo4j")
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)


async def write_planned(
    driver: AsyncDriver,
    database: str,
    records: Iterable[tuple[int, DeltaRecord]],
    plan: Plan,
    rules: ResolutionRules,
    *,
    concurrency: int,
    rank: Callable[[int], int] | None = None,
) -> AsyncIterator[Outcome]:
    """Write the records with their patches, at most `concurrency` transactions at once.

    Each article's ingest time is the time the writes began plus its `rank` (by default its `seq`) in
    microseconds: corpus order, as `kg ingest`'s one writer gives it, whatever order the writes finish
    in. An undated article's assertions are dated by it, and an office-holding's newest word is chosen
    by date, so the graph does not depend on which write ran first.
    Outcomes come as writes finish. Records are read from `records` only as slots free up, so memory
    holds about `2 * concurrency` articles whatever their number, plus the few held back: a record the
    plan orders after others (`Plan.after`) waits, outside the slots, until those have been written
    (or are not among `records` at all). Any order of `records` gives the same graph."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, not {concurrency}")
    queue: asyncio.Queue[tuple[int, DeltaRecord] | None] = asyncio.Queue(maxsize=2 * concurrency)
    done: asyncio.Queue[Outcome | None] = asyncio.Queue()
    written: set[str] = set()  # article ids whose writes have ended, whatever their outcome
    began = utcnow()
    place = rank or (lambda seq: seq)
    progress = asyncio.Event()

    async def feed() -> None:
        seen: set[str] = set()
        held: list[tuple[int, DeltaRecord]] = []

        def waits_for(item: tuple[int, DeltaRecord], complete: bool) -> set[str]:
            first = plan.after.get(item[1].article.id, set()) - written
            return first & seen if complete else first  # once all are seen, absent ones wait for nothing

        async def release(complete: bool) -> None:
            nonlocal held
            keep = []
            for item in held:
                if waits_for(item, complete):
                    keep.append(item)
                else:
                    await queue.put(item)
            held = keep

        for item in records:
            seen.add(item[1].article.id)
            if waits_for(item, False):
                held.append(item)
            else:
                await queue.put(item)
            if held:
                await release(False)
        while held:
            progress.clear()
            await release(True)
            if held:
                await progress.wait()
        for _ in range(concurrency):
            await queue.put(None)

    async def writer() -> None:
        while (item := await queue.get()) is not None:
            seq, record = item
            try:
                when = began + timedelta(microseconds=place(seq))
                await done.put(await _write_one(driver, database, seq, record, plan, rules, when))
            finally:
                written.add(record.article.id)
                progress.set()
        await done.put(None)

    tasks = [asyncio.create_task(feed()), *(asyncio.create_task(writer()) for _ in range(concurrency))]
    try:
        finished = 0
        while finished < concurrency:
            outcome = await done.get()
            if outcome is None:
                finished += 1
                continue
            yield outcome
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()


async def _write_one(
    driver: AsyncDriver,
    database: str,
    seq: int,
    record: DeltaRecord,
    plan: Plan,
    rules: ResolutionRules,
    ingested_at: datetime,
) -> Outcome:
    article = record.article
    delta = apply_patches(record.delta, plan.patches.get(article.id, {}))
    presolved = PresolvedRules(rules, plan.merges.get(article.id, ()))
    try:
        written = await write_article(
            driver,
            database,
            article,
            delta,
            rules=presolved,
            ingested_at=ingested_at,
            extractor_version=record.extractor_version,
        )
    except Neo4jError as exc:
        message = f"the graph refused the article: {exc.message or exc}"
        return Outcome(seq, record.origin, article.id, "failed", message=message)
    status: Literal["ingested", "unchanged"] = "ingested" if written.status == "ingested" else "unchanged"
    return Outcome(
        seq, record.origin, article.id, status, written.entities_written, written.relations_written
    )
