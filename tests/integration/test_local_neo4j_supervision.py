"""A local Neo4j that dies under `kg serve` (or any command that started it) comes back by itself."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from app.cli.runtime import local_neo4j
from app.config import Settings
from graph.launcher import PID_FILE, bolt_answers, free_port

pytestmark = pytest.mark.integration


def test_a_killed_local_neo4j_is_restarted(settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    own = settings.model_copy(
        update={"neo4j_uri": None, "local_neo4j_port": port, "local_neo4j_data_dir": tmp_path / "db"}
    )
    with local_neo4j(own):
        assert bolt_answers(port)
        pid = json.loads((tmp_path / "db" / PID_FILE).read_text())["pid"]
        os.kill(pid, signal.SIGKILL)  # what an OutOfMemoryError with ExitOnOutOfMemoryError amounts to
        pid_file = tmp_path / "db" / PID_FILE
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            info = json.loads(pid_file.read_text()) if pid_file.exists() else {}
            if info.get("pid") not in (None, pid) and bolt_answers(port):
                break
            time.sleep(1)
        else:
            pytest.fail("the local Neo4j was not restarted within 150 s")
    assert not bolt_answers(port), "leaving the context stops the restarted instance"
