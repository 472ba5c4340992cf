"""The GraphQL-over-HTTP audit (npm `graphql-http`'s `auditServer`) against the live server.

The server runs as it does in production use (uvicorn, a real socket on loopback); the audits only
send `{ __typename }`-style documents, so no data is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from app.config import PROJECT_ROOT
from graph.launcher import free_port

AUDIT = PROJECT_ROOT / "tests" / "conformance" / "audit.mjs"
SERVER = (
    "import uvicorn; from app.main import create_app; from app.config import Settings; "
    "uvicorn.run(create_app(Settings(), recover_jobs=False), host='127.0.0.1', port={port}, "
    "access_log=False, log_level='warning')"
)


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "KG_ENV": "test"}
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(port=port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                httpx.get(f"{base}/health", timeout=2)  # 200 or 503: either way it is serving
                break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            raise RuntimeError("the server did not answer within 60 s")
        yield f"{base}/graphql"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_every_graphql_over_http_audit_passes(live_server: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    if not (PROJECT_ROOT / "node_modules" / "graphql-http").is_dir():
        pytest.fail("node_modules/graphql-http is missing: run `make web` (npm ci)")
    # Twice: the second run finds its documents known, so the known-query lane (app/graphql/fast_lane.py)
    # answers what it can of them, and must answer as the full path did.
    for _ in range(2):
        run = subprocess.run([node, str(AUDIT), live_server], capture_output=True, text=True, timeout=120)
        summary = json.loads(run.stdout.strip().splitlines()[-1])
        assert summary["mustFailures"] == 0, run.stdout
        assert summary["failures"] == [], run.stdout  # the SHOULDs too: all 61
        assert summary["ok"] == summary["total"] >= 61
