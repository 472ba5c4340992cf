"""Peak memory of `kg ingest` against the size of the job: `make bench-jobs` (SMALL=1000 LARGE=20000).

Issue 10's target: a job streams, so the peak RSS of `kg ingest` on LARGE articles is within 20% of
that on SMALL. Each size gets its own synthetic corpus (short articles recombined from the seeds'
sentences with other people's names, as in `bench_ingest.py`, so nothing is unchanged), written as one
JSON Lines file, ingested by a `kg ingest FILE --workers WORKERS` subprocess. Its process tree is sampled
every 50 ms: the peak RSS of the `kg` process itself and of the whole tree (with its extraction workers).
Each size runs `--repeat` times and the median is reported; the last line is JSON. Run it against a
throwaway Neo4j (the make target does); `--cleanup` deletes the articles afterwards for a shared one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench_ingest import FIRST_NAMES, SEED_PEOPLE, SURNAMES, seed_sentences, swap_names  # noqa: E402

from app.config import Settings  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")
SAMPLE_S = 0.05


def write_corpus(path: Path, n: int, seed: int, tag: str) -> None:
    """`n` short articles (4-6 sentences) as JSON Lines; `tag` keeps two corpora apart."""
    rng = random.Random(seed)
    pool = seed_sentences()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            mapping = {old: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for old in SEED_PEOPLE}
            start = rng.randrange(len(pool))
            body = " ".join(
                swap_names(pool[(start + k) % len(pool)], mapping) for k in range(rng.randint(4, 6))
            )
            record = {"id": f"{tag}-{i}", "title": f"Report {tag} {i}", "text": f"{body} (Report {tag}-{i}.)"}
            out.write(json.dumps(record) + "\n")


def tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """(RSS of the process, RSS of the process and all its descendants), in bytes."""
    try:
        own = proc.memory_info().rss
        kids = proc.children(recursive=True)
    except psutil.Error:
        return 0, 0
    total = own
    for kid in kids:
        try:
            total += kid.memory_info().rss
        except psutil.Error:
            pass
    return own, total


def run_ingest(corpus: Path, workers: int, env: dict[str, str]) -> dict[str, Any]:
    began = time.perf_counter()
    popen = subprocess.Popen(
        [KG, "ingest", str(corpus), "--workers", str(workers)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    proc = psutil.Process(popen.pid)
    peak_own = peak_tree = 0
    while popen.poll() is None:
        own, tree = tree_rss(proc)
        peak_own, peak_tree = max(peak_own, own), max(peak_tree, tree)
        time.sleep(SAMPLE_S)
    seconds = time.perf_counter() - began
    out = popen.stdout.read() if popen.stdout else ""
    if popen.returncode != 0:
        raise SystemExit(f"kg ingest failed ({popen.returncode}):\n{out}")
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_own / 2**20, 1),
        "peak_tree_rss_mb": round(peak_tree / 2**20, 1),
        "job": next((w for w in out.split() if w.startswith("job-")), None),
    }


async def delete_jobs_articles(settings: Settings, job_ids: list[str]) -> None:
    from app.ingest_service import delete_article
    from graph.driver import open_driver
    from graph.jobs import job_articles

    driver = open_driver(settings.connection)
    try:
        for job_id in job_ids:
            after = None
            while rows := await job_articles(driver, settings.neo4j_database, job_id, limit=500, after=after):
                after = rows[-1][2]
                for article_id, outcome, _ in rows:
                    if outcome == "ingested":
                        await delete_article(driver, settings.neo4j_database, article_id)
    finally:
        await driver.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000, help="articles in the baseline job (1000)")
    parser.add_argument("--large", type=int, default=20000, help="articles in the large job (20000)")
    parser.add_argument("--workers", type=int, default=2, help="kg ingest --workers (2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the median is kept (1)")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--cleanup", action="store_true", help="delete the articles written afterwards")
    args = parser.parse_args()

    settings = Settings()
    env = {**os.environ, "COLUMNS": "200", "KG_INGEST_WORKERS": str(args.workers)}
    figures: dict[str, Any] = {"workers": args.workers, "repeat": args.repeat}
    jobs: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-jobs-") as tmp:
        for label, n in (("small", args.small), ("large", args.large)):
            runs = []
            for r in range(args.repeat):
                corpus = Path(tmp) / f"{label}-{r}.jsonl"
                write_corpus(corpus, n, args.seed + r * 7 + n, f"{label}{r}-{args.seed}")
                result = run_ingest(corpus, args.workers, env)
                corpus.unlink()
                if result["job"]:
                    jobs.append(result["job"])
                result["ms_per_article"] = round(1000 * result["seconds"] / n, 1)
                print(f"{label} ({n} articles) run {r + 1}: {result}", flush=True)
                runs.append(result)
            figures[label] = {
                "articles": n,
                "peak_rss_mb": statistics.median(x["peak_rss_mb"] for x in runs),
                "peak_tree_rss_mb": statistics.median(x["peak_tree_rss_mb"] for x in runs),
                "ms_per_article": statistics.median(x["ms_per_article"] for x in runs),
            }
    small, large = figures["small"], figures["large"]
    figures["rss_ratio"] = round(large["peak_rss_mb"] / small["peak_rss_mb"], 3)
    figures["tree_rss_ratio"] = round(large["peak_tree_rss_mb"] / small["peak_tree_rss_mb"], 3)
    print(
        f"peak RSS of kg ingest: {small['peak_rss_mb']} MB at {small['articles']} articles, "
        f"{large['peak_rss_mb']} MB at {large['articles']} ({figures['rss_ratio']}x; target <= 1.2x); "
        f"with its workers {small['peak_tree_rss_mb']} -> {large['peak_tree_rss_mb']} MB "
        f"({figures['tree_rss_ratio']}x)"
    )
    if args.cleanup:
        asyncio.run(delete_jobs_articles(settings, jobs))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
