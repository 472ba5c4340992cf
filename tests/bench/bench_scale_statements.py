"""What each statement of `kg ingest`'s write costs Neo4j, on a graph of a few thousand articles.

Writes `--articles` generated articles (tests/bench/bench_scale.py's corpus: census-shaped names, Zipf
popularity) through the production writer (`write_article` with the resolution rules), then writes
`--probes` more, each twice in one run of its transaction function rolled back:
- once PROFILEd (`graph.profiling.PlanLog`): each statement's db hits, rows and operators (Eager counted);
- once plain, timed: each statement's round trip seen by the client and the server's own time
  (`result_available_after + result_consumed_after`), plus the commit's round trip (committed this time,
  so the graph grows by the probes and the commit's work is counted).
Prints, per named statement, calls per article, db hits, rows, server ms and round-trip ms (medians over
the probes of the per-article sums), and the round trips per article. During the load it prints, per
`--window` articles, the CPU per article of the client and of Neo4j, split into Neo4j's JIT compiler
threads, its garbage collector threads and the rest (from /proc, Linux): a fresh JVM's warm-up against
its steady state. After the load it prints how many plans Neo4j's query caches held (each distinct
statement text, parameter types and size buckets is one plan). The last line is JSON.

    tests/with_neo4j.sh .venv/bin/python tests/bench/bench_scale_statements.py --articles 3000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from backfill_demo import cpu_seconds, neo4j_process  # noqa: E402
from bench_scale import Population, graph_size, statement_names, synthesize, templates  # noqa: E402

from app.config import Settings  # noqa: E402
from app.ingest_service import PERSON_RULES  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.profiling import PlanLog  # noqa: E402
from graph.schema import migrate  # noqa: E402
from graph.writer import _write_tx, write_article  # noqa: E402


def thread_cpu(server: Any) -> dict[str, float]:
    """CPU seconds so far of the Neo4j JVM's threads by kind: its JIT compilers ("C1/C2
    CompilerThread"), its garbage collector (G1's "GC Thread", "G1 ..." threads) and all the others;
    empty where /proc cannot be read."""
    if server is None:
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    kinds = {"jit": 0.0, "gc": 0.0, "other": 0.0}
    try:
        tids = os.listdir(f"/proc/{server.pid}/task")
    except OSError:
        return {}
    for tid in tids:
        try:
            comm = Path(f"/proc/{server.pid}/task/{tid}/comm").read_text().strip()
            fields = Path(f"/proc/{server.pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a thread that ended meanwhile
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if "CompilerThre" in comm:
            kinds["jit"] += seconds
        elif comm.startswith(("GC Thread", "G1 ")):
            kinds["gc"] += seconds
        else:
            kinds["other"] += seconds
    return kinds


def window_figures(
    begin: tuple[tuple[float, float], dict[str, float], float],
    end: tuple[tuple[float, float], dict[str, float], float],
    articles: int,
) -> dict[str, float]:
    """CPU per article between two marks (process CPU, Neo4j threads by kind, wall time)."""
    (cpu0, threads0, t0), (cpu1, threads1, t1) = begin, end
    per = 1000 / max(articles, 1)
    out = {
        "write_ms_mean": round(per * (t1 - t0), 2),
        "client_cpu_ms": round(per * (cpu1[0] - cpu0[0]), 2),
        "neo4j_cpu_ms": round(per * (cpu1[1] - cpu0[1]), 2),
    }
    for kind in ("jit", "gc", "other"):
        if kind in threads0 and kind in threads1:
            out[f"neo4j_{kind}_cpu_ms"] = round(per * (threads1[kind] - threads0[kind]), 2)
    return out


async def cached_plans(driver: Any, db: str) -> str:
    """What `db.clearQueryCaches()` says it cleared: how many plans the load left cached."""
    records, _, _ = await driver.execute_query("CALL db.clearQueryCaches()", database_=db)
    return str(records[0][0]) if records else ""


def name_of(query: str, names: dict[str, str]) -> str:
    text = " ".join(query.split())
    if text.startswith("PROFILE "):
        text = text[len("PROFILE ") :]
    found = names.get(text)
    if found is None:
        found = next((n for t, n in names.items() if text.endswith(t)), None)
    return found or ("other: " + text[:60])


class TimedTransaction:
    """The writer's `tx`, each statement's round trip and server time kept by name."""

    def __init__(self, tx: Any, names: dict[str, str], log: dict[str, list[float]]) -> None:
        self._tx, self._names, self._log = tx, names, log

    async def run(self, query: str, parameters: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        from graph.profiling import _Result

        t0 = time.perf_counter()
        result = await self._tx.run(query, parameters, **kwargs)
        records = [r async for r in result]
        summary = await result.consume()
        wall = (time.perf_counter() - t0) * 1000
        server = (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
        name = name_of(query, self._names)
        entry = self._log.setdefault(name, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += server
        entry[2] += wall
        return _Result(records)


async def timed_write(driver: Any, db: str, names: dict[str, str], art: Any, delta: Any) -> dict[str, Any]:
    log: dict[str, list[float]] = {}
    async with driver.session(database=db, notifications_min_severity="OFF") as session:
        t0 = time.perf_counter()
        tx = await session.begin_transaction()
        begun = time.perf_counter()
        await _write_tx(
            TimedTransaction(tx, names, log), art, delta, "bench", datetime.now(UTC), PERSON_RULES
        )
        t1 = time.perf_counter()
        await tx.commit()
        t2 = time.perf_counter()
    log["BEGIN"] = [1, 0.0, (begun - t0) * 1000]
    log["COMMIT"] = [1, 0.0, (t2 - t1) * 1000]
    return {"statements": log, "total_ms": (t2 - t0) * 1000}


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    db = settings.neo4j_database
    driver = open_driver(settings.connection, notifications_min_severity="OFF")
    await wait_until_ready(driver, settings.bolt_uri, timeout=60)
    await migrate(driver, db)
    if (await graph_size(driver, db))["nodes"]:
        raise SystemExit("the graph is not empty: run through tests/with_neo4j.sh")
    shapes = templates()
    people = Population(args.people, args.seed)
    rng = random.Random(args.seed)
    names = statement_names()
    server = neo4j_process(settings.bolt_uri)
    measured = min(args.measured, args.articles)
    windows: list[dict[str, Any]] = []

    def mark() -> tuple[tuple[float, float], dict[str, float], float]:
        return cpu_seconds(server), thread_cpu(server), time.perf_counter()

    try:
        start = last = mark()
        for k in range(args.articles):
            if k == args.articles - measured:
                tail = mark()
            art, delta = synthesize(k, shapes[rng.randrange(len(shapes))], people, rng, "bench")
            await write_article(driver, db, art, delta, rules=PERSON_RULES, extractor_version="bench")
            if (k + 1) % args.window == 0 or k + 1 == args.articles:
                now = mark()
                first = windows[-1]["to"] if windows else 0
                row = {"from": first, "to": k + 1, **window_figures(last, now, k + 1 - first)}
                windows.append(row)
                print(f"articles {row['from']}-{row['to']}: {json.dumps(row)}", flush=True)
                last = now
        end = mark()
        figures = window_figures(tail, end, measured)
        load = {
            "load_write_ms_mean": figures["write_ms_mean"],
            "load_client_cpu_ms_per_article": figures["client_cpu_ms"],
            "load_neo4j_cpu_ms_per_article": figures["neo4j_cpu_ms"],
            "load_neo4j_jit_cpu_ms_per_article": figures.get("neo4j_jit_cpu_ms"),
            "load_neo4j_gc_cpu_ms_per_article": figures.get("neo4j_gc_cpu_ms"),
        }
        early = min(args.early, args.articles)
        first_ones = [w for w in windows if w["to"] <= early]
        if first_ones:
            weights = [w["to"] - w["from"] for w in first_ones]
            for key in ("client_cpu_ms", "neo4j_cpu_ms", "neo4j_jit_cpu_ms", "neo4j_gc_cpu_ms"):
                if all(key in w for w in first_ones):
                    load[f"first_{early}_{key}_per_article"] = round(
                        sum(w[key] * n for w, n in zip(first_ones, weights, strict=True)) / sum(weights), 2
                    )
        print(
            f"{args.articles} articles written in {end[2] - start[2]:.0f} s; the last {measured}: {load}",
            flush=True,
        )
        load["cached_plans"] = await cached_plans(driver, db)
        print(f"query caches after the load: {load['cached_plans']}", flush=True)
        await driver.execute_query("CALL db.prepareForReplanning()", database_=db)
        probe_rng = random.Random(args.seed + 1)
        hits: dict[str, list[float]] = {}
        eager: dict[str, int] = {}
        server_ms: dict[str, list[float]] = {}
        wall: dict[str, list[float]] = {}
        calls: dict[str, list[float]] = {}
        totals: list[float] = []
        trips: list[int] = []
        for k in range(args.probes):
            art, delta = synthesize(k, shapes[probe_rng.randrange(len(shapes))], people, probe_rng, "probe")
            log = PlanLog()
            await log.transaction(
                driver, db, _write_tx, art, delta, "bench", datetime.now(UTC), PERSON_RULES, commit=False
            )
            per: dict[str, list[int]] = {}
            for plan in log.plans:
                name = name_of(plan.query, names)
                acc = per.setdefault(name, [0, 0])
                acc[0] += plan.db_hits
                acc[1] += plan.operators.count("Eager")
            for name, (h, e) in per.items():
                hits.setdefault(name, []).append(h)
                eager[name] = max(eager.get(name, 0), e)
            timed = await timed_write(driver, db, names, art, delta)
            totals.append(timed["total_ms"])
            trips.append(sum(int(v[0]) for v in timed["statements"].values()))
            for name, (n, s, w) in timed["statements"].items():
                calls.setdefault(name, []).append(n)
                server_ms.setdefault(name, []).append(s)
                wall.setdefault(name, []).append(w)
    finally:
        await driver.close()
    table: dict[str, dict[str, Any]] = {}
    for name in sorted(set(hits) | set(calls)):
        table[name] = {
            "calls_per_article": round(sum(calls.get(name, [0])) / args.probes, 2),
            "db_hits_median": statistics.median(
                hits.get(name, [0]) + [0] * (args.probes - len(hits.get(name, [])))
            ),
            "db_hits_mean": round(sum(hits.get(name, [0])) / args.probes, 1),
            "eager_ops": eager.get(name, 0),
            "server_ms_mean": round(sum(server_ms.get(name, [0])) / args.probes, 2),
            "round_trip_ms_mean": round(sum(wall.get(name, [0])) / args.probes, 2),
        }
    print(
        f"{'statement':42} {'calls':>6} {'hits med':>9} {'hits mean':>10} {'eager':>5} "
        f"{'server ms':>10} {'trip ms':>8}"
    )
    for name, row in sorted(table.items(), key=lambda kv: -kv[1]["round_trip_ms_mean"]):
        print(
            f"{name[:42]:42} {row['calls_per_article']:>6} {row['db_hits_median']:>9} "
            f"{row['db_hits_mean']:>10} {row['eager_ops']:>5} {row['server_ms_mean']:>10} "
            f"{row['round_trip_ms_mean']:>8}"
        )
    summary = {
        "articles": args.articles,
        "probes": args.probes,
        **load,
        "write_ms_median": round(statistics.median(totals), 2),
        "round_trips_per_article_median": statistics.median(trips),
        "db_hits_per_article_mean": round(sum(r["db_hits_mean"] for r in table.values()), 1),
        "statements": table,
        "windows": windows,
    }
    print(
        f"write (timed pass, committed) {summary['write_ms_median']} ms median; round trips per article "
        f"{summary['round_trips_per_article_median']} (BEGIN and COMMIT included); db hits per article "
        f"{summary['db_hits_per_article_mean']} mean"
    )
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument(
        "--measured", type=int, default=500, help="last articles of the load whose CPU is kept"
    )
    parser.add_argument("--window", type=int, default=300, help="articles per CPU window of the load")
    parser.add_argument(
        "--early", type=int, default=600, help="the first articles of a fresh JVM, summed over their windows"
    )
    parser.add_argument("--people", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(bench(args)), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
