"""A/B of two versions of the API at concurrency 1, with the raw driver as the floor of both.

Two `kg serve` servers (one worker each) on one Neo4j: A runs the code of `--server-path` (a checkout of
an older commit: `git archive <commit> app graph ingest | tar -x -C DIR`), B the code of this checkout.
For each workload the bench process sends blocks of `--per-block` requests to A, to B and the same
statement through the driver (an auto-commit read, as `bench_api.py`'s floor), the order of the three
turning around every block, so all three see the same machine; then prints each one's p50 and the
ratios to the floor, the p90s, and each server's CPU per request (its process tree, from /proc: unlike
latency, not stretched by the other jobs on the machine). The API's answers are parsed (orjson), as
bench_api.py's timed calls parse them: the caller ends with the answer's values, as the driver's caller
ends with the records' values (the driver decodes Bolt). Loopback only, bounded in count.

Run against a throwaway Neo4j: `tests/with_neo4j.sh .venv/bin/python tests/bench/bench_api_ab.py
--server-path DIR` (the seeds and `--articles` generated articles are loaded when the graph has no
article), or with `NEO4J_URI` set to a graph already loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import RESPONSES_GQL, SUBGRAPH_GQL, statement_of, wait_for  # noqa: E402
from bench_peer import PROJECT_RESPONSES, PROJECT_SUBGRAPH  # noqa: E402
from bench_peer_cpu import tree_cpu_s  # noqa: E402
from lean_http import LeanClient  # noqa: E402
from profile_api import ensure_graph  # noqa: E402

from app.config import PROJECT_ROOT, Settings  # noqa: E402
from app.graphql.context import CypherExecutor  # noqa: E402
from graph.driver import open_driver  # noqa: E402
from graph.launcher import free_port  # noqa: E402

WORKLOADS: dict[str, tuple[str, dict[str, Any] | None]] = {
    "responses": (RESPONSES_GQL, None),  # bench-api's documents
    "depth2": (SUBGRAPH_GQL, None),
    "peer-responses": (PROJECT_RESPONSES, {"to": "Krasner"}),  # bench-peer's
    "peer-depth2": (PROJECT_SUBGRAPH, {"to": "Krasner"}),
}


def serve(port: int, path: Path | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KG_ENV": "test", "KG_WORKERS": "1"}
    if path is not None:
        env["PYTHONPATH"] = str(path.resolve())
    kg = str(Path(sys.executable).with_name("kg"))
    return subprocess.Popen(
        [kg, "serve", "--port", str(port), "--no-access-log", "--no-load-seeds"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )


async def run(args: argparse.Namespace) -> None:
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    ports = {"A": free_port(), "B": free_port()}
    servers = {"A": serve(ports["A"], args.server_path), "B": serve(ports["B"], None)}
    driver = open_driver(settings.connection, notifications_min_severity="OFF")
    try:
        for name, port in ports.items():
            await wait_for(f"http://127.0.0.1:{port}/health", servers[name])
        clients = {name: LeanClient("127.0.0.1", port) for name, port in ports.items()}
        floor = CypherExecutor(driver, settings.neo4j_database, timeout_s=10.0)
        for workload in args.workloads.split(","):
            document, variables = WORKLOADS[workload]
            cypher, params = await statement_of(settings, driver, document, variables)
            body: dict[str, Any] = {"query": document}
            if variables:
                body["variables"] = variables
            for name in clients:  # warm-up, and the answers must be good
                for _ in range(20):
                    status, raw = await clients[name].post("/graphql", body)
                    if status != 200 or b'"errors"' in raw:
                        raise SystemExit(f"{name} answered {status}: {raw[:300]!r}")
            latencies: dict[str, list[float]] = {"A": [], "B": [], "driver": []}
            cpu_s = {"A": 0.0, "B": 0.0}  # each server's CPU (its process tree, /proc) over its blocks
            for block in range(args.blocks):
                order = ("A", "B", "driver") if block % 2 == 0 else ("driver", "B", "A")
                for side in order:
                    if side != "driver":
                        cpu_s[side] -= tree_cpu_s(servers[side].pid)
                    for _ in range(args.per_block):
                        t0 = time.perf_counter()
                        if side == "driver":
                            await floor.read(cypher, **params)
                        else:
                            # parsed, as bench_api.py's and bench_peer.py's timed calls parse: the
                            # client has the answer's values, as the driver's caller has the records'
                            orjson.loads((await clients[side].post("/graphql", body))[1])
                        latencies[side].append((time.perf_counter() - t0) * 1000)
                    if side != "driver":
                        cpu_s[side] += tree_cpu_s(servers[side].pid)
            p50 = {side: statistics.median(values) for side, values in latencies.items()}
            p90 = {side: statistics.quantiles(values, n=10)[-1] for side, values in latencies.items()}
            cpu = {side: 1000 * used / (args.blocks * args.per_block) for side, used in cpu_s.items()}
            print(
                f"{workload:15} p50 A {p50['A']:7.2f}  B {p50['B']:7.2f}  driver {p50['driver']:7.2f} ms;"
                f"  over the driver A {p50['A'] / p50['driver']:.2f}  B {p50['B'] / p50['driver']:.2f};"
                f"  p90 A {p90['A']:.2f}  B {p90['B']:.2f}  driver {p90['driver']:.2f};"
                f"  server CPU per request A {cpu['A']:.2f}  B {cpu['B']:.2f} ms"
                f"  (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    finally:
        await driver.close()
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--server-path", type=Path, required=True, help="the older checkout (A)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help=f"of {', '.join(WORKLOADS)}")
    parser.add_argument("--blocks", type=int, default=6)
    parser.add_argument("--per-block", type=int, default=50)
    parser.add_argument("--articles", type=int, default=300, help="generated articles, if the graph has none")
    args = parser.parse_args()
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    ensure_graph(settings, args.articles)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
