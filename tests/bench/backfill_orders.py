"""Does the backfill give one graph whatever its slices and the order of its writes?

The backfill's slices depend on timing (each is what was extracted while the one before was written) and
its writes within a slice run `--concurrency` at a time, in whatever order they finish. This loads one
extracted corpus (`kg extract --deltas` shards, or the demo's generated corpus extracted here) into an
empty graph several ways, through the backfill's own plan and writes (`writing.plan_blocks`,
`writing.write_planned`), each slice planned against the graph the slices before it wrote:
- one slice; slices of one chunk; random cuts;
- the writes of each slice in corpus order, reversed, or shuffled; one at a time or several at once;
- each slice planned after the one before is written, or while it is written ("overlapped", as the
  backfill does: against the people the earlier slice's plan left for its surnames);
and, as the reference, `kg ingest`'s writer one article after another (`write_article` with the rules).
After each load it takes node, relationship, per-label and per-type counts, the articles' footprint
(`graph.census.footprint`: every entity, mention and relationship, timestamps aside) and `responses(to:)`
through the API for the five people most responded to, then empties the graph. Exits 1 unless every way
gave the reference's graph. The graph must start empty (tests/with_neo4j.sh gives one).

    tests/with_neo4j.sh .venv/bin/python tests/bench/backfill_orders.py --articles 400
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from backfill_demo import responses  # noqa: E402
from bench_ingest import build_corpus  # noqa: E402

from app.backfill.engine import extract_task, list_inputs  # noqa: E402
from app.backfill.resolution import BlockKey, Item  # noqa: E402
from app.backfill.writing import group_items, plan_blocks, write_planned  # noqa: E402
from app.config import Settings  # noqa: E402
from app.ingest_service import PERSON_RULES  # noqa: E402
from graph.census import counts, footprint, most_answered  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.schema import migrate  # noqa: E402
from graph.writer import write_article  # noqa: E402
from ingest.deltas import DeltaRecord, read_records  # noqa: E402

EMPTY = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 2000 ROWS"


def extract(folder: Path, out: Path, chunk_files: int) -> list[dict[str, Any]]:
    """The corpus's chunks as the backfill's extraction tasks return them (run here, one after another)."""
    settings = Settings()
    files = [str(p) for p in list_inputs([folder])]
    chunks = [files[i : i + chunk_files] for i in range(0, len(files), chunk_files)]
    return [
        extract_task(n, chunk, str(out), settings.spacy_model, settings.max_article_bytes)
        for n, chunk in enumerate(chunks)
    ]


def shard_records(result: dict[str, Any]) -> list[tuple[int, DeltaRecord]]:
    if result["shard"] is None:
        return []
    lines = read_records(Path(result["shard"]), max_article_bytes=1 << 30)
    out = []
    for (seq, _, _), rec in zip(result["records"], lines, strict=True):
        assert isinstance(rec, DeltaRecord), rec
        out.append((seq, rec))
    return out


async def load_sliced(
    driver: Any,
    db: str,
    results: list[dict[str, Any]],
    cuts: list[int],
    order: str,
    concurrency: int,
    seed: int,
    overlap: bool = False,
) -> None:
    """Slice by slice; with `overlap`, as the backfill does since session 9: slice k planned while slice
    k-1 is written, against the people slice k-1's plan left for its surnames (`Plan.people`)."""
    rng = random.Random(seed)
    bounds = [0, *cuts, len(results)]
    writing: asyncio.Task[None] | None = None
    carried: dict[str, Any] = {}

    async def write(records: list[tuple[int, DeltaRecord]], plan: Any) -> None:
        async for outcome in write_planned(driver, db, records, plan, PERSON_RULES, concurrency=concurrency):
            if outcome.status != "ingested":
                raise SystemExit(f"{outcome.origin}: {outcome.status} {outcome.message}")

    for start, end in zip(bounds, bounds[1:], strict=False):
        part = results[start:end]
        items: list[tuple[BlockKey, Item]] = [kv for r in part for kv in r["items"]]
        if writing is not None and not overlap:
            await writing
        plan = await plan_blocks(driver, db, group_items(items), PERSON_RULES, carried=carried)
        records = [rec for r in part for rec in shard_records(r)]
        if order == "reversed":
            records.reverse()
        elif order == "shuffled":
            rng.shuffle(records)
        if writing is not None:
            await writing
        writing = asyncio.create_task(write(records, plan))
        carried = plan.people if overlap else {}
    if writing is not None:
        await writing


async def load_serial(driver: Any, db: str, results: list[dict[str, Any]]) -> None:
    for r in results:
        for _, rec in shard_records(r):
            await write_article(
                driver,
                db,
                rec.article,
                rec.delta,
                rules=PERSON_RULES,
                extractor_version=rec.extractor_version,
            )


def digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:12]


async def run(args: argparse.Namespace) -> int:
    settings = Settings()
    db = settings.neo4j_database
    driver = open_driver(settings.connection, connection_timeout=settings.neo4j_connect_timeout_s)
    failures = 0
    try:
        await wait_until_ready(driver, settings.bolt_uri, timeout=60)
        await migrate(driver, db)
        if (await counts(driver, db))["nodes"]:
            raise SystemExit(f"the graph at {settings.bolt_uri} is not empty; use a throwaway one")
        with tempfile.TemporaryDirectory(prefix="kg-backfill-orders-") as tmp:
            folder, shards = Path(tmp) / "corpus", Path(tmp) / "shards"
            folder.mkdir()
            shards.mkdir()
            for i, (title, body) in enumerate(build_corpus(args.articles, args.seed)):
                (folder / f"article-{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
            t0 = time.perf_counter()
            results = extract(folder, shards, args.chunk_files)
            took = time.perf_counter() - t0
            print(f"extracted {args.articles} articles in {len(results)} chunks: {took:.0f} s")
            ids = [article_id for r in results for _, article_id, _ in r["records"]]
            n = len(results)
            rng = random.Random(args.seed)
            ways: list[tuple[str, Any]] = [("kg ingest's writer, one after another", None)]
            plain = not args.overlapped_only
            if plain:
                ways.append(("one slice, corpus order, 4 at once", ([], "corpus", 4, False)))
                ways.append(("one slice, reversed, 1 at a time", ([], "reversed", 1, False)))
                ways.append(
                    ("a slice per chunk, shuffled, 4 at once", (list(range(1, n)), "shuffled", 4, False))
                )
            for k in range(args.random_cuts if plain else 0):
                cuts = sorted(rng.sample(range(1, n), rng.randint(2, max(2, n // 3))))
                order = ("shuffled", "reversed", "corpus")[k % 3]
                ways.append((f"{len(cuts) + 1} random slices, {order}, 4 at once", (cuts, order, 4, False)))
            # The backfill's way since session 9: each slice planned while the one before is written.
            every = list(range(1, n))
            ways.append(("a slice per chunk, overlapped, shuffled, 4", (every, "shuffled", 4, True)))
            for k in range(args.random_cuts):
                cuts = sorted(rng.sample(range(1, n), rng.randint(2, max(2, n // 3))))
                order = ("shuffled", "reversed", "corpus")[k % 3]
                label = f"{len(cuts) + 1} random slices, overlapped, {order}, 4"
                ways.append((label, (cuts, order, 4, True)))
            reference: tuple[Any, ...] | None = None
            people: list[str] = []
            for number, (label, how) in enumerate(ways):
                t0 = time.perf_counter()
                if how is None:
                    await load_serial(driver, db, results)
                else:
                    cuts, order, at_once, overlap = how
                    await load_sliced(driver, db, results, cuts, order, at_once, seed=number, overlap=overlap)
                seconds = time.perf_counter() - t0
                graph = await counts(driver, db)
                people = people or await most_answered(driver, db, 5)
                answers = await responses(settings, people)
                prints = await footprint(driver, db, ids)
                got = (graph, answers, prints)
                same = reference is None or got == reference
                reference = reference or got
                failures += not same
                print(
                    f"{label:45} {seconds:6.1f} s  {graph['nodes']} nodes "
                    f"({graph['labels'].get('Person', 0)} people), "
                    f"{graph['relationships']} relationships, footprint {digest(prints)}, responses "
                    f"{digest(answers)}: {'same' if same else 'DIFFERENT'}",
                    flush=True,
                )
                if args.dump:
                    dump = Path(args.dump) / f"way-{number}.json"
                    dump.write_text(json.dumps(prints, sort_keys=True, default=str, indent=1))
                if not same and reference is not None:
                    ref_entities, got_entities = set(reference[2]["entities"]), set(prints["entities"])
                    print(f"  only in the reference: {sorted(ref_entities - got_entities)[:10]}")
                    print(f"  only here: {sorted(got_entities - ref_entities)[:10]}")
                async with driver.session(database=db) as session:  # CALL IN TRANSACTIONS: auto-commit
                    await (await session.run(EMPTY)).consume()
    finally:
        await driver.close()
    print(json.dumps({"articles": args.articles, "ways": len(ways), "different": failures}))
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7, help="the demo's corpus seed")
    parser.add_argument("--chunk-files", type=int, default=4)
    parser.add_argument("--random-cuts", type=int, default=4, help="loads in random slices")
    parser.add_argument(
        "--overlapped-only", action="store_true", help="only the reference and the overlapped ways"
    )
    parser.add_argument("--dump", help="a folder to write each way's footprint to, as JSON")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
