"""Office-holding as one `HOLDS_OFFICE` per person and office; each article's word on it beside it.

Every article that says "Mayor Brandon Johnson" says the same fact, so the graph keeps one edge per
(person, office) instead of one per article (at 229 articles per pair, every reader of offices paid
for the copies). The edge is still an assertion with evidence (DESIGN.md): its evidence properties
(`article_id`, `evidence`, `quote`, `char_start`, `char_end`, `confidence`, `extractor`, `observed_at`,
`status`) are those of the newest article that says it, `count` is how many statements over all
articles and `articles` how many articles. Each article's own word is a `STATES_HOLDING` relationship
from the article to the office, with `person_id` and that article's evidence: writing one costs the
same whether the pair was said once or ten thousand times (session 6 kept every article's entry in lists
on the edge, and the hub's edge, said by 2,401 articles, was read and rewritten whole by each of them).

Removing one article's word (re-ingest, re-extraction, delete) deletes its `STATES_HOLDING`, lowers the
edge's counts and, when it was the edge's newest, picks the newest remaining statement through the
`states_holding_person` index; the last article gone takes the edge with it.

This module holds the pure part (entries in, properties out) and the Cypher that reads and writes the
edges; `graph.writer` and `graph.resolver` call it inside their transactions. Person and office nodes
are locked by the article's write before an edge is read, and an edge read for a change is locked by
the read itself (`write_lock`, removed by the write), so two writers never lose each other's count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph.profiles import profile_of

# The per-article lists session 6 kept on the edge, aligned by position with `article_ids`: read only
# to migrate such an edge (`fold_legacy`).
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


def newer(entry: HoldingEntry, observed_at: Any, article_id: Any) -> bool:
    """Whether `entry` is a newer word than the edge's representative (latest date, then highest id)."""
    return _order(entry) > (_native(observed_at), str(article_id or ""))


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


def entry_from_statement(article_id: str, props: dict[str, Any]) -> HoldingEntry:
    """The entry an article's `STATES_HOLDING` relationship records."""
    return _entry({**props, "article_id": article_id})


def entries_from_props(props: dict[str, Any] | None) -> list[HoldingEntry]:
    """The entries an edge written before `STATES_HOLDING` carries: its lists (session 6), or its own
    evidence (one edge per article, before collapsing)."""
    if not props:
        return []
    if props.get("article_ids") is None:
        return [_entry(props)] if props.get("article_id") else []
    columns = {field: props.get(name) or [] for name, field in LISTS.items()}
    return [
        _entry({field: column[i] if i < len(column) else None for field, column in columns.items()})
        for i in range(len(columns["article_id"]))
    ]


def collapse(entries: Iterable[HoldingEntry]) -> list[HoldingEntry]:
    """One entry per article, oldest first. The same article twice (two person nodes merged, each with
    its word) is one entry at the first offsets, counts added."""
    by_article: dict[str, HoldingEntry] = {}
    for entry in entries:
        known = by_article.get(entry.article_id)
        by_article[entry.article_id] = (
            entry
            if known is None
            else replace(min(known, entry, key=_first), count=known.count + entry.count)
        )
    return sorted(by_article.values(), key=_order)


def representative(entry: HoldingEntry) -> dict[str, Any]:
    """The edge's evidence properties when `entry` is its newest word (None removes a property)."""
    return {
        "article_id": entry.article_id,
        "evidence": entry.evidence,
        "quote": entry.quote,
        "char_start": entry.char_start,
        "char_end": entry.char_end,
        "confidence": entry.confidence,
        "extractor": entry.extractor,
        "observed_at": entry.observed_at,
        "status": entry.status,
    }


def props_from_entries(entries: Iterable[HoldingEntry]) -> dict[str, Any] | None:
    """The edge's properties for these entries, or None: no edge."""
    ordered = collapse(entries)
    if not ordered:
        return None
    props = {
        **representative(ordered[-1]),
        "count": sum(e.count for e in ordered),
        "articles": len(ordered),
    }
    return {k: v for k, v in props.items() if v is not None}


def statement_props(entry: HoldingEntry, person_id: str) -> dict[str, Any]:
    """The properties of the article's `STATES_HOLDING` for this entry (its article is its start)."""
    props = {**representative(entry), "person_id": person_id, "count": entry.count}
    del props["article_id"]
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
# Cypher. Every statement starts at a node found by its unique id, at the article's own relationships,
# or at the `states_holding_person` index.

# The current edge of each (person, office) pair, locked for the change that follows: its counts and
# the date and article of its newest word, never the evidence (a constant read, however often the pair
# was said). `legacy`: an edge from before `STATES_HOLDING` (lists, or one per article).
# Found through `holder_key` (the `holds_office_holder` index: the office's holders of the person's
# surname, nearly always one edge), not by expanding the person or the office: below Neo4j's dense-node
# threshold that walks every relationship of the node, a chain that grows with each article mentioning it.
READ_PAIRS = """
UNWIND $pairs AS pair
MATCH (p:Entity {id: pair.source})
WITH pair, p, pair.target + '|' + coalesce(p.surname, '') AS holder
CALL (pair, p, holder) {
  MATCH (q)-[r:HOLDS_OFFICE]->(o)
  USING INDEX SEEK r:HOLDS_OFFICE(holder_key)
  WHERE r.holder_key = holder AND q = p AND o.id = pair.target
  RETURN r, o
}
SET r.write_lock = $token
RETURN p.id AS source, o.id AS target, elementId(r) AS edge, r.article_id AS article_id,
       r.observed_at AS observed_at, r.count AS count, r.articles AS articles,
       r.articles IS NULL OR r.article_ids IS NOT NULL AS legacy
"""

# An article's statements, taken off: what the edges they supported lose.
TAKE_ARTICLE = """
MATCH (:Article {id: $article_id})-[s:STATES_HOLDING]->(o:Entity)
WITH s, s.person_id AS source, o.id AS target, s.count AS count
DELETE s
RETURN source, target, count
"""

# An article's statements, re-dated (the article's new date is their `observed_at`).
REDATE_ARTICLE = """
MATCH (:Article {id: $article_id})-[s:STATES_HOLDING]->(o:Entity)
SET s.observed_at = $observed_at
RETURN s.person_id AS source, o.id AS target
"""

# The newest statement of each pair (the `states_holding_person` index, then the pair's office).
NEWEST = """
UNWIND $pairs AS pair
CALL (pair) {
  MATCH (a:Article)-[s:STATES_HOLDING]->(o:Entity)
  USING INDEX s:STATES_HOLDING(person_id)
  WHERE s.person_id = pair.source AND o.id = pair.target
  WITH a, s ORDER BY s.observed_at DESC, a.id DESC LIMIT 1
  RETURN a.id AS article, properties(s) AS props
}
RETURN pair.source AS source, pair.target AS target, article, props
"""

# Every statement of one person (a merge moves them to the surviving person).
STATEMENTS_OF = """
MATCH (a:Article)-[s:STATES_HOLDING]->(o:Entity)
USING INDEX s:STATES_HOLDING(person_id)
WHERE s.person_id = $person
RETURN o.id AS target, a.id AS article, elementId(s) AS statement, properties(s) AS props
"""

CREATE_STATEMENTS = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (o:Entity {id: row.target})
CREATE (a)-[s:STATES_HOLDING]->(o)
SET s = row.props
RETURN count(s) AS created
"""

DELETE_STATEMENTS = """
UNWIND $ids AS id
MATCH ()-[s:STATES_HOLDING]->() WHERE elementId(s) = id
DELETE s
"""

SET_STATEMENTS = """
UNWIND $rows AS row
MATCH ()-[s:STATES_HOLDING]->() WHERE elementId(s) = row.statement
SET s += row.props
"""

# `holder_key` (`<office id>|<holder's surname>`, the `holds_office_holder` index) lets the person look-up
# find an office's holders of one surname without walking the office's relationships.
#
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
  SET r = row.props, r.holder_key = o.id + '|' + coalesce(p.surname, '')
}
RETURN count(*) AS written
"""

# Each pair's one edge, changed through its element id (`READ_PAIRS` found and locked it): `props` are
# added (a null removes one), the lock goes.
UPDATE_EDGES = """
UNWIND $rows AS row
MATCH ()-[r:HOLDS_OFFICE]->() WHERE elementId(r) = row.edge
SET r += row.props
REMOVE r.write_lock
RETURN count(r) AS updated
"""

DELETE_EDGES = """
UNWIND $edges AS edge
MATCH ()-[r:HOLDS_OFFICE]->() WHERE elementId(r) = edge
DELETE r
"""

CREATE_EDGES = (
    """
UNWIND $rows AS row
MATCH (p:Entity {id: row.source})
MATCH (o:Entity {id: row.target})
CREATE (p)-[r:HOLDS_OFFICE]->(o)
SET r = row.props, r.holder_key = o.id + '|' + coalesce(p.surname, ''),
    p.office_ids = CASE WHEN o.id IN coalesce(p.office_ids, []) THEN p.office_ids
                        ELSE coalesce(p.office_ids, []) + o.id END
SET p.lookup_profile = """
    + profile_of("p")
    + """
RETURN count(r) AS created
"""
)

# `Person.office_ids`, the ids of the offices a person holds, after their edges changed: the person
# look-up (`graph.resolver.LOOKUP_PEOPLE`) reads a candidate's offices through it, by unique id,
# instead of walking the candidate's relationships (a person mentioned by many articles has a long chain).
SET_OFFICE_IDS = (
    """
UNWIND $ids AS id
MATCH (p:Entity {id: id})
SET p.office_ids = [(p)-[:HOLDS_OFFICE]->(o) | o.id]
FOREACH (_ IN CASE WHEN p:Person THEN [1] ELSE [] END | SET p.lookup_profile = """
    + profile_of("p")
    + """)
"""
)

# An article's office-holdings inside its one write statement (`graph.writer.WRITE_ARTICLE`, after its
# entities, which that statement has MERGEd and so locked): what `add_entries` does in four statements,
# in one. Each pair (`entry_rows`) gets its `STATES_HOLDING` and either a new edge (the person's
# `office_ids` and `lookup_profile` follow) or, when its one edge is there, that edge locked (the
# `write_lock` SET), its counts raised and its evidence replaced when the article is the newer word
# (latest `observed_at`, then highest article id: `newer`). A pair with an edge from before
# `STATES_HOLDING` (or more than one edge) is left alone and returned in `legacy`: `add_entries` folds it.
# The edge is found through `holder_key` (the `holds_office_holder` index), as in `READ_PAIRS`.
ADD_IN_WRITE = (
    """CALL (a) {
  UNWIND $holdings AS h
  MATCH (p:Entity {id: h.source})
  MATCH (o:Entity {id: h.target})
  CALL (h, p, o) {
    MATCH (q)-[r:HOLDS_OFFICE]->(x)
    USING INDEX SEEK r:HOLDS_OFFICE(holder_key)
    WHERE r.holder_key = h.target + '|' + coalesce(p.surname, '') AND q = p AND x = o
    RETURN collect(r) AS edges
  }
  WITH a, h, p, o, edges, size(edges) = 0 AS new,
       size(edges) = 1 AND edges[0].articles IS NOT NULL AND edges[0].article_ids IS NULL AS one
  CALL (a, h, o, new, one) {
    WITH a, h, o WHERE new OR one
    CREATE (a)-[s:STATES_HOLDING]->(o)
    SET s = h.statement
  }
  CALL (h, edges, one) {
    WITH h, edges[0] AS r WHERE one
    SET r.write_lock = $token
    WITH h, r, coalesce(r.observed_at.epochSeconds * 1000000000 + r.observed_at.nanosecond, 0) AS known
    SET r += CASE WHEN h.order > known OR (h.order = known AND h.article_id > coalesce(r.article_id, ''))
                  THEN h.rep ELSE {} END
    SET r.count = coalesce(r.count, 0) + h.count, r.articles = coalesce(r.articles, 0) + 1
    REMOVE r.write_lock
  }
  CALL (h, p, o, new) {
    WITH h, p, o WHERE new
    CREATE (p)-[r:HOLDS_OFFICE]->(o)
    SET r = h.edge, r.holder_key = o.id + '|' + coalesce(p.surname, ''),
        p.office_ids = CASE WHEN o.id IN coalesce(p.office_ids, []) THEN p.office_ids
                            ELSE coalesce(p.office_ids, []) + o.id END
    SET p.lookup_profile = """
    + profile_of("p")
    + """
  }
  WITH h WHERE NOT new AND NOT one
  RETURN collect([h.source, h.target]) AS legacy
}
"""
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def order_key(when: datetime) -> int:
    """`observed_at` as nanoseconds since the epoch, as `ADD_IN_WRITE` compares it with Cypher's
    `epochSeconds` and `nanosecond` (an instant, whatever the offset); a naive datetime is taken as UTC."""
    when = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    since = when - _EPOCH
    return (since.days * 86400 + since.seconds) * 1_000_000_000 + since.microseconds * 1000


def entry_rows(new: dict[tuple[str, str], HoldingEntry]) -> list[dict[str, Any]]:
    """`ADD_IN_WRITE`'s `$holdings`: per pair, its statement, the edge it makes when it is the first,
    the evidence it puts on the edge when it is the newest, and how it orders against the edge's."""
    return [
        {
            "source": s,
            "target": t,
            "article_id": entry.article_id,
            "count": entry.count,
            "order": order_key(entry.observed_at),
            "statement": statement_props(entry, s),
            "edge": props_from_entries([entry]),
            "rep": representative(entry),
        }
        for (s, t), entry in sorted(new.items())
    ]


# A merged-away person's edges (locked), with the surviving person's edge to the same office.
READ_FOR_MERGE = """
MATCH (s:Entity {id: $from})-[r:HOLDS_OFFICE]->(o:Entity)
SET r.write_lock = $token
WITH r, o
OPTIONAL MATCH (:Entity {id: $to})-[r2:HOLDS_OFFICE]->(o)
SET r2.write_lock = $token
RETURN o.id AS target, properties(r) AS moving, properties(r2) AS staying
"""

# Edges written before `STATES_HOLDING` (one per article, or session 6's lists): folded at start-up, a
# batch of pairs at a time.
LEGACY_PAIRS = """
MATCH (p:Person)-[r:HOLDS_OFFICE]->(o:Entity)
WHERE r.articles IS NULL OR r.article_ids IS NOT NULL
WITH DISTINCT p, o LIMIT $limit
MATCH (p)-[r:HOLDS_OFFICE]->(o)
SET r.write_lock = $token
RETURN p.id AS source, o.id AS target, collect(properties(r)) AS edges
"""


async def _rewrite_pairs(
    tx: AsyncManagedTransaction, pairs: dict[tuple[str, str], list[HoldingEntry]]
) -> None:
    """Make each pair's statements and one edge these entries (the pair has no statements yet)."""
    if not pairs:
        return
    statements: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for (s, t), entries in sorted(pairs.items()):
        ordered = collapse(entries)
        statements += [
            {"article_id": e.article_id, "target": t, "props": statement_props(e, s)} for e in ordered
        ]
        rows.append({"source": s, "target": t, "props": props_from_entries(ordered)})
    if statements:
        await (await tx.run(CREATE_STATEMENTS, rows=statements)).consume()
    await (await tx.run(WRITE_PAIRS, rows=rows)).consume()
    await _set_office_ids(tx, {row["source"] for row in rows})


async def _set_office_ids(tx: AsyncManagedTransaction, ids: set[str]) -> None:
    if ids:
        await (await tx.run(SET_OFFICE_IDS, ids=sorted(ids))).consume()


async def _newest(
    tx: AsyncManagedTransaction, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], HoldingEntry]:
    wanted = [{"source": s, "target": t} for s, t in sorted(set(pairs))]
    if not wanted:
        return {}
    found: dict[tuple[str, str], HoldingEntry] = {}
    async for record in await tx.run(NEWEST, pairs=wanted):
        if record["props"] is not None:
            found[(record["source"], record["target"])] = entry_from_statement(
                record["article"], record["props"]
            )
    return found


async def add_entries(
    tx: AsyncManagedTransaction, new: dict[tuple[str, str], HoldingEntry], token: str
) -> None:
    """Record each (person, office) pair's entry for one article: its `STATES_HOLDING`, and the pair's
    edge created, or its counts raised (and its evidence replaced when this is the newest word)."""
    if not new:
        return
    pairs = [{"source": s, "target": t} for s, t in sorted(new)]
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    async for record in await tx.run(READ_PAIRS, pairs=pairs, token=token):
        found.setdefault((record["source"], record["target"]), []).append(dict(record))
    updates: list[dict[str, Any]] = []
    creates: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    legacy: dict[tuple[str, str], list[HoldingEntry]] = {}
    for (s, t), entry in sorted(new.items()):
        edges = found.get((s, t), [])
        if not edges:
            creates.append({"source": s, "target": t, "props": props_from_entries([entry])})
        elif len(edges) > 1 or edges[0]["legacy"]:
            legacy[(s, t)] = [entry]  # completed below from the old edges
            continue
        else:
            edge = edges[0]
            props: dict[str, Any] = {
                "count": int(edge["count"] or 0) + entry.count,
                "articles": int(edge["articles"] or 0) + 1,
            }
            if newer(entry, edge["observed_at"], edge["article_id"]):
                props.update(representative(entry))
            updates.append({"edge": edge["edge"], "props": props})
        statements.append({"article_id": entry.article_id, "target": t, "props": statement_props(entry, s)})
    if statements:
        await (await tx.run(CREATE_STATEMENTS, rows=statements)).consume()
    if updates:
        await (await tx.run(UPDATE_EDGES, rows=updates)).consume()
    if creates:
        await (await tx.run(CREATE_EDGES, rows=creates)).consume()
    if legacy:
        # Edges the start-up migration has not folded (written meanwhile by an older writer).
        async for record in await tx.run(
            "UNWIND $pairs AS pair MATCH (p:Entity {id: pair.source})-[r:HOLDS_OFFICE]->"
            "(o:Entity {id: pair.target}) RETURN p.id AS source, o.id AS target, properties(r) AS props",
            pairs=[{"source": s, "target": t} for s, t in sorted(legacy)],
        ):
            legacy[(record["source"], record["target"])] += entries_from_props(record["props"])
        await _rewrite_pairs(tx, legacy)


async def _settle(
    tx: AsyncManagedTransaction,
    lost: dict[tuple[str, str], tuple[int, int]],
    article_id: str,
    token: str,
    redated: bool = False,
) -> None:
    """The edges of pairs whose statements changed: counts lowered by `lost` (statements, articles),
    the newest word picked again where it may have changed, no edge where no statement is left."""
    if not lost:
        return
    pairs = [{"source": s, "target": t} for s, t in sorted(lost)]
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    async for record in await tx.run(READ_PAIRS, pairs=pairs, token=token):
        edges[(record["source"], record["target"])] = dict(record)
    again = [
        pair
        for pair, edge in edges.items()
        if redated or edge["article_id"] == article_id or edge["articles"] is None
    ]
    newest = await _newest(tx, again)
    updates: list[dict[str, Any]] = []
    gone: list[str] = []
    for pair, edge in sorted(edges.items()):
        statements, articles = lost[pair]
        left = int(edge["articles"] or 0) - articles
        if left <= 0 or (pair in again and pair not in newest):
            gone.append(edge["edge"])
            continue
        props: dict[str, Any] = {"count": int(edge["count"] or 0) - statements, "articles": left}
        if pair in newest:
            props.update(representative(newest[pair]))
        updates.append({"edge": edge["edge"], "props": props})
    if updates:
        await (await tx.run(UPDATE_EDGES, rows=updates)).consume()
    if gone:
        await (await tx.run(DELETE_EDGES, edges=gone)).consume()
        await _set_office_ids(tx, {s for (s, _t), e in edges.items() if e["edge"] in gone})


async def remove_article(tx: AsyncManagedTransaction, article_id: str, token: str) -> tuple[int, set[str]]:
    """Take one article's word off every edge it supported; return how many edges, and the nodes at
    their ends."""
    lost: dict[tuple[str, str], tuple[int, int]] = {}
    async for record in await tx.run(TAKE_ARTICLE, article_id=article_id):
        pair = (record["source"], record["target"])
        statements, articles = lost.get(pair, (0, 0))
        lost[pair] = (statements + int(record["count"] or 1), articles + 1)
    await _settle(tx, lost, article_id, token)
    return len(lost), {end for pair in lost for end in pair}


async def redate_article(
    tx: AsyncManagedTransaction, article_id: str, observed_at: datetime, token: str
) -> None:
    """An article's new date, on its statements (the edge's newest word may change with it)."""
    pairs = {
        (r["source"], r["target"])
        async for r in await tx.run(REDATE_ARTICLE, article_id=article_id, observed_at=observed_at)
    }
    await _settle(tx, {pair: (0, 0) for pair in pairs}, article_id, token, redated=True)


async def move_for_merge(tx: AsyncManagedTransaction, source: str, target: str, token: str) -> None:
    """Fold the merged-away person's edges and statements into the surviving person's (one edge per
    office, one statement per article and office)."""
    offices: list[str] = []
    moving_legacy: dict[tuple[str, str], list[HoldingEntry]] = {}
    async for record in await tx.run(READ_FOR_MERGE, {"from": source, "to": target, "token": token}):
        offices.append(record["target"])
        for side in ("moving", "staying"):
            props = record[side]
            if props and (props.get("articles") is None or props.get("article_ids") is not None):
                moving_legacy.setdefault((target, record["target"]), []).extend(entries_from_props(props))
    if not offices:
        return
    # Statements: the source's move to the target; one article saying both keeps one (`collapse`).
    by_pair: dict[str, list[tuple[str, HoldingEntry]]] = {}
    for person in (target, source):
        async for record in await tx.run(STATEMENTS_OF, person=person):
            if record["target"] in offices:
                by_pair.setdefault(record["target"], []).append(
                    (record["statement"], entry_from_statement(record["article"], record["props"]))
                )
    drop: list[str] = []
    keep: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for office in offices:
        said = by_pair.get(office, [])
        merged = collapse([*(e for _, e in said), *moving_legacy.get((target, office), [])])
        first: dict[str, str] = {}
        for statement, entry in said:
            if entry.article_id in first:
                drop.append(statement)
            else:
                first[entry.article_id] = statement
        for entry in merged:
            if entry.article_id in first:
                keep.append({"statement": first[entry.article_id], "props": statement_props(entry, target)})
        rows.append({"source": target, "target": office, "props": props_from_entries(merged)})
    missing = [
        {"article_id": e.article_id, "target": office, "props": statement_props(e, target)}
        for (_, office), entries in moving_legacy.items()
        for e in collapse(entries)
        if e.article_id not in {x.article_id for _, x in by_pair.get(office, [])}
    ]
    if drop:
        await (await tx.run(DELETE_STATEMENTS, ids=drop)).consume()
    if keep:
        await (await tx.run(SET_STATEMENTS, rows=keep)).consume()
    if missing:
        await (await tx.run(CREATE_STATEMENTS, rows=missing)).consume()
    await (
        await tx.run("MATCH (:Entity {id: $from})-[r:HOLDS_OFFICE]->() DELETE r", {"from": source})
    ).consume()
    await (await tx.run(WRITE_PAIRS, rows=rows)).consume()
    await _set_office_ids(tx, {source, target})


async def fold_legacy(tx: AsyncManagedTransaction, token: str, limit: int = 500) -> int:
    """Fold up to `limit` pairs of edges written before `STATES_HOLDING` into one edge each with a
    statement per article; return how many pairs."""
    pairs: dict[tuple[str, str], list[HoldingEntry]] = {}
    async for record in await tx.run(LEGACY_PAIRS, limit=limit, token=token):
        pairs[(record["source"], record["target"])] = [
            e for props in record["edges"] for e in entries_from_props(props)
        ]
    await _rewrite_pairs(tx, pairs)
    return len(pairs)
