"""Jobs, outages and hygiene attacked (issue 11, failures 7, 9 and 10, and the checks that held):
every job ends within a minute of its owner's death, a job queued just before the database went away
runs when it returns, every endpoint says 503 while it is away, the service recovers by itself, the
local Neo4j comes back after kill -9, and a refused production start never prints the token."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from bolt_relay import Relay
from live_server import KG, MEMORY_LIMIT_MB, Server, start_server_async, stop_server

from app.config import Settings
from graph.launcher import free_port, status

pytestmark = [pytest.mark.integration, pytest.mark.redteam]

JOB = "query($id: ID!) { ingestJob(id: $id) { status ingested errors { code } } }"


def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def story(t: str, n: int) -> str:
    return (
        f"Budget fight {n} {t}\n\nGovernor Maria Quell{t} criticized Senator Paul Varn{t} on Tuesday over "
        f"budget number {n}. 'This budget abandons our schools,' Quell{t} said at a press conference. "
        f"Varn{t} defended the plan and said the cuts were needed to balance the books on day {n}.\n"
    )


def kg_env(settings: Settings) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("KG_")},
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
    }


@pytest.mark.slow
def test_failure_9_a_kg_ingest_killed_with_9_has_its_job_failed_by_the_server_within_a_minute(
    server: Server, settings: Settings, tmp_path: Path
) -> None:
    t = tok()
    for n in range(40):
        (tmp_path / f"story-{n:02d}.txt").write_text(story(t, n), encoding="utf-8")
    proc = subprocess.Popen(
        [KG, "ingest", str(tmp_path)],
        env=kg_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    job_id = None
    try:
        deadline = time.monotonic() + 180
        while job_id is None and time.monotonic() < deadline and proc.poll() is None:
            rows = server.cypher(
                "MATCH (j:IngestJob) WHERE j.owner ENDS WITH $pid AND j.status = 'running' "
                "AND j.processed >= 1 RETURN j.id",
                {"pid": f":{proc.pid}"},
            ).json()["rows"]
            job_id = rows[0][0] if rows else None
            time.sleep(0.2)
        assert job_id, "kg ingest never got to write"
        proc.send_signal(signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    # The server sweeps at the shipped period (KG_JOB_SWEEP_S), so this is the bound users get.
    killed = time.monotonic()
    while time.monotonic() - killed < 60:
        job = server.gql(JOB, {"id": job_id}).json()["data"]["ingestJob"]
        if job["status"] != "RUNNING":
            break
        time.sleep(0.5)
    assert job["status"] == "FAILED" and job["errors"][-1]["code"] == "interrupted", job
    # Held: kill -9 mid-ingest leaves every article all or nothing (each one written has its mentions).
    rows = server.cypher(
        "MATCH (a:Article) WHERE a.title CONTAINS $t RETURN a.id, COUNT { (a)-[:MENTIONS]->() } AS m",
        {"t": t},
    ).json()["rows"]
    assert rows and all(m > 0 for _, m in rows), rows


async def gql_async(client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str) -> Any:
    r = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
    )
    return r


@pytest.mark.slow
async def test_failure_9_and_7_a_job_queued_before_the_database_went_away_runs_when_it_returns(
    settings: Settings,
) -> None:
    target = urlparse(settings.bolt_uri)
    relay = Relay(target.hostname or "127.0.0.1", target.port or 7687)
    await relay.restore()
    via = settings.model_copy(update={"neo4j_uri": relay.uri})
    server = await start_server_async(via)
    t = tok()
    try:
        async with httpx.AsyncClient(base_url=server.base, timeout=30) as c:
            submit = "mutation($i: [IngestArticleInput!]!) { ingestArticles(inputs: $i) { id } }"
            body = (await gql_async(c, submit, {"i": [{"text": story(t, 1)}]}, server.token)).json()
            job_id = body["data"]["ingestArticles"]["id"]
            relay.cut()
            await asyncio.sleep(2)
            # Failure 7: while Neo4j is away every endpoint says 503 with Retry-After, GraphQL included.
            for method, path, payload in (
                ("GET", "/health", None),
                ("POST", "/graphql", {"query": "{ stats { entities } }"}),
                ("POST", "/cypher", {"query": "RETURN 1"}),
            ):
                r = await c.request(
                    method, path, json=payload, headers={"authorization": f"Bearer {server.token}"}
                )
                assert r.status_code == 503 and "retry-after" in r.headers, (path, r.status_code, r.text)
            await asyncio.sleep(3)
            await relay.restore()
            # Held: the API recovers by itself once Neo4j is back.
            deadline = time.monotonic() + 60
            for _ in range(120):
                if (await c.get("/health")).status_code == 200:
                    break
                await asyncio.sleep(0.5)
            assert (await c.get("/health")).status_code == 200
            # Failure 9: the job queued just before the outage did not stay QUEUED: it ran.
            while time.monotonic() < deadline + 120:
                job = (await gql_async(c, JOB, {"id": job_id}, server.token)).json()["data"]["ingestJob"]
                if job["status"] in ("SUCCEEDED", "FAILED"):
                    break
                await asyncio.sleep(0.5)
            assert job["status"] == "SUCCEEDED" and job["ingested"] == 1, job
    finally:
        stop_server(server)
        relay.cut()
    assert server.peak_rss_mb < MEMORY_LIMIT_MB, f"the API reached {server.peak_rss_mb:.0f} MB"


def test_failure_7_a_refused_production_start_never_prints_the_token(
    settings: Settings, tmp_path: Path
) -> None:
    token = "short-" + secrets.token_hex(4)  # too short for production: refused
    env = kg_env(settings) | {"KG_ENV": "production", "KG_API_TOKEN": token, "COLUMNS": "200"}
    r = subprocess.run(
        [KG, "serve", "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert r.returncode != 0
    assert "KG_API_TOKEN" in r.stderr + r.stdout
    for part in (token, token[6:], token[:8]):
        assert part not in r.stderr + r.stdout


@pytest.mark.slow
def test_failure_10_the_local_neo4j_starts_again_right_after_a_kill_9(tmp_path: Path) -> None:
    port, data = free_port(), tmp_path / "neo4j"
    args = ["--port", str(port), "--data-dir", str(data)]
    # A second JVM beside the suite's Neo4j and server: under load its start can pass the default 120 s,
    # which is not what this test is about (the restart being refused is).
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"} | {"KG_NEO4J_START_TIMEOUT": "600"}
    first = subprocess.run(
        [KG, "neo4j", "start", *args], env=env, capture_output=True, text=True, timeout=660
    )
    assert first.returncode == 0, first.stderr
    try:
        pid = status(data).pid
        assert pid
        os.kill(pid, signal.SIGKILL)
        time.sleep(1)
        again = subprocess.run(
            [KG, "neo4j", "start", *args], env=env, capture_output=True, text=True, timeout=660
        )
        assert again.returncode == 0, again.stderr
        assert "port already taken" not in again.stderr  # it used to refuse for a minute (TIME_WAIT)
    finally:
        subprocess.run(
            [KG, "neo4j", "stop", "--data-dir", str(data)], env=env, capture_output=True, timeout=120
        )
