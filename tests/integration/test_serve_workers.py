"""Serving under load, against a real Neo4j: a transaction ends when its client goes away, and
`kg serve` runs KG_WORKERS worker processes behind one port."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import psutil
import pytest
import uvicorn
from fastapi import FastAPI
from neo4j import AsyncDriver
from slow_reads import running, slow_query

from app.config import Settings
from app.serving import AdmissionControl
from graph.launcher import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
MARKER = "kg-test-cancel-on-disconnect"
SLOW = slow_query(MARKER)


async def _running(driver: AsyncDriver, db: str) -> int:
    return await running(driver, db, MARKER)


async def test_a_client_that_disconnects_has_its_transaction_ended(
    driver: AsyncDriver, settings: Settings
) -> None:
    db = settings.neo4j_database
    app = FastAPI()

    @app.post("/graphql")
    async def slow() -> dict[str, int]:
        records, _, _ = await driver.execute_query(SLOW, database_=db)
        return {"n": records[0]["n"]}

    guarded = AdmissionControl(app, max_inflight=4, max_queue=10, queue_wait_s=5)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(guarded, host="127.0.0.1", port=port, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(200):  # uvicorn has no start event to wait on
            if server.started:
                break
            await asyncio.sleep(0.05)  # noqa: ASYNC110
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        body = b'{"query": "{ slow }"}'
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        await writer.drain()
        deadline = time.monotonic() + 10
        while await _running(driver, db) == 0:
            assert time.monotonic() < deadline, "the slow query never started"
            await asyncio.sleep(0.1)
        writer.close()  # the client gives up
        gone_by = time.monotonic() + 5
        while await _running(driver, db) > 0:
            assert time.monotonic() < gone_by, "the transaction outlived its client by 5 s"
            await asyncio.sleep(0.1)
        assert guarded.cancelled == 1
    finally:
        server.should_exit = True
        await serving


def test_kg_serve_runs_kg_workers_processes_behind_one_port(settings: Settings) -> None:
    port = free_port()
    env = {
        **os.environ,
        "KG_WORKERS": "2",
        "KG_PORT": str(port),
        "KG_ENV": "development",
        "NEO4J_URI": settings.bolt_uri,
    }
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "kg"), "serve", "--no-access-log"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()[0]
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "kg serve did not answer within 60 s"
            time.sleep(0.3)
        workers = [c for c in psutil.Process(proc.pid).children(recursive=True) if "python" in c.name()]
        assert len(workers) >= 2, [c.cmdline() for c in workers]
        for _ in range(6):
            answer = httpx.post(
                f"http://127.0.0.1:{port}/graphql", json={"query": "{ stats { labels { label count } } }"}
            )
            assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, out
    assert out.count("Started server process") == 2, out
    assert "workers: 2 processes" in out
