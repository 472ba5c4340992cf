"""The local Neo4j's footprint on a laptop: the seeds take a few MB, not half a gigabyte of
preallocated transaction logs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from app.config import PROJECT_ROOT
from graph.launcher import free_port

pytestmark = pytest.mark.integration

KG = str(Path(sys.executable).with_name("kg"))
PASSWORD = "store-size-test-pw"
LIMIT_MB = 50


def kg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NEO4J_PASSWORD": PASSWORD, "COLUMNS": "200", **env}
    full_env.pop("NEO4J_URI", None)
    return subprocess.run([KG, *args], capture_output=True, text=True, env=full_env, timeout=600, check=False)


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def test_the_store_with_the_seeds_stays_small(tmp_path: Path) -> None:
    data, port = tmp_path / "db", free_port()
    try:
        # A second JVM while the suite's own Neo4j and tests run: its start can pass the default 120 s
        # (540 s: within kg()'s own 600 s).
        started = kg(
            "neo4j", "start", "--data-dir", str(data), "--port", str(port), KG_NEO4J_START_TIMEOUT="540"
        )
        assert started.returncode == 0, started.stderr
        uri = f"bolt://127.0.0.1:{port}"
        loaded = kg("ingest", str(PROJECT_ROOT / "seeds"), NEO4J_URI=uri)
        assert loaded.returncode == 0, loaded.stderr
        with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as drv:
            records, _, _ = drv.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'db.tx_log.' RETURN name, value"
            )
        settings = {r["name"]: r["value"] for r in records}
        assert settings["db.tx_log.preallocate"] == "false", settings
        assert settings["db.tx_log.rotation.retention_policy"] == "2 files", settings
    finally:
        kg("neo4j", "stop", "--data-dir", str(data))
    assert size_mb(data) < LIMIT_MB, f"{size_mb(data):.1f} MB for the three seed articles"
