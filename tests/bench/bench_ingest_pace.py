"""Does the writer set the pace of `kg ingest --workers N`? Issue 10's target: ingest reaches at least 80%
of extraction-only throughput.

One generated corpus (tests/bench/bench_ingest.py's generator), loaded in turns (ABBA: `--rounds` runs
of each) into a graph the articles are deleted from after each run, after a warm-up of each way:
- `kg ingest --workers N` (`ingest_paths(workers=N)`): read, look up, extract on N processes, write;
- extraction only: the very same pipeline (`ingest_paths`, the same reading, look-up, chunks, window
  and worker pool) with the write of each article replaced by a count (`write_extraction` patched in
  this process; the workers run the real extraction). What is left is what the writer costs.
Also, once, the extraction alone with nothing around it: every chunk submitted at once to N worker
processes (`extract_chunk`), files loaded first: the ceiling of N extraction processes here.
Throughput is the median over the rounds; the ratio is ingest / extraction only (target >= 0.8). For
`kg ingest` the share of the run its writer was busy is printed (`writer_busy_share`): near 1, the
writer sets the pace. The CPU
each way used per article (this process and its finished children, and the Neo4j server) is printed
too: on a shared machine the load moves throughput more than it moves cost. The last line is JSON.
The graph must start empty (tests/with_neo4j.sh gives one).

    tests/with_neo4j.sh .venv/bin/python tests/bench/bench_ingest_pace.py --articles 200 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from backfill_demo import (  # noqa: E402
    cpu_figures,
    cpu_seconds,
    delete_job_articles,
    jit_seconds,
    neo4j_process,
)
from bench_ingest import build_corpus  # noqa: E402

import app.ingest_service as service  # noqa: E402
from app.config import Settings  # noqa: E402
from graph.census import counts  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.schema import migrate  # noqa: E402


@contextmanager
def writes_timed() -> Iterator[list[float]]:
    """`ingest_paths` with the time its loop spends in each article's write summed: the share of the
    run the one writer was busy. Near 1, the writer sets the pace (the workers wait for its window);
    well below, extraction does, and what ingest loses to extraction only is CPU the writes take from
    the workers (the client's and, on one machine, Neo4j's)."""
    busy = [0.0]
    real = service.write_extraction

    async def timed(run: Any, origin: str, article: Any, version: str, result: Any, redo: Any) -> None:
        t0 = time.perf_counter()
        try:
            await real(run, origin, article, version, result, redo)
        finally:
            busy[0] += time.perf_counter() - t0

    service.write_extraction = timed  # type: ignore[assignment]
    try:
        yield busy
    finally:
        service.write_extraction = real


@contextmanager
def writes_counted_not_made() -> Iterator[list[int]]:
    """`ingest_paths` with each article's write replaced by a count of the extractions it was given."""
    done = [0]
    real = service.write_extraction

    async def count(run: Any, origin: str, article: Any, version: str, result: Any, redo: Any) -> None:
        if isinstance(result, str):
            await run.failed(origin, "extract_error", f"extraction failed: {result}")
        else:
            done[0] += 1

    service.write_extraction = count  # type: ignore[assignment]
    try:
        yield done
    finally:
        service.write_extraction = real


def write_corpus(folder: Path, articles: int, seed: int) -> None:
    folder.mkdir()
    for i, (title, body) in enumerate(build_corpus(articles, seed)):
        (folder / f"article-{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


async def run_way(
    kind: str, driver: Any, settings: Settings, folder: Path, args: argparse.Namespace
) -> dict[str, Any]:
    cpu, jit = cpu_seconds(args.server), jit_seconds(args.server)
    began = time.perf_counter()
    busy: float | None = None
    if kind == "ingest":
        with writes_timed() as spent:
            report = await service.ingest_paths(driver, settings, [folder], workers=args.workers)
        articles, job, busy = report.ingested, report.job_id, spent[0]
    else:
        with writes_counted_not_made() as done:
            report = await service.ingest_paths(driver, settings, [folder], workers=args.workers)
        articles, job = done[0], report.job_id
    seconds = time.perf_counter() - began
    used = cpu_figures(cpu, cpu_seconds(args.server), articles)  # before the clean-up below
    jit_after = jit_seconds(args.server)
    if jit is not None and jit_after is not None:
        used["neo4j_jit_cpu_ms_per_article"] = round(1000 * (jit_after - jit) / max(articles, 1), 1)
    if kind == "ingest":
        await delete_job_articles(driver, settings.neo4j_database, job)
    return used | {
        "seconds": round(seconds, 2),
        "articles": articles,
        "articles_per_s": round(articles / seconds, 3),
        "failed": report.failed,
        "writer_busy_share": None if busy is None else round(busy / seconds, 3),
        "write_ms_per_article": None if busy is None else round(1000 * busy / max(articles, 1), 1),
    }


def bare_extraction(folder: Path, settings: Settings, workers: int) -> dict[str, Any]:
    """Every chunk submitted at once to `workers` processes; the files loaded first, not timed."""
    from ingest.load.loader import load_path

    articles = [
        r.article
        for p in sorted(folder.iterdir())
        for r in load_path(p, max_bytes=settings.max_article_bytes)
    ]
    chunks = [articles[i : i + service.EXTRACT_CHUNK] for i in range(0, len(articles), service.EXTRACT_CHUNK)]
    began = time.perf_counter()
    with service.executor(workers) as pool:
        done = sum(
            len(deltas)
            for _, deltas in pool.map(service.extract_chunk, [settings.spacy_model] * len(chunks), chunks)
        )
    seconds = time.perf_counter() - began
    return {"seconds": round(seconds, 2), "articles": done, "articles_per_s": round(done / seconds, 3)}


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    db = settings.neo4j_database
    driver = open_driver(settings.connection, connection_timeout=settings.neo4j_connect_timeout_s)
    runs: dict[str, list[dict[str, Any]]] = {"ingest": [], "extract_only": []}
    try:
        await wait_until_ready(driver, settings.bolt_uri, timeout=60)
        args.server = neo4j_process(settings.bolt_uri)
        await migrate(driver, db)
        if (await counts(driver, db))["nodes"]:
            raise SystemExit(f"the graph at {settings.bolt_uri} is not empty; use a throwaway one")
        with tempfile.TemporaryDirectory(prefix="kg-bench-pace-") as tmp:
            folder, warm = Path(tmp) / "corpus", Path(tmp) / "warm-up"
            write_corpus(folder, args.articles, args.seed)
            if args.warm_up:
                write_corpus(warm, args.warm_up, args.seed + 1)
                for kind in ("ingest", "extract_only"):
                    await run_way(kind, driver, settings, warm, args)
            for n in range(args.rounds):
                for kind in ("ingest", "extract_only") if n % 2 == 0 else ("extract_only", "ingest"):
                    run = await run_way(kind, driver, settings, folder, args)
                    runs[kind].append(run)
                    print(f"{kind:13} {json.dumps(run)}", flush=True)
            bare = bare_extraction(folder, settings, args.workers) if args.bare else None
            if bare:
                print(f"{'bare extract':13} {json.dumps(bare)}", flush=True)
        if (left := await counts(driver, db))["labels"].get("Article"):
            raise SystemExit(f"cleaning up left {left['labels']['Article']} articles")
    finally:
        await driver.close()
    median = {k: statistics.median(r["articles_per_s"] for r in v) for k, v in runs.items()}
    ratio = median["ingest"] / median["extract_only"]
    cpu = {
        k: statistics.median(r["cpu_ms_per_article"] + r["neo4j_cpu_ms_per_article"] for r in v)
        for k, v in runs.items()
    }
    print(
        f"throughput, median of {args.rounds}: kg ingest --workers {args.workers} {median['ingest']:.2f} "
        f"articles/s, extraction only {median['extract_only']:.2f} articles/s, ratio {ratio:.2f} "
        "(target: at least 0.8)"
    )
    busy = statistics.median(r["writer_busy_share"] for r in runs["ingest"])
    print(f"kg ingest's writer busy {busy:.0%} of its runs (median): near 100%, the writer sets the pace")
    print(
        f"CPU per article (this process and its workers, plus Neo4j), median: kg ingest {cpu['ingest']:.0f} "
        f"ms, extraction only {cpu['extract_only']:.0f} ms"
    )
    neo4j = statistics.median(r["neo4j_cpu_ms_per_article"] for r in runs["ingest"])
    jit = [r["neo4j_jit_cpu_ms_per_article"] for r in runs["ingest"] if "neo4j_jit_cpu_ms_per_article" in r]
    if jit:
        print(
            f"Neo4j CPU per article on kg ingest's runs, median: {neo4j:.0f} ms, of which its JIT compiler "
            f"threads {statistics.median(jit):.0f} ms (a JVM still warming up)"
        )
    return {
        "articles": args.articles,
        "workers": args.workers,
        "rounds": args.rounds,
        "kg_ingest": runs["ingest"],
        "extract_only": runs["extract_only"],
        "bare_extract": bare,
        "median_articles_per_s": {k: round(v, 3) for k, v in median.items()},
        "ratio": round(ratio, 3),
        "median_writer_busy_share": round(busy, 3),
        "median_cpu_ms_per_article": {k: round(v, 1) for k, v in cpu.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, in ABBA order")
    # A Neo4j started for the bench compiles its own code for its first thousand or so writes: over a
    # fresh JVM's first 600 articles its JIT compiler threads used 40-50 ms of CPU per article, as much as
    # the statements (docs/graph-model.md, "Session 11"). The target is about a running service, so the
    # timed rounds come after 400 writes (the warm-up's `kg ingest`; extraction only writes nothing);
    # `neo4j_jit_cpu_ms_per_article` says how much of the warm-up was left in each run.
    parser.add_argument(
        "--warm-up", type=int, default=400, help="articles loaded each way first, not counted (400 writes)"
    )
    parser.add_argument("--no-bare", dest="bare", action="store_false", help="skip the bare extraction")
    args = parser.parse_args()
    figures = asyncio.run(bench(args))
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
