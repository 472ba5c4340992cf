"""Office-holding as one `HOLDS_OFFICE` per person and office, with every article's evidence on it.

Every article that says "Mayor Brandon Johnson" says the same fact, so the graph keeps one edge per
(person, office) instead of one per article (at 229 articles per pair, every reader of offices paid
for the copies). The edge still is an assertion with evidence (DESIGN.md): its top-level evidence
properties (`article_id`, `evidence`, `quote`, `char_start`, `char_end`, `confidence`, `extractor`,
`observed_at`, `status`) are those of the newest article that says it, and each article's own evidence
is kept in lists aligned with `article_ids` (`article_counts`, `article_evidence`, ...). Removing one
article's contribution (re-ingest, re-extraction, delete) removes its position from every list and
picks the representative again; the last article gone takes the edge with it.

This module holds the pure part (entries in, properties out) and the Cypher that reads and writes the
edges; `graph.writer` and `graph.resolver` call it inside their transactions. Person and office nodes
are locked by the article's write before an edge is read, and an edge read for a change is locked by
the read itself (`write_lock`, removed by the write), so two writers never lose each other's entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

# Per-article lists on the edge, aligned by position with `article_ids`; "" stands for none (Neo4j
# lists hold no nulls).
LISTS: dict[str, str] = {
    "article_ids": "article_id",
    "article_counts": "count",
    "article_statuses": "status",
    "article_observed_at": "observed_at",
    "article_evidence": "evidence",
    "article_quotes": "quote",
    "article_char_starts": "char_start",
    "article_char_ends": "char_end",
    "article_confidences": "confidence",
    "article_extractors": "extractor",
}
NULLABLE = {"status", "quote"}


@dataclass(frozen=True, slots=True)
class HoldingEntry:
    """One article's word that a person holds an office: its first sentence saying so, and how often."""

    article_id: str
    count: int
    observed_at: datetime
    evidence: str
    quote: str | None = None
    char_start: int = 0
    char_end: int = 0
    confidence: float = 0.5
    extractor: str = ""
    status: str | None = None


def _order(entry: HoldingEntry) -> tuple[datetime, str]:
    return entry.observed_at, entry.article_id


def _entry(values: dict[str, Any]) -> HoldingEntry:
    confidence = values.get("confidence")
    return HoldingEntry(
        article_id=str(values["article_id"]),
        count=int(values.get("count") or 1),
        observed_at=_native(values.get("observed_at")),
        evidence=values.get("evidence") or "",
        quote=values.get("quote") or None,
        char_start=int(values.get("char_start") or 0),
        char_end=int(values.get("char_end") or 0),
        confidence=float(confidence) if confidence is not None else 0.5,
        extractor=values.get("extractor") or "",
        status=values.get("status") or None,
    )


def entries_from_props(props: dict[str, Any] | None) -> list[HoldingEntry]:
    """The entries of an edge. A legacy edge (one article, no lists) is one entry of its own evidence."""
    if not props:
        return []
    if props.get("article_ids") is None:
        return [_entry(props)] if props.get("article_id") else []
    columns = {field: props.get(name) or [] for name, field in LISTS.items()}
    return [
        _entry({field: column[i] if i < len(column) else None for field, column in columns.items()})
        for i in range(len(columns["article_id"]))
    ]


def props_from_entries(entries: Iterable[HoldingEntry]) -> dict[str, Any] | None:
    """The edge's properties for these entries (one per article, oldest first), or None: no edge."""
    by_article: dict[str, HoldingEntry] = {}
    for entry in entries:
        known = by_article.get(entry.article_id)
        # The same article twice (two nodes merged, each with its word): one entry, counts added.
        by_article[entry.article_id] = (
            entry
            if known is None
            else replace(min(known, entry, key=_first), count=known.count + entry.count)
        )
    ordered = sorted(by_article.values(), key=_order)
    if not ordered:
        return None
    newest = ordered[-1]
    props: dict[str, Any] = {
        "article_id": newest.article_id,
        "evidence": newest.evidence,
        "quote": newest.quote,
        "char_start": newest.char_start,
        "char_end": newest.char_end,
        "confidence": newest.confidence,
        "extractor": newest.extractor,
        "observed_at": newest.observed_at,
        "status": newest.status,
        "count": sum(e.count for e in ordered),
        "articles": len(ordered),
    }
    for name, field in LISTS.items():
        values = [getattr(e, field) for e in ordered]
        props[name] = ["" if v is None else v for v in values] if field in NULLABLE else values
    return {k: v for k, v in props.items() if v is not None}


def _first(entry: HoldingEntry) -> tuple[int, int]:
    return entry.char_start, entry.char_end


# An edge written by hand without `observed_at` (the writer always sets it) sorts as the oldest word,
# rather than stopping a migration or an article's write.
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)


def _native(value: Any) -> datetime:
    native = value.to_native() if hasattr(value, "to_native") else value
    return native if isinstance(native, datetime) else UNDATED


# ---------------------------------------------------------------------------------------------------
# Cypher. Every statement starts at a node found by its unique id, or at the article's MENTIONS.

# The current edges for (person, office) pairs, locked for the change that follows.
READ_PAIRS = """
UNWIND $pairs AS pair
MATCH (p:Entity {id: pair.source})-[r:HOLDS_OFFICE]->(o:Entity {id: pair.target})
SET r.write_lock = $token
RETURN p.id AS source, o.id AS target, properties(r) AS props, elementId(r) AS edge
"""

# The edges an article contributed to: their person is one the article MENTIONS.
READ_ARTICLE = """
MATCH (:Article {id: $article_id})-[:MENTIONS]->(p:Person)-[r:HOLDS_OFFICE]->(o:Entity)
WHERE $article_id IN r.article_ids OR r.article_id = $article_id
SET r.write_lock = $token
RETURN p.id AS source, o.id AS target, properties(r) AS props
"""

# Write the given properties as the one edge of each pair, or no edge. The edge already there is
# updated in place (it keeps its element id, which the API's relation ids are made of); any other
# between the pair (a graph written before collapsing) goes.
WRITE_PAIRS = """
UNWIND $rows AS row
MATCH (p:Entity {id: row.source})
MATCH (o:Entity {id: row.target})
CALL (p, o, row) {
  MATCH (p)-[old:HOLDS_OFFICE]->(o)
  WITH row, old ORDER BY elementId(old)
  WITH row, collect(old) AS olds
  UNWIND olds[CASE WHEN row.props IS NULL THEN 0 ELSE 1 END..] AS extra
  DELETE extra
}
CALL (p, o, row) {
  WITH p, o, row WHERE row.props IS NOT NULL
  MERGE (p)-[r:HOLDS_OFFICE]->(o)
  SET r = row.props
}
RETURN count(*) AS written
"""

# An article's entries, where each pair has at most one edge (`add_entries` read them, which locked the
# edges; the article's write locked both ends, so no one adds an edge between the pair meanwhile): the
# edge is rewritten through its element id, or created. This costs the same whether the pair is new or
# has been said by a thousand articles; WRITE_PAIRS, which also removes extra edges, would read the
# pair's edges again and MERGE.
UPDATE_EDGES = """
UNWIND $rows AS row
MATCH ()-[r:HOLDS_OFFICE]->() WHERE elementId(r) = row.edge
SET r = row.props
RETURN count(r) AS updated
"""

CREATE_EDGES = """
UNWIND $rows AS row
MATCH (p:Entity {id: row.source})
MATCH (o:Entity {id: row.target})
CREATE (p)-[r:HOLDS_OFFICE]->(o)
SET r = row.props,
    p.office_ids = CASE WHEN o.id IN coalesce(p.office_ids, []) THEN p.office_ids
                        ELSE coalesce(p.office_ids, []) + o.id END
RETURN count(r) AS created
"""

# `Person.office_ids`, the ids of the offices a person holds, after WRITE_PAIRS changed their edges: the
# person look-up (`graph.resolver.LOOKUP_PEOPLE`) reads a candidate's offices through it, by unique id,
# instead of walking the candidate's relationships (a person mentioned by many articles has a long chain).
SET_OFFICE_IDS = """
UNWIND $ids AS id
MATCH (p:Entity {id: id})
SET p.office_ids = [(p)-[:HOLDS_OFFICE]->(o) | o.id]
"""

# A merged-away person's edges, with the surviving person's edge to the same office when there is one.
READ_FOR_MERGE = """
MATCH (s:Entity {id: $from})-[r:HOLDS_OFFICE]->(o:Entity)
SET r.write_lock = $token
WITH r, o
OPTIONAL MATCH (:Entity {id: $to})-[r2:HOLDS_OFFICE]->(o)
SET r2.write_lock = $token
RETURN o.id AS target, properties(r) AS moving, properties(r2) AS staying
"""

# Edges written before collapsing (one per article): folded at start-up, a batch of pairs at a time.
LEGACY_PAIRS = """
MATCH (p:Person)-[r:HOLDS_OFFICE]->(o:Entity)
WHERE r.article_ids IS NULL
WITH DISTINCT p, o LIMIT $limit
MATCH (p)-[r:HOLDS_OFFICE]->(o)
SET r.write_lock = $token
RETURN p.id AS source, o.id AS target, collect(properties(r)) AS edges
"""


async def write_pairs(tx: AsyncManagedTransaction, rows: list[dict[str, Any]]) -> None:
    if rows:
        await (await tx.run(WRITE_PAIRS, rows=rows)).consume()
        await (await tx.run(SET_OFFICE_IDS, ids=sorted({row["source"] for row in rows}))).consume()


async def add_entries(
    tx: AsyncManagedTransaction, new: dict[tuple[str, str], HoldingEntry], token: str
) -> None:
    """Add each (person, office) pair's entry for one article to its edge, creating it when new."""
    if not new:
        return
    pairs = [{"source": s, "target": t} for s, t in sorted(new)]
    current: dict[tuple[str, str], list[HoldingEntry]] = {}
    edges: dict[tuple[str, str], list[str]] = {}
    async for record in await tx.run(READ_PAIRS, pairs=pairs, token=token):
        key = (record["source"], record["target"])
        current.setdefault(key, []).extend(entries_from_props(record["props"]))
        edges.setdefault(key, []).append(record["edge"])
    updates: list[dict[str, Any]] = []
    creates: list[dict[str, Any]] = []
    legacy: list[dict[str, Any]] = []
    for (s, t), entry in sorted(new.items()):
        row = {"source": s, "target": t, "props": props_from_entries([*current.get((s, t), []), entry])}
        found = edges.get((s, t), [])
        if not found:
            creates.append(row)
        elif len(found) == 1:
            updates.append({"edge": found[0], "props": row["props"]})
        else:  # per-article edges the migration has not folded yet: WRITE_PAIRS keeps one
            legacy.append(row)
    if updates:
        await (await tx.run(UPDATE_EDGES, rows=updates)).consume()
    if creates:
        await (await tx.run(CREATE_EDGES, rows=creates)).consume()
    await write_pairs(tx, legacy)


async def remove_article(tx: AsyncManagedTransaction, article_id: str, token: str) -> tuple[int, set[str]]:
    """Take one article's entries off every edge it contributed to; return how many edges, and the
    nodes at their ends."""
    found: dict[tuple[str, str], list[HoldingEntry]] = {}
    async for record in await tx.run(READ_ARTICLE, article_id=article_id, token=token):
        found.setdefault((record["source"], record["target"]), []).extend(entries_from_props(record["props"]))
    rows = [
        {
            "source": s,
            "target": t,
            "props": props_from_entries(e for e in entries if e.article_id != article_id),
        }
        for (s, t), entries in sorted(found.items())
    ]
    await write_pairs(tx, rows)
    return len(found), {end for pair in found for end in pair}


async def redate_article(
    tx: AsyncManagedTransaction, article_id: str, observed_at: datetime, token: str
) -> None:
    """An article's new date, on its entries (the representative may change with it)."""
    found: dict[tuple[str, str], list[HoldingEntry]] = {}
    async for record in await tx.run(READ_ARTICLE, article_id=article_id, token=token):
        found.setdefault((record["source"], record["target"]), []).extend(entries_from_props(record["props"]))
    rows = [
        {
            "source": s,
            "target": t,
            "props": props_from_entries(
                replace(e, observed_at=observed_at) if e.article_id == article_id else e for e in entries
            ),
        }
        for (s, t), entries in sorted(found.items())
    ]
    await write_pairs(tx, rows)


async def move_for_merge(tx: AsyncManagedTransaction, source: str, target: str, token: str) -> None:
    """Fold the merged-away person's edges into the surviving person's (one edge per office)."""
    rows = []
    async for record in await tx.run(READ_FOR_MERGE, {"from": source, "to": target, "token": token}):
        entries = [*entries_from_props(record["staying"]), *entries_from_props(record["moving"])]
        rows.append({"source": target, "target": record["target"], "props": props_from_entries(entries)})
    await write_pairs(tx, rows)


async def fold_legacy(tx: AsyncManagedTransaction, token: str, limit: int = 500) -> int:
    """Fold up to `limit` pairs of per-article edges into one edge each; return how many pairs."""
    rows = []
    async for record in await tx.run(LEGACY_PAIRS, limit=limit, token=token):
        entries = [e for props in record["edges"] for e in entries_from_props(props)]
        rows.append(
            {"source": record["source"], "target": record["target"], "props": props_from_entries(entries)}
        )
    await write_pairs(tx, rows)
    return len(rows)
