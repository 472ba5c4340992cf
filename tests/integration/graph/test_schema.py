from __future__ import annotations

import pytest
from neo4j import AsyncDriver
from neo4j.exceptions import ConstraintError

from app.config import Settings
from graph.schema import SHOW_SCHEMA, migrate

pytestmark = pytest.mark.integration

CONSTRAINTS = "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type RETURN * ORDER BY name"


async def test_migration_is_idempotent(driver: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    first = await migrate(driver, db)
    before_idx, _, _ = await driver.execute_query(SHOW_SCHEMA, database_=db)
    before_con, _, _ = await driver.execute_query(CONSTRAINTS, database_=db)
    second = await migrate(driver, db)
    after_idx, _, _ = await driver.execute_query(SHOW_SCHEMA, database_=db)
    after_con, _, _ = await driver.execute_query(CONSTRAINTS, database_=db)
    assert first == second
    assert [r.data() for r in before_idx] == [r.data() for r in after_idx]
    assert [r.data() for r in before_con] == [r.data() for r in after_con]
    assert {"entity_id", "article_id", "entity_names", "rel_criticized_article"} <= set(second)


async def test_schema_has_what_the_model_promises(driver: AsyncDriver, settings: Settings) -> None:
    records, _, _ = await driver.execute_query(SHOW_SCHEMA, database_=settings.neo4j_database)
    by_name = {r["name"]: r for r in records}
    assert by_name["entity_names"]["type"] == "FULLTEXT"
    assert set(by_name["entity_names"]["properties"]) == {"name", "aliases"}
    assert by_name["rel_endorsed_article"]["entityType"] == "RELATIONSHIP"
    assert by_name["rel_endorsed_article"]["properties"] == ["article_id"]


async def test_entity_id_is_unique(clean_graph: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    await clean_graph.execute_query("CREATE (:Entity:Person {id: 'person:test-unique'})", database_=db)
    with pytest.raises(ConstraintError):
        await clean_graph.execute_query("CREATE (:Entity:Person {id: 'person:test-unique'})", database_=db)


async def test_fulltext_index_finds_aliases(clean_graph: AsyncDriver, settings: Settings) -> None:
    db = settings.neo4j_database
    await clean_graph.execute_query(
        "CREATE (:Entity:Person {id: 'person:test-ft', name: 'Zyxwa Qorbl', aliases: ['Sheriff Qorbl']})",
        database_=db,
    )
    await clean_graph.execute_query("CALL db.awaitIndexes(60)", database_=db)
    records, _, _ = await clean_graph.execute_query(
        "CALL db.index.fulltext.queryNodes('entity_names', 'sheriff') YIELD node RETURN node.id AS id",
        database_=db,
    )
    assert "person:test-ft" in [r["id"] for r in records]


async def test_start_up_runs_the_data_migrations_once_and_they_convert_session_6s_list_edges(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    """A graph marked as migrated is not scanned again at start-up; one marked lower (or not at all) is,
    and a session-6 HOLDS_OFFICE (one edge per pair with per-article lists) becomes one edge with counts
    and a STATES_HOLDING per article, the person's `office_ids` and the edge's `holder_key` set."""
    import secrets
    from datetime import UTC, datetime

    from graph.schema import DATA_VERSION, data_version

    db = settings.neo4j_database
    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    person, office = f"person:ann-{tok}", f"office:mayor-of-{tok}"
    articles = [f"a-{tok}", f"b-{tok}"]
    await clean_graph.execute_query(
        """
        CREATE (p:Entity:Person {id: $person, name: $name, surname: $tok, given_key: 'ann'})
        CREATE (o:Entity:Office {id: $office, name: 'Mayor', title: 'Mayor'})
        CREATE (a:Article {id: $articles[0]}), (b:Article {id: $articles[1]})
        CREATE (a)-[:MENTIONS {count: 1}]->(p), (b)-[:MENTIONS {count: 1}]->(p)
        CREATE (p)-[:HOLDS_OFFICE {
          article_id: $articles[1], evidence: 'Mayor Ann, in b.', count: 4,
          article_ids: $articles, article_counts: [3, 1], article_statuses: ['', 'former'],
          article_observed_at: [datetime('2025-01-02T00:00:00Z'), datetime('2025-01-05T00:00:00Z')],
          article_evidence: ['Mayor Ann, in a.', 'Mayor Ann, in b.'], article_quotes: ['', 'she said'],
          article_char_starts: [2, 5], article_char_ends: [12, 15], article_confidences: [0.7, 0.8],
          article_extractors: ['x/1', 'x/1']
        }]->(o)
        """,
        person=person,
        name=f"Ann {tok}",
        tok=tok,
        office=office,
        articles=articles,
        database_=db,
    )
    edge = "MATCH (:Entity {id: $person})-[r:HOLDS_OFFICE]->(:Entity {id: $office}) RETURN properties(r) AS p"

    assert await data_version(clean_graph, db) == DATA_VERSION  # the session's start-up marked it
    await migrate(clean_graph, db)
    (unchanged,), _, _ = await clean_graph.execute_query(edge, person=person, office=office, database_=db)
    assert unchanged["p"]["article_ids"] == articles  # marked as migrated: not looked at again

    await clean_graph.execute_query("MATCH (s:GraphSchema) SET s.data_version = 0", database_=db)
    try:
        await migrate(clean_graph, db)
    finally:
        assert await data_version(clean_graph, db) == DATA_VERSION
    edges, _, _ = await clean_graph.execute_query(edge, person=person, office=office, database_=db)
    assert len(edges) == 1
    props = edges[0]["p"]
    assert not {k for k in props if k.startswith("article_") and k != "article_id"}  # no lists left
    assert (props["count"], props["articles"], props["article_id"]) == (4, 2, articles[1])
    assert props["status"] == "former" and props["holder_key"] == f"{office}|{tok}"
    said, _, _ = await clean_graph.execute_query(
        "MATCH (a:Article)-[s:STATES_HOLDING]->(:Entity {id: $office}) "
        "RETURN a.id AS article, s.count AS count, s.evidence AS evidence, s.quote AS quote, "
        "s.person_id AS person, s.observed_at AS at ORDER BY article",
        office=office,
        database_=db,
    )
    assert [(r["article"], r["count"], r["evidence"], r["quote"], r["person"]) for r in said] == [
        (articles[0], 3, "Mayor Ann, in a.", None, person),
        (articles[1], 1, "Mayor Ann, in b.", "she said", person),
    ]
    assert said[0]["at"].to_native() == datetime(2025, 1, 2, tzinfo=UTC)
    (ids,), _, _ = await clean_graph.execute_query(
        "MATCH (p:Entity {id: $person}) RETURN p.office_ids AS ids", person=person, database_=db
    )
    assert ids["ids"] == [office]
