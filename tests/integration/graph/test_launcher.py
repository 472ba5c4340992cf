"""`kg neo4j start|status|stop` on a second, private instance beside the suite's own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph.launcher import PID_FILE, free_port, port_is_free

KG = str(Path(sys.executable).with_name("kg"))
PASSWORD = "lifecycle-test-pw"


def kg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NEO4J_PASSWORD": PASSWORD, **env}
    full_env.pop("NEO4J_URI", None)
    return subprocess.run(
        [KG, "neo4j", *args], capture_output=True, text=True, env=full_env, timeout=180, check=False
    )


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    data, port = tmp_path / "db", free_port()
    yield data, port
    kg("stop", "--data-dir", str(data))


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr and "Exception in thread" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.integration
def test_lifecycle_start_status_restart_keeps_data_stop(instance: tuple[Path, int]) -> None:
    data, port = instance
    started = kg("start", "--port", str(port), "--data-dir", str(data))
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"bolt://127.0.0.1:{port}"

    again = kg("start", "--port", str(port), "--data-dir", str(data))
    assert again.returncode == 0
    assert "already running" in again.stdout

    st = kg("status", "--data-dir", str(data))
    assert st.returncode == 0 and f"127.0.0.1:{port}" in st.stdout

    uri = f"bolt://127.0.0.1:{port}"
    with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as drv:
        drv.execute_query("CREATE (:LifecycleProbe {v: 42})")
        # A transaction may hold a quarter of the heap: a huge collect() fails, the server stays up.
        limits, _, _ = drv.execute_query(
            "SHOW SETTINGS YIELD name, value WHERE name CONTAINS 'memory.transaction' RETURN name, value"
        )
        configured = {r["name"]: r["value"] for r in limits}
        assert configured["db.memory.transaction.max"] not in ("0", "0B", None), configured
        assert configured["db.memory.transaction.total.max"] not in ("0", "0B", None), configured
        assert configured["dbms.memory.transaction.total.max"] not in ("0", "0B", None), configured
        with pytest.raises(Exception, match="MemoryPoolOutOfMemoryError|memory"):
            drv.execute_query("UNWIND range(1, 30000000) AS i RETURN size(collect(i)) AS n")
        assert drv.execute_query("RETURN 1 AS ok").records[0]["ok"] == 1

    stopped = kg("stop", "--data-dir", str(data))
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert port_is_free(port), "stop must free the Bolt port"
    assert kg("status", "--data-dir", str(data)).returncode == 3

    assert kg("start", "--port", str(port), "--data-dir", str(data)).returncode == 0
    with GraphDatabase.driver(uri, auth=("neo4j", PASSWORD)) as drv:
        records, _, _ = drv.execute_query("MATCH (n:LifecycleProbe) RETURN n.v AS v")
    assert [r["v"] for r in records] == [42], "data must survive a stop and start"

    with pytest.raises(Exception, match="(?i)unauthorized|authentication"):
        with GraphDatabase.driver(uri, auth=("neo4j", "wrong-password")) as drv:
            drv.verify_connectivity()


@pytest.mark.integration
def test_port_taken_is_one_clear_line(instance: tuple[Path, int]) -> None:
    data, _ = instance
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        result = kg("start", "--port", str(taken), "--data-dir", str(data))
    line = _one_line_error(result)
    assert f"port {taken}" in line and "--port" in line
    assert not (data / PID_FILE).exists()


@pytest.mark.integration
def test_stale_pid_file_is_reported_then_cleared(instance: tuple[Path, int]) -> None:
    data, port = instance
    data.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (data / PID_FILE).write_text(json.dumps({"pid": dead.pid, "port": port}))

    st = kg("status", "--data-dir", str(data))
    assert st.returncode == 3
    assert "stale pid file" in st.stdout and str(dead.pid) in st.stdout

    started = kg("start", "--port", str(port), "--data-dir", str(data))
    assert started.returncode == 0, started.stderr
    assert "stale pid file" in started.stderr
    assert kg("status", "--data-dir", str(data)).returncode == 0


def test_java_missing_is_one_clear_line(tmp_path: Path) -> None:
    result = kg("start", "--port", str(free_port()), "--data-dir", str(tmp_path), KG_JAVA="no-such-java")
    line = _one_line_error(result)
    assert "Java 17" in line and "no-such-java" in line


def test_maven_missing_is_one_clear_line(tmp_path: Path) -> None:
    result = kg(
        "start",
        "--port",
        str(free_port()),
        "--data-dir",
        str(tmp_path / "db"),
        KG_MVN="no-such-mvn",
        KG_NEO4J_JARS_DIR=str(tmp_path / "jars"),
    )
    line = _one_line_error(result)
    assert "Maven" in line and "no-such-mvn" in line


def test_unresolvable_jars_is_one_clear_line(tmp_path: Path) -> None:
    # A Maven that cannot reach any repository: offline mode with an empty local repository.
    settings = tmp_path / "settings.xml"
    settings.write_text(
        f"<settings><localRepository>{tmp_path / 'm2'}</localRepository><offline>true</offline></settings>"
    )
    fake_mvn = tmp_path / "mvn"
    # MAVEN_OPTS could point at a warm repository; the fake Maven must see only the empty one.
    fake_mvn.write_text(
        f'#!/bin/sh\nunset MAVEN_OPTS\nexec mvn -o -s {settings} -Dmaven.repo.local={tmp_path / "m2"} "$@"\n'
    )
    fake_mvn.chmod(0o755)
    try:
        result = kg(
            "start",
            "--port",
            str(free_port()),
            "--data-dir",
            str(tmp_path / "db"),
            KG_MVN=str(fake_mvn),
            KG_NEO4J_JARS_DIR=str(tmp_path / "jars"),
        )
    finally:
        kg("stop", "--data-dir", str(tmp_path / "db"))  # never leak a JVM if the jars did resolve
    line = _one_line_error(result)
    assert "could not resolve the Neo4j jars" in line
