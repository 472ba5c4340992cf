"""Where the API spends its CPU under load: `kg serve` run under py-spy (every worker process sampled),
while `responses(to: "Krasner")` and Krasner's depth-2 neighbourhood are asked at concurrency 16.

Run against a throwaway Neo4j: `tests/with_neo4j.sh .venv/bin/python tests/bench/profile_api.py`. It
ingests the seeds and `--articles` generated ones (unless the graph has articles; `--workload responses`
asks only `responses`), then prints the top
frames by own samples and by samples including callees, per cent of all samples. `--server-path` puts
another checkout first on the server's PYTHONPATH (to profile an older version against the same graph).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import RESPONSES_GQL, SUBGRAPH_GQL  # noqa: E402
from bench_peer import PROJECT_RESPONSES, PROJECT_SUBGRAPH, caller, load_graph  # noqa: E402
from lean_http import LeanClient  # noqa: E402

from app.config import PROJECT_ROOT, Settings  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.launcher import free_port  # noqa: E402


def top_frames(raw: Path, n: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """From py-spy's collapsed stacks: the frames with most own samples, and with most samples in all."""
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        k = int(count)
        samples += k
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        if frames:
            own[frames[-1]] += k
        for frame in set(frames):
            total[frame] += k
    share = 100.0 / max(samples, 1)
    return (
        [(f, round(c * share, 1)) for f, c in own.most_common(n)],
        # Frames under which nearly everything runs (the CLI, the event loop, the ASGI stack) say nothing.
        [(f, round(c * share, 1)) for f, c in total.most_common() if c * share < 80][:n],
    )


# Where a sample's time goes, by the deepest frame that belongs to one of these parts (first match wins
# from the leaf up): so a resolver's Cypher counts for the driver, not for graphql-core above it.
PARTS = (
    ("neo4j driver (Bolt, decoding)", ("neo4j/",)),
    ("JSON encoding", ("json/encoder.py", "orjson", "encode_json")),
    ("app: records to objects", ("from_record", "from_node", "from_props", "records.py")),
    ("app: short execution path", ("app/graphql/execution.py",)),
    ("app: other", ("app/",)),
    ("strawberry per-field wrappers", ("schema_converter.py", "types/field.py", "build_resolve_info")),
    ("graphql-core execution", ("graphql/execution/", "graphql/type/", "graphql/pyutils/")),
    ("graphql-core parse and validation", ("graphql/language/", "graphql/validation/")),
    ("strawberry other", ("strawberry/",)),
    ("ASGI stack (uvicorn, starlette, fastapi)", ("uvicorn/", "starlette/", "fastapi/")),
    ("event loop and sockets", ("asyncio/",)),
)


def part_shares(raw: Path) -> list[tuple[str, float]]:
    """Share of all samples per part of the stack (PARTS), by the deepest frame that names one."""
    counts: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples += int(count)
        part = "other"
        for frame in reversed(stack.split(";")):
            part = next((name for name, marks in PARTS if any(m in frame for m in marks)), "")
            if part:
                break
        counts[part or "other"] += int(count)
    return [(name, round(100.0 * c / max(samples, 1), 1)) for name, c in counts.most_common()]


WORKLOADS = {
    "responses": ((PROJECT_RESPONSES, "responses"),),
    "depth2": ((PROJECT_SUBGRAPH, "subgraph"),),
    "both": ((PROJECT_RESPONSES, "responses"), (PROJECT_SUBGRAPH, "subgraph")),
    # bench-api's documents (the ones its 1.3x-the-driver target is judged on)
    "api-responses": ((RESPONSES_GQL, "responses"),),
    "api-depth2": ((SUBGRAPH_GQL, "subgraph"),),
}


async def load(port: int, seconds: float, concurrency: int, workload: str = "both") -> int:
    client = LeanClient("127.0.0.1", port, timeout_s=60)
    calls = [caller(client, doc, {"to": "Krasner"}, key) for doc, key in WORKLOADS[workload]]
    done = 0
    deadline = time.monotonic() + seconds

    async def worker(i: int) -> None:
        nonlocal done
        while time.monotonic() < deadline:
            await calls[i % len(calls)]()
            done += 1

    try:
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
    finally:
        await client.aclose()
    return done


async def wait_up(port: int, limit_s: float = 120) -> None:
    async with httpx.AsyncClient() as client:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"http://127.0.0.1:{port}/health", timeout=2)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
    raise SystemExit("the API did not start")


async def article_count(settings: Settings) -> int:
    """Articles already in the graph: a graph loaded before (NEO4J_URI set) is profiled as it is."""
    driver = open_driver(settings.connection, notifications_min_severity="OFF")
    try:
        await wait_until_ready(driver, settings.bolt_uri, timeout=60)
        records, _, _ = await driver.execute_query(
            "RETURN COUNT { (:Article) } AS n", database_=settings.neo4j_database
        )
        return int(records[0]["n"])
    finally:
        await driver.close()


def ensure_graph(settings: Settings, articles: int) -> None:
    """Load the seeds and `articles` generated ones when the graph is empty; a loaded graph is used as
    it is (shared by the API benches that need the bench graph)."""
    if asyncio.run(article_count(settings)) == 0:
        print(f"graph: {asyncio.run(load_graph(settings, articles))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="both", help="what the load asks")
    parser.add_argument("--server-path", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("var/profile.txt"))
    args = parser.parse_args()
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    ensure_graph(settings, args.articles)
    port = free_port()
    env = {**os.environ, "KG_ENV": "test"}
    if args.server_path:
        env["PYTHONPATH"] = str(args.server_path.resolve())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    kg = str(Path(sys.executable).with_name("kg"))
    server = subprocess.Popen(
        [kg, "serve", "--port", str(port), "--no-access-log", "--no-load-seeds"], cwd=PROJECT_ROOT, env=env
    )
    try:
        asyncio.run(wait_up(port))
        asyncio.run(load(port, 5, 4))  # warm up
        spy = str(Path(sys.executable).with_name("py-spy"))
        duration = str(int(args.seconds))
        recorder = subprocess.Popen(
            [spy, "record", "--subprocesses", "--pid", str(server.pid), "--duration", duration]
            + ["--rate", "100", "--format", "raw", "--output", str(args.out), "--nonblocking"],
            stdout=subprocess.DEVNULL,
        )
        answered = asyncio.run(load(port, args.seconds, args.concurrency, args.workload))
        recorder.wait(timeout=120)
        print(f"{answered} requests in {args.seconds:.0f} s at concurrency {args.concurrency}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    print("\nshare of all samples by part of the stack (deepest frame)")
    for part, pct in part_shares(args.out):
        print(f"{pct:6.1f}  {part}")
    own, total = top_frames(args.out, args.top)
    print("\ntop frames by own samples (% of all samples)")
    for frame, pct in own:
        print(f"{pct:6.1f}  {frame}")
    print("\ntop frames including callees (% of all samples)")
    for frame, pct in total:
        print(f"{pct:6.1f}  {frame}")


if __name__ == "__main__":
    main()
