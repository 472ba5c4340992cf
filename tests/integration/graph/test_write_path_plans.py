"""Every statement of the write path, PROFILEd on a graph of a few thousand people: none scans a label.

An article's cost must not grow with the graph (issue 10): the person look-up, the writes, merges,
re-ingest of a changed version, re-extraction, new metadata and deletion all start from an index seek.
The people carry a per-test token in their surnames, so the shared database's others are never touched.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime

import pytest
from neo4j import AsyncDriver

from app.backfill.resolution import PresolvedRules
from app.config import Settings
from app.ingest_service import PERSON_RULES
from graph.profiling import PlanLog
from graph.resolver import KEEP_PLAN
from graph.schema import add_lookup_keys
from graph.writer import _delete_tx, _reextract_tx, _update_metadata_tx, _write_tx
from ingest.models import Article, Entity, GraphDelta, Relation, entity_id

pytestmark = pytest.mark.integration

PEOPLE = 3000

# Many people, a few hundred surnames repeating as surnames do, some holding offices, all mentioned.
POPULATE = """
UNWIND $people AS row
CREATE (p:Entity:Person {id: row.id, name: row.name, aliases: [row.name, row.surname_text],
                         surname: row.surname, type: 'Person'})
WITH p, row
MATCH (a:Article {id: $article})
CREATE (a)-[:MENTIONS {count: 1}]->(p)
WITH p, row WHERE row.office IS NOT NULL
MERGE (o:Entity {id: row.office})
ON CREATE SET o:Office, o.name = row.office_name, o.title = 'Mayor', o.jurisdiction = row.office_name,
              o.type = 'Office'
CREATE (p)-[:HOLDS_OFFICE {article_id: $article, evidence: 'seeded', observed_at: $when, status: 'current',
                            char_start: 0, char_end: 6, confidence: 0.5, extractor: 'seed', count: 1,
                            articles: 1}]->(o)
WITH p, o, row
MATCH (a:Article {id: $article})
CREATE (a)-[:STATES_HOLDING {person_id: p.id, evidence: 'seeded', observed_at: $when,
                             status: 'current', char_start: 0, char_end: 6, confidence: 0.5,
                             extractor: 'seed', count: 1}]->(o)
"""


def person(name: str, *aliases: str) -> Entity:
    return Entity(id=entity_id("Person", name), type="Person", name=name, aliases=list(aliases))


def office(name: str) -> Entity:
    return Entity(
        id=entity_id("Office", name),
        type="Office",
        name=name,
        properties={"title": "Mayor", "jurisdiction": name},
    )


def said(type_: str, source: Entity, target: Entity, sentence: str, **props: str) -> Relation:
    return Relation(
        type=type_,  # type: ignore[arg-type]
        source=source.id,
        target=target.id,
        evidence=sentence,
        char_start=0,
        char_end=len(sentence),
        properties=props,
    )


async def test_no_write_path_statement_scans_a_label(clean_graph: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
    rng = random.Random(7)
    surnames = [f"Sur{i:03d}{tok}" for i in range(300)]
    first = ["Ann", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hal", "Ida", "Jon"]
    seed_article = f"seed-{tok}"
    when = datetime(2025, 1, 1, tzinfo=UTC)
    weights = [1 / rank for rank in range(1, len(surnames) + 1)]
    rows = []
    for i in range(PEOPLE):
        # Zipf: the n-th surname is n times rarer than the first, as in a census list.
        surname = rng.choices(surnames, weights)[0]
        name = f"{first[i % len(first)]}{i} {surname}"
        rows.append(
            {
                "id": entity_id("Person", name),
                "name": name,
                "surname": surname.lower(),
                "surname_text": surname,
                "office": f"office:mayor-{tok}-{i % 50}" if i % 7 == 0 else None,
                "office_name": f"Town{i % 50}{tok}",
            }
        )
    await clean_graph.execute_query(
        "CREATE (:Article {id: $id, url: $url})", id=seed_article, url=f"https://seed/{tok}", database_=db
    )
    await clean_graph.execute_query(POPULATE, people=rows, article=seed_article, when=when, database_=db)
    # Written as a graph from before the look-up keys: the start-up migration gives them.
    assert await add_lookup_keys(clean_graph, db) >= PEOPLE
    # Plan every statement below for this graph of 3,000 people. Neo4j samples index statistics in the
    # background after bulk writes, and reuses a cached plan until statistics have diverged enough and
    # its replan interval has passed; in a full run the writer's statements were planned moments before
    # on other tests' graphs. Either could decide which plan this test profiles (the look-up cost 3,000+
    # db hits in two earlier runs of the suite, 15-80 alone): resample the indexes, wait, drop cached plans.
    await clean_graph.execute_query("CALL db.awaitIndexes(300)", database_=db)
    await clean_graph.execute_query("CALL db.prepareForReplanning(300)", database_=db)

    common = surnames[20]  # shared by a few dozen people
    known = next(r["name"] for r in rows if r["surname_text"] == common)  # an existing name, seen again
    bare = person(common)  # a bare surname shared by many: ambiguous, its own node
    newcomer = person(f"Zed Quill{tok}", f"Quill{tok}")
    town = office(f"Town0{tok}")
    text = f"{known} criticized {newcomer.name}. Mayor {known} spoke. {common} agreed."
    art = Article(
        id=Article.content_hash(text),
        text=text,
        url=f"https://example.test/{tok}",
        published_at=when,
    )
    delta = GraphDelta(
        id=art.id,
        extractor="plans/1",
        entities=[person(known), newcomer, bare, town],
        relations=[
            said("CRITICIZED", person(known), newcomer, f"{known} criticized {newcomer.name}."),
            said("HOLDS_OFFICE", person(known), town, f"Mayor {known} spoke.", status="current"),
            said("ENDORSED", bare, person(known), f"{common} agreed."),
        ],
    )
    # A bare "Quill" first; the full name arriving merges it. Then a changed version of the same URL
    # replaces the first version.
    bare_quill = person(f"Quill{tok}")
    text2 = text + f" Quill{tok} replied."
    art2 = art.model_copy(update={"id": Article.content_hash(text2), "text": text2})
    lone = GraphDelta(
        id="lone",
        extractor="plans/1",
        entities=[bare_quill, town],
        relations=[said("HOLDS_OFFICE", bare_quill, town, f"Mayor Quill{tok}.", status="former")],
    )
    lone_art = Article(id=Article.content_hash(f"lone {tok}"), text=f"lone {tok}")
    log = PlanLog()
    now = datetime.now(UTC)
    await log.transaction(clean_graph, db, _write_tx, lone_art, lone, "1", now, PERSON_RULES)
    first = await log.transaction(clean_graph, db, _write_tx, art, delta, "1", now, PERSON_RULES)
    assert first.merges, "the bare node should have been merged (the merge statements are profiled)"
    delta2 = delta.model_copy(update={"id": art2.id})
    result = await log.transaction(clean_graph, db, _write_tx, art2, delta2, "1", now, PERSON_RULES)
    assert result.replaced == (art.id,)

    # Another article saying the same office-holding: the pair's edge is updated in place.
    text3 = f"Mayor {known} spoke again ({tok})."
    again = Article(id=Article.content_hash(text3), text=text3)
    said_again = GraphDelta(
        id=again.id,
        extractor="plans/1",
        entities=[person(known), town],
        relations=[said("HOLDS_OFFICE", person(known), town, text3, status="current")],
    )
    await log.transaction(clean_graph, db, _write_tx, again, said_again, "1", now, PERSON_RULES)
    # A backfill's presolved write (its plan decided the ids): people read by id, no look-up.
    text4 = f"{known} and {newcomer.name} met ({tok})."
    planned = Article(id=Article.content_hash(text4), text=text4)
    planned_delta = GraphDelta(id=planned.id, extractor="plans/1", entities=[person(known), newcomer])
    presolved = PresolvedRules(PERSON_RULES, [(bare.id, person(known).id)])
    await log.transaction(clean_graph, db, _write_tx, planned, planned_delta, "1", now, presolved)
    await log.transaction(
        clean_graph, db, _reextract_tx, art2, delta2, "2", "plans/1", True, now, PERSON_RULES, {}
    )
    await log.transaction(
        clean_graph, db, _update_metadata_tx, art2.id, {"published_at": datetime(2025, 2, 1, tzinfo=UTC)}
    )
    await log.transaction(clean_graph, db, _delete_tx, art2.id)
    await log.transaction(clean_graph, db, _delete_tx, lone_art.id)

    run = {p.query.removeprefix(" ".join(KEEP_PLAN.split()) + " ").split()[0] for p in log.plans}
    assert {"MERGE", "MATCH", "CALL", "UNWIND"} <= run, run
    assert any("db.index.fulltext.queryNodes" in p.query for p in log.plans)
    assert len(log.plans) >= 25
    statements = [p.query for p in log.plans]
    for part in (
        "THEN h.rep ELSE {} END",  # an office-holding said again: its edge updated in the article's write
        "WHERE elementId(r) = row.edge",  # an article's word taken off an edge (re-extraction, deletion)
        "CREATE (p)-[r:HOLDS_OFFICE]->(o)",  # a new one
        "SET p.office_ids = [",  # the holders' office_ids after edges were removed or folded
        "UNWIND $ids AS id MATCH (p:Entity {id: id}) WHERE p:Person",  # a presolved write's people
    ):
        assert any(part in q for q in statements), part
    assert log.scans() == []
    # And the look-up reads a handful of people, not the 3,000.
    lookup = [p for p in log.plans if "queryNodes" in p.query]
    assert all(p.db_hits < PEOPLE for p in lookup), [(p.db_hits, p.operators) for p in lookup]


async def test_the_profiler_sees_a_label_scan_when_there_is_one(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    async def scan(tx: object) -> None:
        await tx.run("MATCH (p:Person) WHERE p.name STARTS WITH 'x' RETURN count(p)")  # type: ignore[attr-defined]

    log = PlanLog()
    await log.transaction(clean_graph, settings.neo4j_database, scan, commit=False)
    assert [op for op, _ in log.scans()] == ["NodeByLabelScan"]
