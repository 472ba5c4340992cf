"""The batched writer: one `GraphDelta` becomes one article in the graph, in one transaction.

Everything an article writes (its `Article` node with its cleaned text, its entities, its assertions, its
MENTIONS, the merges it causes, and the removal of the older version of the same URL) commits together or
not at all. Re-extraction (`reextract_article`) is the same write over an article already present: its own
assertions and MENTIONS are replaced, and entities left with no relationship at all are removed.
Labels and relationship types come only from the allow-lists in `ingest.models`; values are always
parameters. The Cypher is built once, at import, from those allow-lists.

Concurrent writes of the same article leave one copy: the first statement MERGEs the `Article` node
on its unique id, which makes a second writer wait for the first and then see the article as present.
A uniqueness violation raised by a race on an entity is retried with the whole transaction.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import ConstraintError, TransientError

from graph import holdings
from graph.holdings import HoldingEntry
from graph.resolver import (
    KEEP_PLAN,
    LOCK_SURNAMES,
    LOOKUP_CANDIDATES,
    Merge,
    PersonRecord,
    Resolution,
    ResolutionRules,
    absorb_bare_people,
    given_key,
    lookup_request,
    office_props,
    people_of,
    resolve_people,
)
from ingest.models import ENTITY_TYPES, RELATION_TYPES, Article, GraphDelta, Relation

# Node properties each type may carry beyond id/name/aliases/type (docs/graph-model.md).
ENTITY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "Person": ("gender",),
    "Office": ("title", "jurisdiction"),
    "Organization": ("kind", "acronym"),
    "Bill": ("kind", "jurisdiction", "status"),
    "Event": ("kind", "date"),
    "Place": ("kind",),
}
# Assertion properties beyond the evidence set every assertion has.
RELATION_PROPERTIES: dict[str, tuple[str, ...]] = {"HOLDS_OFFICE": ("status",)}
WRITE_ATTEMPTS = 5
# A fresh database has no `Office` label yet; its "unknown label" notices are noise in a writer.
QUIET: dict[str, Any] = {"notifications_min_severity": "OFF"}

CLAIM_ARTICLE = """
MERGE (a:Article {id: $id})
ON CREATE SET a.write_token = $token
RETURN a.write_token = $token AS created
"""

FINISH_ARTICLE = """
MATCH (a:Article {id: $id})
SET a += $props
REMOVE a.write_token
"""

OLD_VERSIONS = "MATCH (a:Article {url: $url}) WHERE a.id <> $id RETURN a.id AS id"


# An article's first statement: `CLAIM_ARTICLE` and `OLD_VERSIONS` in one round trip.
CLAIM_HEAD = (
    KEEP_PLAN
    + """MERGE (a:Article {id: $id})
ON CREATE SET a.write_token = $token
WITH a, a.write_token = $token AS created
CALL (a, created) {
  WITH a WHERE created AND $url IS NOT NULL
  MATCH (old:Article {url: $url})
  USING INDEX old:Article(url)
  WHERE old.id <> a.id
  RETURN collect(old.id) AS old
}
"""
)

# For a write that runs no look-up (no person, no rules, or a backfill's presolved rules): no lock either.
CLAIM_ARTICLE_NEW = CLAIM_HEAD + "RETURN created, old, false AS looked_up, [] AS people\n"

# And when the article is new and replaces no older version (whose deletion can change what the look-up
# finds), the person look-up with its surname locks (`graph.resolver.LOOKUP_PEOPLE`, its parameters
# from `lookup_request`) in the same round trip. The locks are taken in the order of the statements it
# replaces: the article's, then the surnames'. `looked_up` says whether the look-up ran (its `people`
# may be empty either way).
CLAIM_AND_LOOKUP = (
    CLAIM_HEAD
    + """WITH created, old, created AND old = [] AS looked_up
CALL (looked_up) {
  WITH looked_up WHERE looked_up
"""
    + LOCK_SURNAMES
    + LOOKUP_CANDIDATES
    + """  RETURN collect([profile, offices]) AS people
}
RETURN created, old, looked_up, people
"""
)

EXISTING_ARTICLES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.extractor AS extractor, a.extractor_version AS version, a.text IS NOT NULL AS has_text,
       a.url AS url, a.source AS source, a.published_at AS published_at,
       CASE WHEN a.title_derived THEN null ELSE a.title END AS title
"""

# New metadata for an article already present. Its assertions stay; only their `observed_at`, which is
# the article's date by definition, follows a new date. Every end of an own assertion is MENTIONed.
UPDATE_METADATA = """
MATCH (a:Article {id: $id})
SET a += $props
WITH a
CALL (a) {
  WITH a WHERE $observed_at IS NOT NULL
  MATCH (a)-[:MENTIONS]->(:Entity)-[r]->()
  WHERE r.article_id = a.id AND type(r) <> 'HOLDS_OFFICE'
  SET r.observed_at = $observed_at
  RETURN count(r) AS redated
}
RETURN a.id AS id, redated
"""

# Re-extraction takes the article's lock first (the SET), so two re-extractions of one article run one
# after the other, and the second sees what the first wrote.
CLAIM_FOR_REEXTRACTION = """
MATCH (a:Article {id: $id})
SET a.write_token = $token
RETURN a.extractor AS extractor, a.published_at AS published_at, a.ingested_at AS ingested_at
"""

RELEASE_ARTICLE = "MATCH (a:Article {id: $id}) REMOVE a.write_token"

DELETE_MENTIONS = """
MATCH (:Article {id: $id})-[m:MENTIONS]->(e:Entity)
WITH m, e.id AS entity
DELETE m
RETURN collect(entity) AS ids
"""

ARTICLE_MENTIONED = "MATCH (:Article {id: $id})-[:MENTIONS]->(e:Entity) RETURN collect(e.id) AS ids"

DELETE_ARTICLE_NODE = "MATCH (a:Article {id: $id}) DETACH DELETE a RETURN count(a) AS deleted"

# An entity with no relationship left has no evidence and no mentions: nothing says it exists.
DELETE_ORPHANS = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WHERE NOT EXISTS { (e)--() }
WITH e, e.id AS gone
DETACH DELETE e
RETURN collect(gone) AS ids
"""

GRAPH_HAS_DATA = "RETURN EXISTS { MATCH (:Article) } OR EXISTS { MATCH (:Entity) } AS has_data"


# The article's whole write in one round trip. Labels and types are dynamic (`$(...)`, Neo4j 5.26) but
# never free: `_entity_rows` and `_assertion_rows` admit only the allow-listed ENTITY_TYPES and
# RELATION_TYPES, and Neo4j treats a dynamic label as a value, never as Cypher text.
# A person's `lookup_profile` (`graph.profiles`) is set again from the properties just written, when they
# changed. The article's office-holdings follow (`graph.holdings.ADD_IN_WRITE`): an edge or pair written
# before `STATES_HOLDING` comes back in `legacy`, for `graph.holdings.add_entries`.
WRITE_ARTICLE = (
    KEEP_PLAN
    + """MATCH (a:Article {id: $article_id})
SET a += $props
REMOVE a.write_token
WITH a
CALL (a) {
  UNWIND $entities AS row
  MERGE (n:Entity {id: row.id})
  ON CREATE SET n.created_at = $now, n.name = row.name, n.type = row.type, n += row.create_props
  WITH a, row, n, coalesce(n.aliases, []) AS known,
       CASE WHEN row.type = 'Person' THEN n.gender END AS gender
  WITH a, row, n, known, gender,
       reduce(acc = known, x IN row.aliases | CASE WHEN x IN acc THEN acc ELSE acc + x END) AS aliases
  SET n:$(row.type), n.updated_at = $now, n += row.props, n.aliases = aliases
  // Only when the person is new, has a new alias or a new gender: the rest of it the write leaves alone.
  FOREACH (_ IN CASE WHEN row.type = 'Person' AND (size(aliases) > size(known)
                          OR (row.props.gender IS NOT NULL AND coalesce(gender, '') <> row.props.gender))
                     THEN [1] ELSE [] END |
    SET n.lookup_profile = [row.id, n.name, coalesce(n.gender, ''), toString(size(aliases))] + aliases
                           + coalesce(n.office_ids, []))
  CREATE (a)-[m:MENTIONS]->(n)
  SET m.count = row.count
  RETURN count(n) AS entities
}
CALL () {
  UNWIND $relations AS row
  MATCH (s:Entity {id: row.source})
  MATCH (t:Entity {id: row.target})
  CREATE (s)-[r:$(row.type)]->(t)
  SET r = row.props
  RETURN count(r) AS relations
}
"""
    + holdings.ADD_IN_WRITE
    + """RETURN entities, relations, legacy
"""
)


def allowed_entity_type(label: str) -> str:
    if label not in ENTITY_TYPES:
        raise ValueError(f"not an entity type: {label!r}")
    return label


def allowed_relation_type(rel_type: str) -> str:
    if rel_type not in RELATION_TYPES:
        raise ValueError(f"not a relationship type: {rel_type!r}")
    return rel_type


def _delete_assertions(rel_type: str) -> str:
    # The `rel_<type>_article` index answers this without scanning the relationship type.
    return f"""
MATCH (s)-[r:{allowed_relation_type(rel_type)} {{article_id: $article_id}}]->(t)
WITH r, s.id AS s_id, t.id AS t_id
DELETE r
RETURN collect(s_id) + collect(t_id) AS ends, count(r) AS deleted
"""


# HOLDS_OFFICE is one edge per person and office, shared by articles: `graph.holdings` takes an
# article's entries off it instead.
DELETE_ASSERTIONS: dict[str, str] = {t: _delete_assertions(t) for t in RELATION_TYPES if t != "HOLDS_OFFICE"}


@dataclass(frozen=True, slots=True)
class WriteResult:
    article_id: str
    # unchanged: already there (or, for a re-extraction, already redone by someone else);
    # missing: a re-extraction found no such article (deleted meanwhile).
    # metadata_updated: the same text, with a new url, title, source or date (assertions kept).
    status: Literal["ingested", "unchanged", "reextracted", "metadata_updated", "missing"]
    entities_written: int = 0
    relations_written: int = 0
    replaced: tuple[str, ...] = ()  # older versions of the same URL that this one replaced
    merges: tuple[Merge, ...] = ()


@dataclass(frozen=True, slots=True)
class DeleteResult:
    article_id: str
    found: bool
    relations_deleted: int = 0
    entities_deleted: int = 0
    entity_ids: tuple[str, ...] = field(default=())


def utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


@dataclass(frozen=True, slots=True)
class StoredExtraction:
    """What the graph says about an article already present: which extractor read it, and its text."""

    extractor: str | None
    version: str | None
    has_text: bool
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    title: str | None = None  # a title given with the article; None when derived from the text

    def metadata_changes(self, article: Article) -> dict[str, Any]:
        """What `article` says about itself that the graph does not hold yet: url, title, source, date.

        A field the article leaves out keeps its stored value; it never erases one."""
        changes: dict[str, Any] = {}
        if article.url and article.url != self.url:
            changes["url"] = article.url
        if article.source and article.source != self.source:
            changes["source"] = article.source
        if article.title and article.title != self.title:
            changes["title"] = article.title
            changes["title_derived"] = False
        published = _aware(article.published_at)
        if published is not None and published != _aware(self.published_at):
            changes["published_at"] = published
        return changes


async def existing_articles(
    driver: AsyncDriver, database: str, ids: list[str]
) -> dict[str, StoredExtraction]:
    """Which of these content hashes are already in the graph, and who extracted them: one query."""
    if not ids:
        return {}
    records, _, _ = await driver.execute_query(EXISTING_ARTICLES, ids=ids, database_=database, routing_="r")
    return {
        r["id"]: StoredExtraction(
            r["extractor"],
            r["version"],
            bool(r["has_text"]),
            url=r["url"],
            source=r["source"],
            published_at=_native(r["published_at"]),
            title=r["title"],
        )
        for r in records
    }


async def update_article_metadata(
    driver: AsyncDriver, database: str, article_id: str, changes: dict[str, Any]
) -> WriteResult:
    """Set new metadata (`StoredExtraction.metadata_changes`) on an article; its assertions stay.

    A new `published_at` re-dates the article's own assertions (`observed_at` is the article's date).
    An article deleted meanwhile is "missing"."""
    async with driver.session(database=database, **QUIET) as session:
        found: bool = await session.execute_write(_update_metadata_tx, article_id, changes)
    return WriteResult(article_id, "metadata_updated" if found else "missing")


async def _update_metadata_tx(tx: AsyncManagedTransaction, article_id: str, changes: dict[str, Any]) -> bool:
    published = changes.get("published_at")
    result = await tx.run(UPDATE_METADATA, id=article_id, props=changes, observed_at=published)
    found = await result.single() is not None
    if found and published is not None:
        await holdings.redate_article(tx, article_id, published, token=article_id)
    return found


async def existing_article_ids(driver: AsyncDriver, database: str, ids: list[str]) -> set[str]:
    """Which of these content hashes are already in the graph: one query for the whole batch."""
    return set(await existing_articles(driver, database, ids))


async def graph_is_empty(driver: AsyncDriver, database: str) -> bool:
    records, _, _ = await driver.execute_query(GRAPH_HAS_DATA, database_=database, routing_="r")
    return not records or not records[0]["has_data"]


def _assertion_rows(
    relations: list[Relation], ids: dict[str, str], article_id: str, extractor: str, observed_at: datetime
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], HoldingEntry]]:
    """The article's assertions, each said once with a `count`, and its office-holdings per pair.

    Statements that say the same thing (type, ends, sentence, quote and properties) collapse into one
    assertion whose `count` is how often the article says it, at the offsets of its first occurrence: an
    article repeating one sentence 19,608 times writes one edge. HOLDS_OFFICE collapses further, to one
    entry per (person, office) for the article, which `graph.holdings` adds to the pair's only edge."""
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    holdings: dict[tuple[str, str], HoldingEntry] = {}
    for rel in sorted(relations, key=lambda r: (r.char_start, r.char_end)):
        source, target = ids.get(rel.source, rel.source), ids.get(rel.target, rel.target)
        if source == target:
            continue  # a self-loop after resolution
        extra = {
            name: rel.properties[name]
            for name in RELATION_PROPERTIES.get(rel.type, ())
            if rel.properties.get(name) is not None
        }
        if rel.type == "HOLDS_OFFICE":
            known = holdings.get((source, target))
            if known is not None:
                holdings[(source, target)] = replace(known, count=known.count + 1)
                continue
            holdings[(source, target)] = HoldingEntry(
                article_id=article_id,
                count=1,
                observed_at=observed_at,
                evidence=rel.evidence,
                quote=rel.quote,
                char_start=rel.char_start,
                char_end=rel.char_end,
                confidence=rel.confidence,
                extractor=extractor,
                status=str(extra["status"]) if extra.get("status") is not None else None,
            )
            continue
        key = (rel.type, source, target, rel.evidence, rel.quote, tuple(sorted(extra.items())))
        row = rows.get(key)
        if row is not None:
            row["props"]["count"] += 1
            row["props"]["confidence"] = max(row["props"]["confidence"], rel.confidence)
            continue
        props: dict[str, Any] = {
            "article_id": article_id,
            "evidence": rel.evidence,
            "quote": rel.quote,
            "char_start": rel.char_start,
            "char_end": rel.char_end,
            "confidence": rel.confidence,
            "extractor": extractor,
            "observed_at": observed_at,
            "count": 1,
            **extra,
        }
        rows[key] = {
            "type": allowed_relation_type(rel.type),
            "source": source,
            "target": target,
            "props": props,
        }
    return list(rows.values()), holdings


def _surname(name: str, rules: ResolutionRules | None) -> str | None:
    if rules is not None:
        return rules.surname(name)
    words = name.split()
    return words[-1].lower() if words else None


def _entity_rows(
    delta: GraphDelta, ids: dict[str, str], rules: ResolutionRules | None
) -> list[dict[str, Any]]:
    """One row per graph node; two mentions resolved to one node share a row and add their counts."""
    rows: dict[str, dict[str, Any]] = {}
    for entity in delta.entities:
        node_id = ids.get(entity.id, entity.id)
        allowed = ENTITY_PROPERTIES[entity.type]
        props = {k: v for k, v in entity.properties.items() if k in allowed and v is not None}
        create_props: dict[str, Any] = {}
        if entity.type == "Person":
            create_props["surname"] = _surname(entity.name, rules)
            create_props["given_key"] = given_key(entity.name)
            create_props["office_ids"] = []  # kept by graph.holdings
        elif entity.type == "Office" and props.get("title"):
            # The person look-up finds holders of compatible offices through these (graph.resolver).
            props.update(office_props(props.get("title"), props.get("jurisdiction")))
        row = rows.get(node_id)
        if row is None:
            rows[node_id] = {
                "id": node_id,
                "name": entity.name,
                "type": allowed_entity_type(entity.type),
                "aliases": [entity.name, *entity.aliases],
                "props": props,
                "create_props": create_props,
                "count": max(entity.mentions, 1),
            }
        else:
            row["aliases"] = [*row["aliases"], entity.name, *entity.aliases]
            row["props"] = {**props, **row["props"]}
            row["count"] += max(entity.mentions, 1)
    return list(rows.values())


async def _delete_assertions_in_tx(tx: AsyncManagedTransaction, article_id: str) -> tuple[int, set[str]]:
    """Remove one article's assertions; return how many, and the entities at their ends."""
    deleted_rels, touched = await holdings.remove_article(tx, article_id, token=article_id)
    for query in DELETE_ASSERTIONS.values():
        rec = await (await tx.run(query, article_id=article_id)).single()
        if rec:
            touched.update(rec["ends"])
            deleted_rels += rec["deleted"]
    return deleted_rels, touched


async def _delete_article_in_tx(tx: AsyncManagedTransaction, article_id: str) -> tuple[int, int, set[str]]:
    """Remove one article's assertions, its MENTIONS and its node; return what it touched."""
    touched: set[str] = set()
    record = await (await tx.run(ARTICLE_MENTIONED, id=article_id)).single()
    if record:
        touched.update(record["ids"])
    deleted_rels, ends = await _delete_assertions_in_tx(tx, article_id)
    rec = await (await tx.run(DELETE_ARTICLE_NODE, id=article_id)).single()
    return (rec["deleted"] if rec else 0), deleted_rels, touched | ends


async def _delete_own_statements(tx: AsyncManagedTransaction, article_id: str) -> set[str]:
    """Remove one article's assertions and MENTIONS, keeping its node; return the entities they touched.

    Assertions first: the article's office-holdings are found through its MENTIONS."""
    _, ends = await _delete_assertions_in_tx(tx, article_id)
    record = await (await tx.run(DELETE_MENTIONS, id=article_id)).single()
    return set(record["ids"] if record else ()) | ends


async def _delete_orphans(tx: AsyncManagedTransaction, ids: set[str]) -> list[str]:
    if not ids:
        return []
    rec = await (await tx.run(DELETE_ORPHANS, ids=sorted(ids))).single()
    return sorted(rec["ids"]) if rec else []


async def _write_tx(
    tx: AsyncManagedTransaction,
    article: Article,
    delta: GraphDelta,
    extractor_version: str | None,
    ingested_at: datetime,
    rules: ResolutionRules | None,
) -> WriteResult:
    token = uuid.uuid4().hex
    lookup = lookup_request(delta, rules)
    claim = await (
        await tx.run(
            CLAIM_AND_LOOKUP if lookup is not None else CLAIM_ARTICLE_NEW,
            lookup or {},
            id=article.id,
            token=token,
            url=article.url,
            now=ingested_at,
        )
    ).single()
    if not claim or not claim["created"]:
        return WriteResult(article.id, "unchanged")
    found = people_of(claim["people"]) if claim["looked_up"] else None

    # A changed version of a known URL: its predecessor's assertions go, and nothing else.
    replaced: list[str] = []
    touched: set[str] = set()
    for old_id in claim["old"]:
        _, _, ends = await _delete_article_in_tx(tx, old_id)
        touched |= ends
        replaced.append(old_id)

    published = _aware(article.published_at)
    props = {
        "url": article.url,
        "title": article.display_title,
        "title_derived": article.title is None,
        "source": article.source,
        "published_at": published,
        "ingested_at": ingested_at,
        "word_count": len(article.text.split()),
        "text": article.text,
        **_extractor_props(delta, extractor_version),
    }
    observed = published or ingested_at
    return await _write_statements(
        tx, article.id, delta, props, observed, ingested_at, rules, touched, "ingested", replaced, found
    )


def _extractor_props(delta: GraphDelta, version: str | None) -> dict[str, Any]:
    # No version is stored as none (SET += null removes an older one): such an article counts as stale.
    return {"extractor": delta.extractor, "extractor_version": version or None}


async def _write_statements(
    tx: AsyncManagedTransaction,
    article_id: str,
    delta: GraphDelta,
    props: dict[str, Any],
    observed: datetime,
    now: datetime,
    rules: ResolutionRules | None,
    touched: set[str],
    status: Literal["ingested", "reextracted"],
    replaced: list[str] | None = None,
    found: list[PersonRecord] | None = None,
) -> WriteResult:
    """The article's properties, entities, MENTIONS and assertions; then merges and orphans.

    `found`: the person look-up's answer when the article's first statement ran it (`CLAIM_AND_LOOKUP`)."""
    resolution = (
        await resolve_people(tx, delta, rules, now, found=found) if rules is not None else Resolution()
    )
    ids = resolution.ids
    entity_rows = _entity_rows(delta, ids, rules)
    relation_rows, holding_entries = _assertion_rows(
        delta.relations, ids, article_id, delta.extractor, observed
    )
    written = await (
        await tx.run(
            WRITE_ARTICLE,
            article_id=article_id,
            now=now,
            entities=entity_rows,
            relations=relation_rows,
            props=props,
            holdings=holdings.entry_rows(holding_entries),
            token=article_id,
        )
    ).single()
    relations_written = (written["relations"] if written else 0) + len(holding_entries)
    if written and written["legacy"]:
        # Pairs with an edge from before `STATES_HOLDING`: folded with the article's entry.
        legacy = {(s, t) for s, t in written["legacy"]}
        await holdings.add_entries(
            tx, {pair: e for pair, e in holding_entries.items() if pair in legacy}, token=article_id
        )

    people = {
        row["id"]: row["create_props"]["surname"] for row in entity_rows if row["create_props"].get("surname")
    }
    merges = (
        await absorb_bare_people(tx, people, now, rules, resolution.people_after_write())
        if rules is not None
        else []
    )
    await _delete_orphans(tx, touched - {row["id"] for row in entity_rows})
    return WriteResult(
        article_id,
        status,
        entities_written=len(entity_rows),
        relations_written=relations_written,
        replaced=tuple(replaced or ()),
        merges=tuple(merges),
    )


async def _reextract_tx(
    tx: AsyncManagedTransaction,
    article: Article,
    delta: GraphDelta,
    extractor_version: str | None,
    expected_extractor: str | None,
    store_text: bool,
    now: datetime,
    rules: ResolutionRules | None,
    metadata: dict[str, Any],
) -> WriteResult:
    claim = await (await tx.run(CLAIM_FOR_REEXTRACTION, id=article.id, token=uuid.uuid4().hex)).single()
    if claim is None:
        return WriteResult(article.id, "missing")
    if claim["extractor"] != expected_extractor:
        # Someone re-extracted it since it was picked: theirs stands, and only the lock is undone.
        await tx.run(RELEASE_ARTICLE, id=article.id)
        return WriteResult(article.id, "unchanged")
    touched = await _delete_own_statements(tx, article.id)
    props = _extractor_props(delta, extractor_version)
    if store_text:
        props["text"] = article.text
    props.update(metadata)
    published, ingested = metadata.get("published_at", claim["published_at"]), claim["ingested_at"]
    observed = _native(published) or _native(ingested) or now
    return await _write_statements(tx, article.id, delta, props, observed, now, rules, touched, "reextracted")


def _native(value: Any) -> datetime | None:
    return value.to_native() if hasattr(value, "to_native") else value


async def _write_with_retries(driver: AsyncDriver, database: str, work: Any, *args: Any) -> WriteResult:
    for attempt in range(WRITE_ATTEMPTS):
        try:
            async with driver.session(database=database, **QUIET) as session:
                result: WriteResult = await session.execute_write(work, *args)
                return result
        except (ConstraintError, TransientError):
            # Another writer created the same entity or article between our read and our write;
            # the retry sees it and merges into it (execute_write already retried deadlocks).
            if attempt == WRITE_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


async def write_article(
    driver: AsyncDriver,
    database: str,
    article: Article,
    delta: GraphDelta,
    *,
    rules: ResolutionRules | None = None,
    ingested_at: datetime | None = None,
    extractor_version: str | None = None,
) -> WriteResult:
    """Write one article and what it says, all or nothing; an article already present is unchanged.

    With `rules`, people resolve across articles (one person, one node); without, only by exact id.
    `extractor_version` is the comparable version of the extractor that made `delta`
    (`ingest.extract.EXTRACTOR_VERSION`); without one the article will count as stale."""
    when = ingested_at or utcnow()
    return await _write_with_retries(
        driver, database, _write_tx, article, delta, extractor_version, when, rules
    )


async def reextract_article(
    driver: AsyncDriver,
    database: str,
    article: Article,
    delta: GraphDelta,
    *,
    extractor_version: str | None,
    expected_extractor: str | None,
    store_text: bool = False,
    rules: ResolutionRules | None = None,
    metadata: dict[str, Any] | None = None,
) -> WriteResult:
    """Replace an article's own assertions and MENTIONS with a new extraction, all or nothing.

    `metadata` (`StoredExtraction.metadata_changes`) is set on the article in the same transaction.

    The article's other properties stay (its `ingested_at` still dates assertions without a published
    date); `extractor` and `extractor_version` become the new extractor's, and with `store_text` its text
    is stored too (an article written before texts were kept). `expected_extractor` is the extractor the
    caller saw when it picked the article: if another run has re-extracted it since, this one is
    "unchanged". An article deleted meanwhile is "missing" and is not written back."""
    return await _write_with_retries(
        driver,
        database,
        _reextract_tx,
        article,
        delta,
        extractor_version,
        expected_extractor,
        store_text,
        utcnow(),
        rules,
        metadata or {},
    )


async def _delete_tx(tx: AsyncManagedTransaction, article_id: str) -> DeleteResult:
    found, rels, touched = await _delete_article_in_tx(tx, article_id)
    if not found:
        return DeleteResult(article_id, False)
    orphans = await _delete_orphans(tx, touched)
    return DeleteResult(article_id, True, rels, len(orphans), tuple(orphans))


async def delete_article(driver: AsyncDriver, database: str, article_id: str) -> DeleteResult:
    """Remove an article, its own assertions and MENTIONS, and every entity left with no evidence."""
    async with driver.session(database=database, **QUIET) as session:
        return await session.execute_write(_delete_tx, article_id)
