"""The idempotent schema migration: constraints and indexes the graph model promises analysts.

Every statement is `IF NOT EXISTS`, so running it at each start-up of the CLI and the API is safe and
changes nothing the second time.
"""

from __future__ import annotations

from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import ClientError

from graph import holdings
from graph.profiles import profile_of
from graph.resolver import given_key, office_props
from ingest.models import RELATION_TYPES

CONSTRAINTS: tuple[str, ...] = (
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT ingest_job_id IF NOT EXISTS FOR (j:IngestJob) REQUIRE j.id IS UNIQUE",
    # The writers' per-surname resolution locks (`graph.resolver.LOOKUP_PEOPLE`) are this constraint's
    # entry locks.
    "CREATE CONSTRAINT resolution_lock_surname IF NOT EXISTS "
    "FOR (l:ResolutionLock) REQUIRE l.surname IS UNIQUE",
    # The data migrations' marker (`DATA_VERSION`): one node, whatever number of processes start at once.
    "CREATE CONSTRAINT graph_schema_name IF NOT EXISTS FOR (s:GraphSchema) REQUIRE s.name IS UNIQUE",
)

INDEXES: tuple[str, ...] = (
    # Names and every alias seen, for search and for `person(name:)` look-ups.
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name, n.aliases]",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)",
    "CREATE INDEX entity_surname IF NOT EXISTS FOR (n:Person) ON (n.surname)",
    # The writer's person look-up (`graph.resolver.LOOKUP_PEOPLE`): a surname and a given-name key, and
    # offices by folded title and jurisdiction, so a common surname's whole group is never read.
    "CREATE INDEX person_surname_given IF NOT EXISTS FOR (n:Person) ON (n.surname, n.given_key)",
    "CREATE INDEX office_key IF NOT EXISTS FOR (n:Office) ON (n.office_key)",
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
    # Each article's word on an office-holding (`graph.holdings`): a pair's statements by person.
    "CREATE INDEX states_holding_person IF NOT EXISTS FOR ()-[s:STATES_HOLDING]-() ON (s.person_id)",
    # An office's holders of one surname, for the person look-up (`graph.resolver.LOOKUP_PEOPLE`).
    "CREATE INDEX holds_office_holder IF NOT EXISTS FOR ()-[h:HOLDS_OFFICE]-() ON (h.holder_key)",
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


# The data migrations below bring a graph written by older code up to the model; each finds what needs
# it by a scan (every HOLDS_OFFICE edge, every Person), which on a big graph costs seconds at every
# start-up. Once they have run, the graph records this number on its one `:GraphSchema {name: 'graph'}`
# node, and a start-up that finds it at least this high runs none of them. Raise it when a data migration
# is added or changed; a graph with a lower number (or none: written before the marker) runs them all
# once more, which is safe since each is idempotent.
DATA_VERSION = 2  # 1: holdings folded, look-up keys, old locks gone; 2: `Person.lookup_profile`

READ_DATA_VERSION = "OPTIONAL MATCH (s:GraphSchema {name: 'graph'}) RETURN s.data_version AS version"
MARK_DATA_VERSION = """
MERGE (s:GraphSchema {name: 'graph'})
SET s.data_version = CASE WHEN coalesce(s.data_version, 0) > $version THEN s.data_version ELSE $version END,
    s.migrated_at = datetime()
"""


async def data_version(driver: AsyncDriver, database: str) -> int:
    """The data migrations' number the graph records (0: none recorded)."""
    records, _, _ = await driver.execute_query(READ_DATA_VERSION, database_=database)
    return int(records[0]["version"] or 0) if records else 0


async def migrate(driver: AsyncDriver, database: str) -> list[str]:
    """Apply every statement, and the data migrations unless the graph records them as done (`DATA_VERSION`);
    return the names of indexes and constraints that now exist."""
    for statement in (*CONSTRAINTS, *INDEXES):
        try:
            await driver.execute_query(statement, database_=database)
        except ClientError as exc:
            if exc.code not in ALREADY_EXISTS:
                raise
    await driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    if await data_version(driver, database) < DATA_VERSION:
        await migrate_data(driver, database)
    records, _, _ = await driver.execute_query(SHOW_SCHEMA, database_=database)
    return [r["name"] for r in records]


async def migrate_data(driver: AsyncDriver, database: str) -> None:
    """Every data migration, then the marker that says they ran (set last: a start-up cut off before it
    runs them again)."""
    await fold_legacy_holdings(driver, database)
    await add_lookup_keys(driver, database)
    await remove_resolution_locks(driver, database)
    await add_lookup_profiles(driver, database)
    await driver.execute_query(MARK_DATA_VERSION, version=DATA_VERSION, database_=database)


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


# People and offices written before the look-up keys (`given_key`, `office_key`): given them at
# start-up, a batch at a time. On a graph that has them, each is one pass that finds nothing.
PEOPLE_WITHOUT_KEY = """
MATCH (p:Person) WHERE p.given_key IS NULL AND p.name IS NOT NULL
RETURN p.id AS id, p.name AS name LIMIT $limit
"""
SET_GIVEN_KEYS = """
UNWIND $rows AS row
MATCH (p:Entity {id: row.id})
SET p.given_key = row.key
"""
OFFICES_WITHOUT_KEY = """
MATCH (o:Office) WHERE o.office_key IS NULL AND o.title IS NOT NULL AND o.title <> ''
RETURN o.id AS id, o.title AS title, o.jurisdiction AS jurisdiction LIMIT $limit
"""
SET_OFFICE_KEYS = """
UNWIND $rows AS row
MATCH (o:Entity {id: row.id})
SET o += row.props
"""

# `office_ids` (the offices a person holds, kept by `graph.holdings`) on people written before it.
PEOPLE_WITHOUT_OFFICE_IDS = """
MATCH (p:Person) WHERE p.office_ids IS NULL
WITH p LIMIT $limit
SET p.office_ids = [(p)-[:HOLDS_OFFICE]->(o) | o.id]
RETURN count(p) AS keyed
"""

# `HOLDS_OFFICE.holder_key` (office id | holder's surname, kept by `graph.holdings`) on edges written
# before it. An edge whose person has no surname yet (no `given_key` pass sets one) gets `<office>|`.
HOLDINGS_WITHOUT_KEY = """
MATCH (p:Person)-[r:HOLDS_OFFICE]->(o:Entity)
WHERE r.holder_key IS NULL
WITH p, r, o LIMIT $limit
SET r.holder_key = o.id + '|' + coalesce(p.surname, '')
RETURN count(r) AS keyed
"""


async def add_lookup_keys(driver: AsyncDriver, database: str, batch: int = 2000) -> int:
    """Data migration: `given_key` and `office_ids` on every Person, the office keys on every titled Office,
    `holder_key` on every HOLDS_OFFICE.

    Returns how many nodes it keyed."""
    keyed = 0
    while True:
        records, _, _ = await driver.execute_query(PEOPLE_WITHOUT_KEY, limit=batch, database_=database)
        if not records:
            break
        rows = [{"id": r["id"], "key": given_key(r["name"])} for r in records]
        await driver.execute_query(SET_GIVEN_KEYS, rows=rows, database_=database)
        keyed += len(rows)
    while True:
        records, _, _ = await driver.execute_query(OFFICES_WITHOUT_KEY, limit=batch, database_=database)
        if not records:
            break
        rows = [{"id": r["id"], "props": office_props(r["title"], r["jurisdiction"])} for r in records]
        await driver.execute_query(SET_OFFICE_KEYS, rows=rows, database_=database)
        keyed += len(rows)
    keyed += await _in_batches(driver, database, PEOPLE_WITHOUT_OFFICE_IDS, "keyed", batch)
    keyed += await _in_batches(driver, database, HOLDINGS_WITHOUT_KEY, "keyed", batch)
    return keyed


async def _in_batches(driver: AsyncDriver, database: str, query: str, counted: str, batch: int) -> int:
    """Runs a migration statement that does up to `$limit` items and returns their count as `counted`,
    until a run does none; returns the total."""
    total = 0
    while True:
        records, _, _ = await driver.execute_query(query, limit=batch, database_=database)
        if not records or not records[0][counted]:
            return total
        total += records[0][counted]


# `Person.lookup_profile` (`graph.profiles`) on people written before it.
PEOPLE_WITHOUT_PROFILE = (
    """
MATCH (p:Person) WHERE p.lookup_profile IS NULL
WITH p LIMIT $limit
SET p.lookup_profile = """
    + profile_of("p")
    + """
RETURN count(p) AS profiled
"""
)


async def add_lookup_profiles(driver: AsyncDriver, database: str, batch: int = 2000) -> int:
    """Data migration: a `lookup_profile` on every Person; returns how many it gave one."""
    return await _in_batches(driver, database, PEOPLE_WITHOUT_PROFILE, "profiled", batch)


# Writers before locks were deleted after use left one `:ResolutionLock` per surname; they hold nothing.
# A writer running meanwhile may deadlock with this once, and its transaction is retried.
OLD_LOCKS = "MATCH (l:ResolutionLock) WITH l LIMIT $limit DELETE l RETURN count(*) AS removed"


async def remove_resolution_locks(driver: AsyncDriver, database: str, batch: int = 10_000) -> int:
    """Data migration: remove the lock nodes earlier writers kept; returns how many."""
    return await _in_batches(driver, database, OLD_LOCKS, "removed", batch)
