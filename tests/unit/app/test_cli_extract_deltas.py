"""`kg extract --deltas`: one checked record per file, the database never touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingest.deltas import DeltaRecord, read_records

KG = str(Path(sys.executable).parent / "kg")
SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9"}  # unreachable: extraction must not need it
    return subprocess.run([KG, "extract", *args], capture_output=True, text=True, env=env, timeout=300)


def test_deltas_are_records_the_reader_accepts(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    result = run(str(seed), "--deltas")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "seed.jsonl"
    out.write_text(result.stdout)
    records = list(read_records(out, max_article_bytes=1_000_000))
    assert len(records) == 1 and isinstance(records[0], DeltaRecord)
    rec = records[0]
    assert rec.origin == str(seed) and rec.extractor_version
    assert rec.delta.id == rec.article.id and rec.delta.extractor
    assert any(e.type == "Person" for e in rec.delta.entities) and rec.delta.relations


def test_json_and_deltas_together_are_refused() -> None:
    result = run(str(SEEDS), "--json", "--deltas")
    assert result.returncode == 2
    assert "--json and --deltas" in result.stderr
