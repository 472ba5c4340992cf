"""`kg serve` as a newcomer starts it: once it is up it prints where everything is, and each address
it prints answers; the token it made for the run opens /cypher."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from graph.launcher import free_port

pytestmark = pytest.mark.integration

KG = str(Path(sys.executable).parent / "kg")


def test_serve_prints_a_summary_whose_addresses_work(settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")} | {
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "KG_ENV": "development",
        "COLUMNS": "200",
        # One worker per core, two here: the summary must wait until a worker answers, since workers
        # start after the socket is bound (printed at once, the first request found none for 10+ s).
        "KG_WORKERS": "2",
    }
    proc = subprocess.Popen(
        [KG, "serve", "--port", str(port), "--no-access-log"],
        cwd=tmp_path,  # no .env from the checkout
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 120
        assert proc.stderr is not None
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            lines.append(line)
            if "KG_API_TOKEN=<a long secret> in .env" in line:
                break
        text = "".join(lines)
        assert "Newsgraph is ready" in text, text
        base = f"http://127.0.0.1:{port}"
        token = re.search(r"API token\s+(\S+)", text)
        assert token, text
        viewer = httpx.get(re.search(r"Viewer\s+(\S+)", text).group(1), timeout=30)  # type: ignore[union-attr]
        assert viewer.status_code == 200 and "Newsgraph" in viewer.text
        ide = httpx.get(
            re.search(r"GraphiQL\s+(\S+)", text).group(1), headers={"accept": "text/html"}, timeout=30
        )  # type: ignore[union-attr]
        assert ide.status_code == 200 and "graphiql" in ide.text.lower()
        assert f"POST {base}/cypher" in text
        cypher = httpx.post(
            f"{base}/cypher",
            json={"query": "RETURN 1 AS one"},
            headers={"authorization": f"Bearer {token.group(1)}"},
            timeout=30,
        )
        assert cypher.status_code == 200, cypher.text
        assert settings.bolt_uri in text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
