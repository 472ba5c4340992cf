"""`make backfill-demo`: the Dask backfill against `kg ingest --workers 2` on one generated corpus.

Both load the same corpus (tests/bench/bench_ingest.py's generator) into an empty graph, in turns (ABBA:
`--rounds` runs of each), the articles deleted after each run, after a warm-up load each way that is
deleted and not counted (Neo4j plans and compiles each statement on first use):
`ingest_paths(workers=2)` (what `kg ingest --workers 2` runs) and `run_backfill` on a local Dask
cluster. Throughput is the median over the rounds; the machine is shared, so one pair of runs can differ
by the load alone. Printed: each run's throughput, the backfill's stage times, the ratio of the medians,
and whether every run gave the same graph: node, relationship, per-label and per-type counts, and
`responses(to:)` through the GraphQL API for the five people most responded to. Also the CPU each way
used per article (this process with its children, and the Neo4j server): the cost, which the load of a
shared machine moves far less than the throughput. The last line is JSON. Exits 1 when the graphs differ
or the backfill is slower than the baseline. The graph must start empty (tests/with_neo4j.sh gives one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
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


def neo4j_process(bolt_uri: str) -> Any:
    """The local process listening on the Bolt port (the server's CPU is part of a load's cost), or
    None when it is elsewhere or cannot be seen."""
    import psutil

    port = int(bolt_uri.rsplit(":", 1)[-1].split("/")[0])
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
                return psutil.Process(conn.pid)
    except (psutil.Error, OSError):
        return None
    return None


def cpu_seconds(server: Any) -> tuple[float, float]:
    """CPU used so far by this process, its finished children (`kg ingest`'s extraction workers, all
    waited for when a run ends) and the processes still running under it with their own finished
    children (the fork server Dask's local workers are forked from, which outlives a backfill and
    waits for its workers itself), and by the Neo4j server."""
    import psutil

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    ours = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    for child in psutil.Process().children(recursive=True):
        try:
            t = child.cpu_times()
        except psutil.Error:
            continue  # ended meanwhile: waited for by its parent, counted there
        ours += t.user + t.system + t.children_user + t.children_system
    db = 0.0
    if server is not None:
        times = server.cpu_times()
        db = times.user + times.system
    return ours, db


def jit_seconds(server: Any) -> float | None:
    """CPU the Neo4j JVM's JIT compiler threads ("C1/C2 CompilerThread") have used so far, from
    /proc (Linux); None elsewhere. A freshly started Neo4j spends minutes compiling its own code and each
    new plan's generated expression classes: session 10 found its compiler threads using as much CPU as
    the threads running the statements, five minutes into a bench, so a run's Neo4j CPU is split in two."""
    if server is None:
        return None
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    try:
        for tid in os.listdir(f"/proc/{server.pid}/task"):
            try:
                comm = Path(f"/proc/{server.pid}/task/{tid}/comm").read_text()
                if "CompilerThre" in comm:
                    fields = Path(f"/proc/{server.pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
                    total += (int(fields[11]) + int(fields[12])) / tick
            except OSError:
                continue  # a thread that ended meanwhile
    except OSError:
        return None
    return total


def cpu_figures(before: tuple[float, float], after: tuple[float, float], articles: int) -> dict[str, Any]:
    client, db = after[0] - before[0], after[1] - before[1]
    per = max(articles, 1)
    return {
        "cpu_s": round(client, 2),
        "neo4j_cpu_s": round(db, 2),
        "cpu_ms_per_article": round(1000 * client / per, 1),
        "neo4j_cpu_ms_per_article": round(1000 * db / per, 1),
    }


def jit_figure(before: float | None, server: Any, articles: int) -> dict[str, Any]:
    after = jit_seconds(server)
    if before is None or after is None:
        return {}
    return {"neo4j_jit_cpu_ms_per_article": round(1000 * (after - before) / max(articles, 1), 1)}


async def run_ingest(
    driver: Any, settings: Settings, folder: Path, args: argparse.Namespace
) -> dict[str, Any]:
    cpu, jit = cpu_seconds(args.server), jit_seconds(args.server)
    began = time.perf_counter()
    report = await ingest_paths(driver, settings, [folder], workers=args.workers)
    seconds = time.perf_counter() - began
    return (
        cpu_figures(cpu, cpu_seconds(args.server), report.ingested)
        | jit_figure(jit, args.server, report.ingested)
        | {
            "job": report.job_id,
            "seconds": round(seconds, 2),
            "articles_per_s": round(report.ingested / seconds, 3),
            "ingested": report.ingested,
            "failed": report.failed,
        }
    )


async def run_engine(
    driver: Any, settings: Settings, folder: Path, args: argparse.Namespace
) -> dict[str, Any]:
    cpu, jit = cpu_seconds(args.server), jit_seconds(args.server)
    result = await run_backfill(
        driver,
        settings,
        [folder],
        workers=args.workers,
        concurrency=args.concurrency,
        chunk_files=args.chunk_files,
        slice_files=args.slice_files,
        work_dir=folder.parent,
    )
    f, n = result.figures, result.report.ingested
    return (
        cpu_figures(cpu, cpu_seconds(args.server), n)
        | jit_figure(jit, args.server, n)
        | {
            "job": result.report.job_id,
            "seconds": round(f.total_s, 2),
            "articles_per_s": round(n / f.total_s, 3),
            "ingested": n,
            "failed": result.report.failed,
            # Writes overlap the extraction: `extract` + `tail` is the pipeline, the rest are parts of it.
            "stages_s": {
                "start": round(f.start_s, 2),
                "extract": round(f.extract_s, 2),
                "tail": round(f.tail_s, 2),
                "lookup": round(f.lookup_s, 2),
                "resolve": round(f.plan_s, 2),
                "write": round(f.write_s, 2),
                "write_wait": round(f.write_wait_s, 2),
                "other": round(f.total_s - f.start_s - f.pipeline_s, 2),
            },
            "slices": f.slices,
            "extract_articles_per_s_per_worker": round(n / f.extract_s / args.workers, 3)
            if f.extract_s
            else None,
            "write_articles_per_s": round(n / f.write_s, 3) if f.write_s else None,
            "blocks": f.blocks,
            "chunks": f.chunks,
            "retried_transactions": f.retried_transactions,
        }
    )


def order(rounds: int) -> list[str]:
    """ABBA...: each way runs first as often as second, so a load that drifts during the run does not
    favour one of them."""
    out: list[str] = []
    for n in range(rounds):
        out += ["ingest", "backfill"] if n % 2 == 0 else ["backfill", "ingest"]
    return out


async def demo(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    db = settings.neo4j_database
    driver = open_driver(settings.connection, connection_timeout=settings.neo4j_connect_timeout_s)
    runs: dict[str, list[dict[str, Any]]] = {"ingest": [], "backfill": []}
    graphs: list[tuple[str, dict[str, Any], dict[str, list[Any]]]] = []
    people: list[str] = []
    try:
        await wait_until_ready(driver, settings.bolt_uri, timeout=60)
        args.server = neo4j_process(settings.bolt_uri)
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
            if args.warm_up:
                # Neo4j plans each statement and compiles its runtime on first use: a warm-up load,
                # deleted after, so the first timed run does not pay for it (in the runs before this
                # the first `kg ingest` took three times the Neo4j CPU per article of the others).
                warm = Path(tmp) / "warm-up"
                warm.mkdir()
                for i, (title, body) in enumerate(build_corpus(args.warm_up, args.seed + 1)):
                    (warm / f"warm-{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
                for way in (run_ingest, run_engine):
                    job = (await way(driver, settings, warm, args))["job"]
                    await delete_job_articles(driver, db, job)
                if (left := await counts(driver, db))["nodes"]:
                    raise SystemExit(f"cleaning up after the warm-up left {left['nodes']} nodes")
            for kind in order(args.rounds):
                run = await (run_ingest if kind == "ingest" else run_engine)(driver, settings, folder, args)
                runs[kind].append(run)
                label = f"kg ingest --workers {args.workers}" if kind == "ingest" else "backfill on Dask"
                print(f"{label:24} {json.dumps({k: v for k, v in run.items() if k != 'job'})}", flush=True)
                graph = await counts(driver, db)
                if not people:
                    people = await most_answered(driver, db, 5)
                graphs.append((kind, graph, await responses(settings, people)))
                await delete_job_articles(driver, db, run["job"])
                left = await counts(driver, db)
                if left["nodes"]:
                    raise SystemExit(f"cleaning up after a run left {left['nodes']} nodes")
    finally:
        await driver.close()

    _, first_graph, first_answers = graphs[0]
    same_counts = all(g == first_graph for _, g, _ in graphs)
    differing = sorted({p for _, _, a in graphs for p in people if a[p] != first_answers[p]})
    median = {k: statistics.median(r["articles_per_s"] for r in v) for k, v in runs.items()}
    ratio = median["backfill"] / median["ingest"]
    cpu = {
        k: statistics.median(r["cpu_ms_per_article"] + r["neo4j_cpu_ms_per_article"] for r in v)
        for k, v in runs.items()
    }
    figures: dict[str, Any] = {
        "articles": args.articles,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "rounds": args.rounds,
        "kg_ingest": runs["ingest"],
        "backfill": runs["backfill"],
        "median_articles_per_s": {k: round(v, 3) for k, v in median.items()},
        "graph": first_graph,
        "same_counts": same_counts,
        "people_compared": people,
        "responses_per_person": {p: len(first_answers[p]) for p in people},
        "same_responses": not differing,
        "throughput_ratio": round(ratio, 3),
        "median_cpu_ms_per_article": {k: round(v, 1) for k, v in cpu.items()},
    }
    print(f"graph: {first_graph['nodes']} nodes, {first_graph['relationships']} relationships")
    print(f"  labels: {first_graph['labels']}")
    print(f"  types:  {first_graph['types']}")
    print(f"  every run gave these counts: {'yes' if same_counts else 'NO'}")
    for n, (kind, graph, answers) in enumerate(graphs):
        if graph != first_graph:
            print(f"  run {n + 1} ({kind}) differs: {graph}")
        for p in people:
            if answers[p] != first_answers[p]:
                changed = sorted(set(answers[p]) ^ set(first_answers[p]))
                print(f"  run {n + 1} ({kind}) answers differently for {p}: {changed}")
    verdict = "same in every run" if not differing else "DIFFERENT for " + ", ".join(differing)
    print(f"responses(to:) for {', '.join(people)}: {verdict}")
    print(
        f"CPU per article (client and workers, plus Neo4j), median: kg ingest {cpu['ingest']:.0f} ms, "
        f"backfill {cpu['backfill']:.0f} ms"
    )
    print(
        f"throughput, median of {args.rounds}: kg ingest {median['ingest']:.2f} articles/s, backfill "
        f"{median['backfill']:.2f} articles/s, ratio {ratio:.2f} (target: at least 1.0)"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4, help="write transactions at once")
    parser.add_argument("--chunk-files", type=int, default=4)
    parser.add_argument("--slice-files", type=int, default=2000, help="files per slice at most")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, in ABBA order")
    # 200 each way: 400 writes before the first timed run. A freshly started Neo4j compiles its own code
    # for about its first thousand writes (docs/graph-model.md, "Session 11"); with 40 the first timed
    # `kg ingest` paid four times the Neo4j CPU per article of the second (docs/backfill.md, session 10).
    parser.add_argument(
        "--warm-up", type=int, default=200, help="articles loaded each way and deleted before the timed runs"
    )
    args = parser.parse_args()
    figures = asyncio.run(demo(args))
    print(json.dumps(figures, sort_keys=True))
    ok = figures["same_counts"] and figures["same_responses"] and figures["throughput_ratio"] >= 1.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
