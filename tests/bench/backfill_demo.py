"""`make backfill-demo`: the Dask backfill against `kg ingest --workers 2` on one generated corpus.

Both load the same corpus (tests/bench/bench_ingest.py's generator) into an empty graph, one after the
other: first `ingest_paths(workers=2)` (what `kg ingest --workers 2` runs), whose articles are then
deleted, then `run_backfill` on a local Dask cluster. Printed: each one's throughput and their ratio,
the backfill's stage times, and whether the graphs are the same: node, relationship and per-label and
per-type counts, and `responses(to:)` through the GraphQL API for the five people most responded to.
The last line is JSON. Exits 1 when the graphs differ or the backfill is slower than the baseline.
The graph must start empty (tests/with_neo4j.sh gives a throwaway one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench_ingest import build_corpus  # noqa: E402

from app.backfill.engine import run_backfill  # noqa: E402
from app.config import Settings  # noqa: E402
from app.ingest_service import delete_article, ingest_paths  # noqa: E402
from graph.census import counts, most_answered  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.jobs import job_articles  # noqa: E402
from graph.schema import migrate  # noqa: E402

RESPONSES = """
query($to: String!) {
  responses(to: $to, first: 100) {
    type responder { id } target { id } evidence { sentence quote articleId }
  }
}
"""


async def responses(settings: Settings, people: list[str]) -> dict[str, list[Any]]:
    """`responses(to:)` for each person through the API, as sorted lists (order ties are arbitrary)."""
    import httpx

    from app.main import create_app

    app = create_app(settings, recover_jobs=False, migrate_schema=False)
    out: dict[str, list[Any]] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
            for person in people:
                body = (
                    await client.post("/graphql", json={"query": RESPONSES, "variables": {"to": person}})
                ).json()
                if "errors" in body:
                    raise RuntimeError(f"responses(to: {person!r}) failed: {body['errors']}")
                out[person] = sorted(json.dumps(r, sort_keys=True) for r in body["data"]["responses"])
    return out


async def delete_job_articles(driver: Any, database: str, job_id: str) -> int:
    deleted, after = 0, None
    while rows := await job_articles(driver, database, job_id, limit=500, after=after):
        after = rows[-1][2]
        for article_id, outcome, _ in rows:
            if outcome == "ingested":
                await delete_article(driver, database, article_id)
                deleted += 1
    return deleted


async def demo(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    db = settings.neo4j_database
    driver = open_driver(settings.connection, connection_timeout=settings.neo4j_connect_timeout_s)
    figures: dict[str, Any] = {
        "articles": args.articles,
        "workers": args.workers,
        "concurrency": args.concurrency,
    }
    try:
        await wait_until_ready(driver, settings.bolt_uri, timeout=60)
        await migrate(driver, db)
        empty = await counts(driver, db)
        if empty["nodes"]:
            raise SystemExit(
                f"the graph at {settings.bolt_uri} is not empty ({empty['nodes']} nodes); use a throwaway one"
            )
        with tempfile.TemporaryDirectory(prefix="kg-backfill-demo-") as tmp:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            for i, (title, body) in enumerate(build_corpus(args.articles, args.seed)):
                (folder / f"article-{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")

            began = time.perf_counter()
            base = await ingest_paths(driver, settings, [folder], workers=args.workers)
            base_s = time.perf_counter() - began
            base_counts = await counts(driver, db)
            people = await most_answered(driver, db, 5)
            base_answers = await responses(settings, people)
            figures["kg_ingest"] = {
                "seconds": round(base_s, 2),
                "articles_per_s": round(base.ingested / base_s, 2),
                "ingested": base.ingested,
                "failed": base.failed,
            }
            print(f"kg ingest --workers {args.workers}: {figures['kg_ingest']}", flush=True)
            await delete_job_articles(driver, db, base.job_id)
            left = await counts(driver, db)
            if left["nodes"]:
                raise SystemExit(f"cleaning up after the baseline left {left['nodes']} nodes")

            result = await run_backfill(
                driver,
                settings,
                [folder],
                workers=args.workers,
                concurrency=args.concurrency,
                chunk_files=args.chunk_files,
                work_dir=Path(tmp),
            )
            f = result.figures
            back_s = f.total_s
            back_counts = await counts(driver, db)
            back_answers = await responses(settings, people)
            figures["backfill"] = {
                "seconds": round(back_s, 2),
                "articles_per_s": round(result.report.ingested / back_s, 2),
                "ingested": result.report.ingested,
                "failed": result.report.failed,
                "stages_s": {
                    "extract": round(f.extract_s, 2),
                    "lookup": round(f.lookup_s, 2),
                    "resolve": round(f.plan_s, 2),
                    "write": round(f.write_s, 2),
                },
                "blocks": f.blocks,
                "chunks": f.chunks,
                "retried_transactions": f.retried_transactions,
                "write_articles_per_s": round(result.report.ingested / f.write_s, 2) if f.write_s else None,
                "extract_articles_per_s": round(result.report.ingested / f.extract_s, 2)
                if f.extract_s
                else None,
            }
            print(f"backfill on Dask:       {figures['backfill']}", flush=True)
            if not args.keep:
                await delete_job_articles(driver, db, result.report.job_id)
    finally:
        await driver.close()

    same_counts = base_counts == back_counts
    differing = [p for p in people if base_answers[p] != back_answers[p]]
    ratio = figures["backfill"]["articles_per_s"] / figures["kg_ingest"]["articles_per_s"]
    figures.update(
        {
            "graph": back_counts,
            "same_counts": same_counts,
            "people_compared": people,
            "responses_per_person": {p: len(back_answers[p]) for p in people},
            "same_responses": not differing,
            "throughput_ratio": round(ratio, 3),
        }
    )
    print(f"graph: {back_counts['nodes']} nodes, {back_counts['relationships']} relationships")
    print(f"  labels: {back_counts['labels']}")
    print(f"  types:  {back_counts['types']}")
    if not same_counts:
        print(f"  DIFFERENT from kg ingest: {base_counts}")
    verdict = "same" if not differing else "DIFFERENT for " + ", ".join(differing)
    print(f"responses(to:) for {', '.join(people)}: {verdict}")
    print(f"throughput: backfill / kg ingest = {ratio:.2f} (target: at least 1.0)")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4, help="write transactions per write task")
    parser.add_argument("--chunk-files", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="leave the backfilled articles in the graph")
    args = parser.parse_args()
    figures = asyncio.run(demo(args))
    print(json.dumps(figures, sort_keys=True))
    ok = figures["same_counts"] and figures["same_responses"] and figures["throughput_ratio"] >= 1.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
