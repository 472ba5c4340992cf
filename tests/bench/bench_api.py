"""API benchmark: `responses(to: "Krasner")` and `subgraph(depth: 2)` through the HTTP API, against the
same Cypher sent straight through the async driver (the floor the API is measured against).

Run with `make bench-api` (a throwaway Neo4j via tests/with_neo4j.sh, the seeds ingested, uvicorn
without access logs in a subprocess). With `--articles N` (the Makefile passes 300) a second table follows
on the seeds plus N generated articles, bench-peer's graph. Load goes to loopback only, is bounded in
count and time per step, and stops by itself. The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import orjson
from neo4j import AsyncDriver

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_peer_cpu import CpuMeter  # noqa: E402
from lean_http import ConnectionFailed, LeanClient  # noqa: E402

from app.config import PROJECT_ROOT, Settings  # noqa: E402
from app.graphql.context import CypherExecutor, make_context
from app.graphql.schema import build_schema
from app.ingest_service import ingest_seeds_if_empty
from graph.driver import open_driver, wait_until_ready
from graph.launcher import free_port
from graph.schema import migrate

RESPONSES_GQL = """{ responses(to: "Krasner") {
  responder { id name ... on Person { offices { title jurisdiction } } }
  type target { name } evidence { sentence quote confidence article { title url publishedAt } } } }"""
SUBGRAPH_GQL = """{ subgraph(center: "Krasner", depth: 2, limit: 200) { truncated
  nodes { id type label properties }
  edges { id source target type evidence { sentence quote confidence } } } }"""
CONCURRENCY = (1, 16, 64)
HEADER = " ".join(
    [
        f"{'path':8}",
        *(f"{h:>{w}}" for h, w in (("conc", 5), ("reqs", 6), ("err", 4), ("req/s", 8))),
        *(f"{h:>8}" for h in ("p50 ms", "p95 ms", "p99 ms")),
    ]
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def run_load(
    call: Callable[[], Awaitable[bool]],
    concurrency: int,
    requests: int,
    max_s: float,
    latencies_out: list[float] | None = None,
) -> dict:
    """`requests` calls from `concurrency` workers, or fewer if `max_s` runs out first; each latency is
    also appended to `latencies_out` when given (to pool steps run in rounds)."""
    latencies: list[float] = [] if latencies_out is None else latencies_out
    already = len(latencies)
    errors = 0  # answers that were not a 200 with data and no GraphQL error
    transport_errors = 0  # the request never got an answer (connection refused or dropped)
    issued = 0
    kinds: dict[str, int] = {}
    deadline = time.perf_counter() + max_s

    async def worker() -> None:
        nonlocal errors, transport_errors, issued
        while issued < requests and time.perf_counter() < deadline:
            issued += 1
            t0 = time.perf_counter()
            try:
                ok = await call()
            except (httpx.TransportError, ConnectionFailed) as exc:
                transport_errors += 1
                kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
                ok = True
            except Exception:  # noqa: BLE001 - counted, the bench goes on
                ok = False
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += not ok

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies = latencies[already:]
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "transport_errors": transport_errors,
        "transport_error_kinds": kinds,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "elapsed_s": round(elapsed, 3),
    }


def cpu_timed(call: Callable[[], Awaitable[bool]], spent: list[float]) -> Callable[[], Awaitable[bool]]:
    """`call`, with the CPU seconds this bench's thread spends on it appended to `spent` (one request at
    a time: nothing else runs on the event loop meanwhile, so the thread's CPU is the call's)."""

    async def timed() -> bool:
        started = time.thread_time()
        try:
            return await call()
        finally:
            spent.append(time.thread_time() - started)

    return timed


async def run_paired(
    api: Callable[[], Awaitable[bool]], driver: Callable[[], Awaitable[bool]], requests: int
) -> tuple[dict, dict]:
    """Concurrency 1, API and driver calls alternating, so both see the same machine at the same time.

    On a shared 2-core machine the load drifts within seconds; measuring the two paths back to back
    would fold that drift into their ratio. Each side's row also gets the bench process's own CPU per
    call (`client_cpu_ms_per_req`): for the API, the HTTP client and the JSON parse; for the driver, the
    whole read (packing, Bolt decoding, the records). Unlike latency, CPU is not stretched by the other
    jobs on the machine.
    """
    api_rows, driver_rows = [], []
    api_cpu: list[float] = []
    driver_cpu: list[float] = []
    api, driver = cpu_timed(api, api_cpu), cpu_timed(driver, driver_cpu)
    for _ in range(requests):
        api_rows.append(await run_load(api, 1, 1, 30))
        driver_rows.append(await run_load(driver, 1, 1, 30))
    merged = _merge(api_rows), _merge(driver_rows)
    for row, spent in zip(merged, (api_cpu, driver_cpu), strict=True):
        row["client_cpu_ms_per_req"] = round(1000 * statistics.fmean(spent), 2) if spent else None
    return merged


def load_average() -> float | None:
    """The machine's 1-minute load average (Linux), printed with each c=1 comparison."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _merge(rows: list[dict]) -> dict:
    latencies = [r["p50_ms"] for r in rows]  # one request each: its p50 is its latency
    total_s = sum(latencies) / 1000
    return {
        "concurrency": 1,
        "requests": len(rows),
        "errors": sum(r["errors"] for r in rows),
        "transport_errors": sum(r["transport_errors"] for r in rows),
        "transport_error_kinds": {},
        "rps": round(len(rows) / total_s, 1) if total_s else 0.0,
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
    }


def graphql_call(client: LeanClient, query: str, key: str) -> Callable[[], Awaitable[bool]]:
    async def call() -> bool:
        status, raw = await client.post("/graphql", {"query": query})
        if status != 200:
            return False
        body = orjson.loads(raw)
        return "errors" not in body and bool(body["data"][key])

    return call


def driver_call(
    driver: AsyncDriver, db: str, cypher: str, params: dict[str, Any]
) -> Callable[[], Awaitable[bool]]:
    """The statement through the driver, in the same kind of transaction the API reads in (an auto-commit
    read, `CypherExecutor.read`), so the floor differs from the API by the API alone."""
    executor = CypherExecutor(driver, db, timeout_s=10.0)

    async def call() -> bool:
        return bool(await executor.read(cypher, **params))

    return call


async def statement_of(
    settings: Settings, driver: AsyncDriver, document: str, variables: dict[str, Any] | None
) -> tuple[str, dict[str, Any]]:
    """The Cypher statement and parameters this checkout's API sends for `document`: the document run in
    process on the API's schema, its read seen by a query listener."""
    seen: list[tuple[str, dict[str, Any]]] = []
    state = SimpleNamespace(driver=driver, query_listeners=[lambda c, p: seen.append((c, p))])
    result = await build_schema(settings).execute(
        document, variable_values=variables, context_value=make_context(settings, state)
    )
    if result.errors or len(seen) != 1:
        raise SystemExit(f"the document did not run as one statement here: {result.errors}, {len(seen)}")
    return seen[0]


def start_server(port: int) -> subprocess.Popen[bytes]:
    """The service exactly as users run it (`kg serve`), minus the access log."""
    kg = str(Path(sys.executable).with_name("kg"))
    return subprocess.Popen(
        [kg, "serve", "--port", str(port), "--no-access-log", "--no-load-seeds"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "KG_ENV": "test"},
    )


async def wait_for(url: str, proc: subprocess.Popen[bytes], limit_s: float = 90) -> None:
    async with httpx.AsyncClient() as client:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit("the API server exited during start-up")
            try:
                if (await client.get(url, timeout=2)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.3)
    raise SystemExit(f"the API did not answer at {url} within {limit_s:.0f} s")


async def compare(
    workloads: dict[str, tuple[Callable[[], Callable[[], Awaitable[bool]]], Callable[[], Awaitable[bool]]]],
    meter: CpuMeter,
    floor: dict[str, Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Each workload through the API and through the driver: c=1 paired, then c=16 and c=64."""
    out: dict[str, Any] = {}
    for name, (new_api_call, baseline) in workloads.items():
        for call in (new_api_call(), baseline):  # warm caches, pools and the query plan
            await run_load(call, 4, 40, 10)
        rows = {"api": [], "driver": []}
        print(f"\n{name}")
        print(HEADER)
        for c in CONCURRENCY:
            if c == 1:
                meter.start()
                load_before = load_average()
                paired = await run_paired(new_api_call(), baseline, args.requests)
                server_s, _ = meter.stop()
                paired[0]["server_cpu_ms_per_req"] = round(1000 * server_s / max(args.requests, 1), 1)
                paired[0]["load_average"] = [load_before, load_average()]
                steps = list(zip(("api", "driver"), paired, strict=True))
            else:
                steps = [
                    (path, await run_load(call, c, args.requests * max(1, c // 4), args.max_seconds))
                    for path, call in (("api", new_api_call()), ("driver", baseline))
                ]
            for path, r in steps:
                rows[path].append(r)
                print(
                    f"{path:8} {c:>5} {r['requests']:>6} {r['errors']:>4} {r['rps']:>8} "
                    f"{r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8}"
                )
        api_c1, drv_c1 = rows["api"][0], rows["driver"][0]
        if drv_c1["errors"]:
            raise SystemExit(
                f"{name}: the driver floor failed {drv_c1['errors']} of {drv_c1['requests']} requests "
                "(do its parameters still match the statement in graph/queries.py?)"
            )
        # The API's own CPU per request (every worker, from /proc): unlike its latency, not
        # stretched by the other jobs sharing the machine.
        print(f"api server CPU per request at c=1: {api_c1['server_cpu_ms_per_req']} ms")
        # CPU per request of each path outside Neo4j (which runs the same statement for both): the API's
        # server and its caller's HTTP and parse, against the driver's caller. On a machine shared with
        # other jobs, wall time stretches roughly with the CPU a path needs, so this is the part of the
        # ratio that does not move with the load.
        api_cpu = api_c1["server_cpu_ms_per_req"] + api_c1["client_cpu_ms_per_req"]
        print(
            f"CPU per request at c=1 outside Neo4j: api {api_cpu:.2f} ms (server "
            f"{api_c1['server_cpu_ms_per_req']} + client {api_c1['client_cpu_ms_per_req']}), driver's "
            f"caller {drv_c1['client_cpu_ms_per_req']} ms; load average {api_c1['load_average']}"
        )
        ratio = round(api_c1["p50_ms"] / drv_c1["p50_ms"], 2) if drv_c1["p50_ms"] else None
        drv_p50 = drv_c1["p50_ms"]
        best = round((drv_p50 + floor["p50_ms"]) / drv_p50, 2) if drv_p50 else None
        print(f"p50 ratio API / driver at c=1: {ratio} (driver + the HTTP/GraphQL floor alone: {best})")
        out[name] = {
            **rows,
            "api_to_driver_p50_ratio_c1": ratio,
            "floor_to_driver_p50_ratio_c1": best,
            "api_errors_c64": rows["api"][-1]["errors"] + rows["api"][-1]["transport_errors"],
        }
    return out


async def main(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    db = settings.neo4j_database
    driver = open_driver(settings.connection, notifications_min_severity="OFF")  # as the API's
    await wait_until_ready(driver, settings.bolt_uri, timeout=60)
    await migrate(driver, db)
    await ingest_seeds_if_empty(driver, settings)

    port = free_port()
    proc = start_server(port)
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {"workloads": {}}
    try:
        await wait_for(f"{base}/health", proc)
        # Each API step gets its own client: connections idle through a driver step would otherwise be
        # closed by uvicorn's keep-alive timeout and fail the next step's first requests client-side.
        # The client is lean_http's, not httpx (1.5-2 ms of the bench's CPU per request, in every latency).
        clients: list[LeanClient] = []

        def fresh_client() -> LeanClient:
            client = LeanClient("127.0.0.1", port, timeout_s=30)
            clients.append(client)
            return client

        # The driver floor runs the statement and parameters the API sends for each document, taken from
        # the API's own code (the document run in process), so that the two cannot drift apart.
        statements = {
            key: await statement_of(settings, driver, document, None)
            for key, document in (("responses", RESPONSES_GQL), ("subgraph", SUBGRAPH_GQL))
        }
        for key, (cypher, params) in statements.items():
            shown = {k: v for k, v in params.items() if k not in ("key", "lower", "phrase", "label")}
            print(f"driver floor for {key}: {len(cypher)} characters of Cypher, parameters {shown}")
        workloads = {
            "responses": (
                lambda: graphql_call(fresh_client(), RESPONSES_GQL, "responses"),
                driver_call(driver, db, *statements["responses"]),
            ),
            "subgraph_depth2": (
                lambda: graphql_call(fresh_client(), SUBGRAPH_GQL, "subgraph"),
                driver_call(driver, db, *statements["subgraph"]),
            ),
        }
        # The API's fixed cost: `{ __typename }` reaches no resolver and no Neo4j, so its latency is the
        # HTTP round trip through the server and the GraphQL engine alone. The API can get no closer to
        # the driver than the driver's p50 plus this.
        typename = graphql_call(fresh_client(), "{ __typename }", "__typename")
        await run_load(typename, 1, 40, 10)
        floor = await run_load(typename, 1, args.requests, args.max_seconds)
        results["http_graphql_floor_p50_ms"] = floor["p50_ms"]
        print(f"\nHTTP + GraphQL, no resolver ('{{ __typename }}'), c=1: p50 {floor['p50_ms']} ms")
        meter = CpuMeter(proc.pid, None)
        print("\n== the seeds")
        results["workloads"] = await compare(workloads, meter, floor, args)
        if args.articles:
            from bench_peer import load_graph  # bench_peer imports this module

            # The graph bench-peer measures on (the issue's own figures were taken there): the same
            # comparison on the seeds plus generated articles, as a second table.
            results["bench_graph"] = {"graph": await load_graph(settings, args.articles)}
            print(f"\n== the seeds + {args.articles} generated articles: {results['bench_graph']['graph']}")
            results["bench_graph"]["workloads"] = await compare(workloads, meter, floor, args)
        for client in clients:
            await client.aclose()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        await driver.close()
    tables = [results["workloads"]] + ([results["bench_graph"]["workloads"]] if args.articles else [])
    # issue 9: the API's p50 at most 1.3x the driver running the same Cypher (per table: seeds, bench graph)
    results["target_p50_ratio_le_1_3"] = [
        all(
            w["api_to_driver_p50_ratio_c1"] is not None and w["api_to_driver_p50_ratio_c1"] <= 1.3
            for w in t.values()
        )
        for t in tables
    ]
    results["target_no_errors_c64"] = all(w["api_errors_c64"] == 0 for t in tables for w in t.values())
    return results


if __name__ == "__main__":
    # A SIGTERM still runs the `finally` that stops the API server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="requests per step at concurrency 1-4")
    parser.add_argument("--max-seconds", type=float, default=15.0, help="time cap of each step")
    parser.add_argument(
        "--articles",
        type=int,
        default=0,
        help="after the seeds' table, add this many generated articles (bench-peer's graph), compare again",
    )
    summary = asyncio.run(main(parser.parse_args()))
    print(json.dumps(summary, separators=(",", ":")))
