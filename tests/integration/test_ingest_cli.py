"""`kg ingest` as a user runs it: a folder of good and bad files, a summary naming each bad file's
reason, a graph holding only the good articles, and a second run that changes nothing."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import AsyncDriver

from app.config import Settings

pytestmark = pytest.mark.integration

KG = str(Path(sys.executable).parent / "kg")
NAV_PAGE = Path(__file__).parent.parent / "unit" / "ingest" / "load" / "data" / "navigation.html"
LIMIT = 20_000

FRENCH = (
    "Le maire de la ville a annoncé mardi un nouveau plan pour les transports publics. "
    "Selon lui, les habitants attendent depuis trop longtemps des bus plus fréquents et des pistes "
    "cyclables plus sûres. L'opposition municipale a critiqué le coût du projet et demandé un débat "
    "public avant le vote du conseil, prévu pour le mois prochain."
)


def good_article(tok: str, n: int) -> str:
    return (
        f"Budget fight number {n} in the capital {tok}\n\n"
        f"Governor Maria Quell{tok} criticized Senator Paul Varn{tok} on Tuesday over the state budget. "
        f"'This budget abandons our schools,' Quell{tok} said at a press conference in the capital. "
        f"Varn{tok} defended the plan and said the cuts were needed to balance the books, "
        f"according to a statement released by his office on day {n}.\n"
    )


def build_folder(root: Path, tok: str) -> None:
    root.mkdir()
    (root / "good-1.txt").write_text(good_article(tok, 1), encoding="utf-8")
    sub = root / "more"
    sub.mkdir()
    (sub / "good-2.md").write_text(good_article(tok, 2), encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (root / "latin1.txt").write_bytes(("Le café du maire " * 30).encode("latin-1"))
    (root / "huge.txt").write_text(good_article(tok, 3) * (LIMIT // 200), encoding="utf-8")
    (root / "french.txt").write_text(FRENCH, encoding="utf-8")
    (root / "nav.html").write_text(NAV_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "record.json").write_text(json.dumps({"title": "no text here", "url": "https://x.test"}))


def run_kg(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "KG_MAX_ARTICLE_BYTES": str(LIMIT),
        "COLUMNS": "200",
    }
    return subprocess.run([KG, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


async def article_ids(driver: AsyncDriver, db: str, tok: str) -> set[str]:
    """This test's articles (the shared database may be getting others' at the same time)."""
    records, _, _ = await driver.execute_query(
        "MATCH (a:Article) WHERE a.title CONTAINS $tok RETURN a.id AS id", tok=tok, database_=db
    )
    return {r["id"] for r in records}


async def test_a_folder_of_good_and_bad_files(
    clean_graph: AsyncDriver, settings: Settings, tmp_path: Path
) -> None:
    db = settings.neo4j_database
    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    folder = tmp_path / "batch"
    build_folder(folder, tok)
    assert not await article_ids(clean_graph, db, tok)

    first = run_kg(settings, "ingest", str(folder), "--workers", "2")
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert re.search(r"articles ingested\s*│\s*2\b", out), out
    assert re.search(r"inputs failed\s*│\s*7\b", out), out
    for name, code in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "not_utf8"),
        ("huge.txt", "too_large"),
        ("french.txt", "not_english"),
        ("nav.html", "no_article"),
        ("record.json", "missing_field"),
    ]:
        assert re.search(rf"{re.escape(name)}\S*\s*│\s*{code}\b", out), (name, out)
    assert "KG_MAX_ARTICLE_BYTES" in out  # the reason names the limit

    new = await article_ids(clean_graph, db, tok)
    assert len(new) == 2  # huge.txt carries the token too: it must not be there
    records, _, _ = await clean_graph.execute_query(
        """MATCH (e:Entity) WHERE e.name CONTAINS $tok
           RETURN e.id AS id, [(a:Article)-[:MENTIONS]->(e) | a.id] AS by""",
        tok=tok,
        database_=db,
    )
    assert records, "the good articles' people are in the graph"
    assert all(set(r["by"]) <= new and r["by"] for r in records)
    job_id = re.search(r"job-[0-9a-f]{16}", out)
    assert job_id
    records, _, _ = await clean_graph.execute_query(
        "MATCH (j:IngestJob {id: $id}) RETURN j.status AS status, j.failed AS failed, j.errors AS errors",
        id=job_id.group(0),
        database_=db,
    )
    assert records[0]["status"] == "succeeded" and records[0]["failed"] == 7
    assert len(json.loads(records[0]["errors"])) == 7

    again = run_kg(settings, "ingest", str(folder))
    assert again.returncode == 0, again.stderr
    assert re.search(r"articles unchanged\s*│\s*2\b", again.stdout), again.stdout
    assert re.search(r"articles ingested\s*│\s*0\b", again.stdout), again.stdout
    assert await article_ids(clean_graph, db, tok) == new


async def test_only_bad_files_exit_non_zero(
    clean_graph: AsyncDriver, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = run_kg(settings, "ingest", str(tmp_path))
    assert result.returncode == 1
    assert "empty.txt" in result.stdout and "empty" in result.stdout


async def test_front_matter_and_metadata_options_reach_the_article(
    clean_graph: AsyncDriver, settings: Settings, tmp_path: Path
) -> None:
    db = settings.neo4j_database
    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    path = tmp_path / "budget.txt"
    path.write_text(
        "---\n"
        f"title: Budget fight in the capital {tok}\n"
        "source: Capital Ledger\n"
        f"url: https://ledger.example/{tok}\n"
        "published: 2025-05-06\n"
        "author: ignored\n"
        "---\n" + good_article(tok, 1).split("\n", 2)[2],
        encoding="utf-8",
    )
    query = """MATCH (a:Article) WHERE a.title CONTAINS $tok
               RETURN a.id AS id, a.title AS title, a.source AS source, a.url AS url,
                      toString(date(a.published_at)) AS day, a.text AS text,
                      COUNT { ()-[r]->() WHERE r.article_id = a.id } AS assertions"""

    first = run_kg(settings, "ingest", str(path))
    assert first.returncode == 0, first.stderr
    (row,) = (await clean_graph.execute_query(query, tok=tok, database_=db))[0]
    assert (row["title"], row["source"], row["url"], row["day"]) == (
        f"Budget fight in the capital {tok}",
        "Capital Ledger",
        f"https://ledger.example/{tok}",
        "2025-05-06",
    )
    assert "---" not in row["text"] and "author" not in row["text"]
    assert row["assertions"] > 0

    # The options override the front matter: the same text gets new metadata, nothing else changes.
    moved = f"https://ledger.example/moved/{tok}"
    again = run_kg(
        settings, "ingest", str(path), "--url", moved, "--source", "Wire", "--published", "2025-05-07"
    )
    assert again.returncode == 0, again.stderr
    assert re.search(r"metadata updated\s*│\s*1\b", again.stdout), again.stdout
    assert re.search(r"articles ingested\s*│\s*0\b", again.stdout), again.stdout
    (after,) = (await clean_graph.execute_query(query, tok=tok, database_=db))[0]
    assert (after["id"], after["url"], after["source"], after["day"]) == (
        row["id"],
        moved,
        "Wire",
        "2025-05-07",
    )
    assert after["assertions"] == row["assertions"]


async def test_url_and_published_options_need_a_single_file(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    folder = run_kg(settings, "ingest", str(tmp_path), "--url", "https://example.org/a")
    assert folder.returncode == 2
    assert "--url applies to a single" in folder.stderr
    bad_date = run_kg(settings, "ingest", str(tmp_path / "a.txt"), "--published", "last Tuesday")
    assert bad_date.returncode == 2
    assert "--published" in bad_date.stderr and "ISO 8601" in bad_date.stderr
