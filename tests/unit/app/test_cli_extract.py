"""`kg extract`: the JSON contract, one line per file, bad files on stderr, no database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

KG = str(Path(sys.executable).parent / "kg")
SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # An unreachable NEO4J_URI proves extraction never touches the database.
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9"}
    return subprocess.run([KG, "extract", *args], capture_output=True, text=True, env=env, timeout=300)


def test_folder_gives_json_lines_named_by_file(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    for seed in seeds:
        shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \x00\x01")
    result = run(str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["id"] for d in lines] == [s.stem for s in seeds]
    for doc in lines:
        ids = {e["id"] for e in doc["entities"]}
        assert {"id", "type", "name", "aliases"} <= set(doc["entities"][0])
        assert doc["relations"] and all({r["source"], r["target"]} <= ids for r in doc["relations"])
        assert {"type", "source", "target", "evidence", "quote", "confidence"} <= set(doc["relations"][0])
    assert "broken.txt" in result.stderr


def test_single_file_gives_one_object_and_a_table_without_json(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = run(str(seed), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["id"] == seed.stem
    table = run(str(seed))
    assert table.returncode == 0 and "Larry Krasner" in table.stdout and "relations" in table.stdout


def test_everything_failing_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = run(str(tmp_path), "--json")
    assert result.returncode == 1
    assert result.stdout == "" and "empty.txt" in result.stderr


def test_help_describes_the_json_it_prints_without_pointing_at_files_a_user_lacks() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.replace("\u2502", " ").split())  # without the help panel's borders
    assert "DESIGN.md" not in text
    for field in ('"entities"', '"relations"', '"source"', '"target"', '"evidence"', '"quote"', "entity ids"):
        assert field in text, field
