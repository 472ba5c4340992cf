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
