"""The idempotent schema migration: constraints and indexes the graph model promises analysts.

Every statement is `IF NOT EXISTS`, so running it at each start-up of the CLI and the API is safe and
changes nothing the second time.
"""

from __future__ import annotations

from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import ClientError

from graph import holdings
from ingest.models import RELATION_TYPES

CONSTRAINTS: tuple[str, ...] = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT ingest_job_id IF NOT EXISTS FOR (j:IngestJob) REQUIRE j.id IS UNIQUE",
    # The writers' per-surname resolution locks (`graph.resolver.FETCH_PEOPLE`) MERGE on this.
    "CREATE CONSTRAINT resolution_lock_surname IF NOT EXISTS "
    "FOR (l:ResolutionLock) REQUIRE l.surname IS UNIQUE",
)

INDEXES: tuple[str, ...] = (
    # Names and every alias seen, for search and for `person(name:)` look-ups.
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX entity_surname IF NOT EXISTS FOR (n:Person) ON (n.surname)",
    "CREATE INDEX article_url IF NOT EXISTS FOR (a:Article) ON (a.url)",
    "CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published_at)",
    # The API's pages, read in index order (keyset pagination): undated articles by ingest time, and
    # assertions newest first per type.
    "CREATE INDEX article_ingested IF NOT EXISTS FOR (a:Article) ON (a.ingested_at)",
    *(
        f"CREATE INDEX rel_{t.lower()}_observed IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.observed_at)"
        for t in RELATION_TYPES
    ),
    "CREATE INDEX ingest_job_status IF NOT EXISTS FOR (j:IngestJob) ON (j.status)",
    # Re-ingest and delete find an article's own assertions through these.
    *(
        f"CREATE INDEX rel_{t.lower()}_article IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.article_id)"
        for t in RELATION_TYPES
    ),
)

# Two processes migrating at once (the API and `kg ingest` starting together) race between IF NOT EXISTS
# and the creation: the loser is told the rule exists, which is the outcome it wanted.
ALREADY_EXISTS = {
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
}

SHOW_SCHEMA = (
    "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties "
    "WHERE type <> 'LOOKUP' RETURN name, type, entityType, labelsOrTypes, properties ORDER BY name"
)


async def migrate(driver: AsyncDriver, database: str) -> list[str]:
    """Apply every statement; return the names of indexes and constraints that now exist."""
    for statement in (*CONSTRAINTS, *INDEXES):
        try:
            await driver.execute_query(statement, database_=database)
        except ClientError as exc:
            if exc.code not in ALREADY_EXISTS:
                raise
    await driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    await fold_legacy_holdings(driver, database)
    records, _, _ = await driver.execute_query(SHOW_SCHEMA, database_=database)
    return [r["name"] for r in records]


async def fold_legacy_holdings(driver: AsyncDriver, database: str) -> int:
    """Data migration: a graph written with one HOLDS_OFFICE per article gets one per person and office.

    Idempotent, in transactions of a few hundred pairs; on a migrated graph it is one look-up that finds
    nothing. Returns how many pairs it folded."""

    async def batch(tx: AsyncManagedTransaction) -> int:
        return await holdings.fold_legacy(tx, token="migration")

    folded = 0
    async with driver.session(database=database) as session:
        while count := await session.execute_write(batch):
            folded += count
    return folded
