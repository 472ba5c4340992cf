"""Cross-article entity resolution, database side: fetch candidate people, and merge nodes.

The decisions are `ingest.resolve`'s (pure, unit-tested), handed in by the caller as `ResolutionRules`
(`graph` imports nothing of `ingest` but its models); this module only reads what they need and
carries them out inside the writer's transaction, so an article and the merges it causes commit or
roll back together. There is no APOC: a merge moves each relationship with Neo4j 5.26's dynamic
relationship types (`$(type(r))`), restricted to the allow-listed assertion types plus MENTIONS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from neo4j import AsyncManagedTransaction

from graph import holdings
from ingest.models import RELATION_TYPES, GraphDelta

# HOLDS_OFFICE is folded by `graph.holdings` (one edge per person and office), not copied.
MOVABLE_TYPES: list[str] = [t for t in RELATION_TYPES if t != "HOLDS_OFFICE"]

# With `$locks`, resolution of each surname is serialised across writers first: the second waits for
# the first to commit, then sees its people. Without it two articles written at once ("Kenyatta
# Johnson", "Johnson") each miss the other and stay two nodes. One `:ResolutionLock` per surname,
# locked in sorted order, in the same round trip as the look-up.
# People sharing a surname with a mention (the `entity_surname` range index), or having one of its
# full-name surfaces as an alias (the `entity_names` full-text index, checked exactly afterwards): two
# index seeks, never a scan of every Person. `$phrases` is one Lucene query of quoted phrases.
FETCH_PEOPLE = """
CALL () {
  UNWIND $locks AS surname
  MERGE (l:ResolutionLock {surname: surname})
  SET l.locked_at = $now
}
CALL () {
  UNWIND $surnames AS surname
  MATCH (p:Person {surname: surname})
  RETURN p
  UNION
  UNWIND $phrases AS phrases
  CALL db.index.fulltext.queryNodes('entity_names', phrases) YIELD node
  WITH node AS p
  WHERE p:Person AND any(a IN coalesce(p.aliases, []) WHERE toLower(a) IN $surfaces)
  RETURN p
}
OPTIONAL MATCH (p)-[:HOLDS_OFFICE]->(o:Office)
WITH p, collect(DISTINCT {id: o.id, title: o.title, jurisdiction: o.jurisdiction}) AS found
WITH p, [x IN found WHERE x.id IS NOT NULL] AS offices
RETURN p.id AS id, p.name AS name, coalesce(p.aliases, []) AS aliases, p.gender AS gender, offices
"""


# Lucene's limit on clauses in one query is 1,024; an article's surfaces go in queries of this many.
PHRASES_PER_QUERY = 256
_LUCENE_SPECIAL = set('\\"')


def _phrase(surface: str) -> str:
    return '"' + "".join("\\" + c if c in _LUCENE_SPECIAL else c for c in surface) + '"'


def phrase_queries(surfaces: Iterable[str]) -> list[str]:
    """Lucene queries that find every node having one of these surfaces among its words, in order.

    A surface with no letter or digit is left out: it names no one, and Lucene would find nothing."""
    phrases = [_phrase(s) for s in sorted(set(surfaces)) if any(c.isalnum() for c in s)]
    return [
        " OR ".join(phrases[i : i + PHRASES_PER_QUERY]) for i in range(0, len(phrases), PHRASES_PER_QUERY)
    ]


# A node merge, in four steps; `$types` is the allow-list, `$from` the node that disappears.
MOVE_OUTGOING = """
MATCH (s:Entity {id: $from})-[r]->(o)
WHERE type(r) IN $types
MATCH (t:Entity {id: $to})
WITH r, t, CASE WHEN o.id = $from THEN t ELSE o END AS o2
WHERE o2 <> t
CREATE (t)-[r2:$(type(r))]->(o2)
SET r2 = properties(r)
RETURN count(r2) AS moved
"""

MOVE_INCOMING = """
MATCH (o:Entity)-[r]->(s:Entity {id: $from})
WHERE type(r) IN $types AND o.id <> $from
MATCH (t:Entity {id: $to})
WITH r, t, o
WHERE o <> t
CREATE (o)-[r2:$(type(r))]->(t)
SET r2 = properties(r)
RETURN count(r2) AS moved
"""

MOVE_MENTIONS = """
MATCH (a:Article)-[m:MENTIONS]->(s:Entity {id: $from})
MATCH (t:Entity {id: $to})
MERGE (a)-[m2:MENTIONS]->(t)
ON CREATE SET m2.count = m.count
ON MATCH SET m2.count = m2.count + m.count
RETURN count(m2) AS moved
"""

FINISH_MERGE = """
MATCH (s:Entity {id: $from}), (t:Entity {id: $to})
SET t.aliases = $aliases, t.updated_at = $now, t.gender = coalesce(t.gender, s.gender)
DETACH DELETE s
"""


@dataclass(frozen=True, slots=True)
class Merge:
    """One bare node folded into a full-name node after an article arrived."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class OfficeRecord:
    id: str
    title: str | None = None
    jurisdiction: str | None = None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person as resolution sees it: a mention in an article, or a node in the graph."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    offices: tuple[OfficeRecord, ...] = ()
    gender: str | None = None


class ResolutionRules(Protocol):
    """The decisions, supplied by the caller (`app.ingest_service.PersonRules` over `ingest.resolve`)."""

    def surname(self, name: str) -> str | None: ...

    def is_bare(self, name: str) -> bool: ...

    def match(self, mention: PersonRecord, candidates: Sequence[PersonRecord]) -> str:
        """The node id the mention resolves to (its own id, or an office-qualified one, when new)."""
        ...

    def absorbs(self, person: PersonRecord, bare: PersonRecord, rivals: Sequence[PersonRecord]) -> bool: ...

    def merge_aliases(self, *groups: Iterable[str]) -> list[str]: ...


def _profile(record: dict[str, Any]) -> PersonRecord:
    offices = tuple(
        OfficeRecord(o["id"], o.get("title"), o.get("jurisdiction")) for o in record["offices"] if o.get("id")
    )
    return PersonRecord(
        record["id"], record["name"] or "", tuple(record["aliases"]), offices, record.get("gender")
    )


async def fetch_people(
    tx: AsyncManagedTransaction,
    surnames: Iterable[str],
    surfaces: Iterable[str] = (),
    *,
    lock: bool = False,
    now: datetime | None = None,
) -> list[PersonRecord]:
    """People by surname or full-name alias; with `lock`, after taking the surnames' resolution locks."""
    names = sorted(set(surnames))
    full = sorted({s.lower() for s in surfaces if len(s.split()) > 1})
    result = await tx.run(
        FETCH_PEOPLE,
        surnames=names,
        surfaces=full,
        phrases=phrase_queries(full),
        locks=names if lock else [],
        now=now,
    )
    return [_profile(r.data()) async for r in result]


def delta_people(delta: GraphDelta) -> list[PersonRecord]:
    """The article's people as the resolver sees them, with the offices the article says they hold."""
    entities = {e.id: e for e in delta.entities}
    offices: dict[str, list[OfficeRecord]] = {}
    for rel in delta.relations:
        office = entities.get(rel.target)
        if rel.type == "HOLDS_OFFICE" and office is not None and office.type == "Office":
            title, juris = office.properties.get("title"), office.properties.get("jurisdiction")
            offices.setdefault(rel.source, []).append(
                OfficeRecord(office.id, str(title) if title else None, str(juris) if juris else None)
            )
    return [
        PersonRecord(
            e.id,
            e.name,
            tuple(e.aliases),
            tuple(offices.get(e.id, ())),
            str(e.properties["gender"]) if e.properties.get("gender") else None,
        )
        for e in delta.entities
        if e.type == "Person"
    ]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where each of an article's people went, and the graph's people the decision was made against."""

    ids: dict[str, str] = field(default_factory=dict)
    mentions: tuple[PersonRecord, ...] = ()
    candidates: tuple[PersonRecord, ...] = ()

    def people_after_write(self) -> list[PersonRecord]:
        """The candidates as the article's write leaves them, plus the nodes it created.

        The writer adds the article's names to aliases, its offices, and a gender the text gives; this
        mirrors it, so the merges that follow the write decide on what a second look-up would read,
        without one."""
        people = {c.id: c for c in self.candidates}
        for m in self.mentions:
            node = self.ids.get(m.id, m.id)
            old = people.get(node)
            if old is None:
                people[node] = PersonRecord(
                    node, m.name, _distinct((m.name, *m.aliases)), _distinct_offices(m.offices), m.gender
                )
            else:
                people[node] = PersonRecord(
                    node,
                    old.name,
                    _distinct((*old.aliases, m.name, *m.aliases)),
                    _distinct_offices((*old.offices, *m.offices)),
                    m.gender or old.gender,
                )
        return list(people.values())


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _distinct_offices(offices: Iterable[OfficeRecord]) -> tuple[OfficeRecord, ...]:
    return tuple({o.id: o for o in reversed(tuple(offices))}.values())[::-1]


async def resolve_people(
    tx: AsyncManagedTransaction, delta: GraphDelta, rules: ResolutionRules, now: datetime
) -> Resolution:
    """Map each person id of the delta to the graph node it is (its own id when it is new).

    Takes the article's surnames' resolution locks first, so writers of the same surname take turns."""
    mentions = delta_people(delta)
    if not mentions:
        return Resolution()
    surnames = {s for m in mentions if (s := rules.surname(m.name))}
    surfaces = {s for m in mentions for s in (m.name, *m.aliases)}
    candidates = await fetch_people(tx, surnames, surfaces, lock=True, now=now)
    ids = {m.id: rules.match(m, candidates) for m in mentions}
    return Resolution(ids, tuple(mentions), tuple(candidates))


async def merge_nodes(
    tx: AsyncManagedTransaction, source: str, target: str, aliases: list[str], now: datetime
) -> None:
    """Fold `source` into `target`: its assertions, MENTIONS and aliases move; the node goes."""
    params = {"from": source, "to": target, "types": MOVABLE_TYPES}
    await holdings.move_for_merge(tx, source, target, token=f"merge:{source}")
    for query in (MOVE_OUTGOING, MOVE_INCOMING, MOVE_MENTIONS):
        await (await tx.run(query, params)).consume()
    await (await tx.run(FINISH_MERGE, params, aliases=aliases, now=now)).consume()


@dataclass(frozen=True, slots=True)
class Absorption:
    """A bare-surname node to fold into a full-name node, and the aliases the full-name node keeps."""

    bare: str
    into: str
    aliases: tuple[str, ...]


def plan_absorptions(
    written: dict[str, str], rules: ResolutionRules, people: Sequence[PersonRecord]
) -> list[Absorption]:
    """The bare-surname nodes an article's write identifies, in the order they are folded.

    Pure, so the writer (`absorb_bare_people`, inside its transaction) and a backfill that plans
    resolution before writing (`app.backfill.resolution`) decide the same merges with one loop.
    `written` maps the person nodes the article wrote to their surnames; `people` is the graph's people
    of those surnames as the write left them (`Resolution.people_after_write`)."""
    if not written:
        return []
    ids = set(written)
    surnames = set(written.values())
    people = [p for p in people if rules.surname(p.name) in surnames]
    out: list[Absorption] = []
    gone: set[str] = set()
    surname = {p.id: rules.surname(p.name) for p in people}
    bare_ids = {p.id for p in people if rules.is_bare(p.name)}
    for person in people:
        if person.id not in ids or person.id in bare_ids:
            continue
        same = [
            p
            for p in people
            if surname[p.id] == surname[person.id] and p.id != person.id and p.id not in gone
        ]
        rivals = [p for p in same if p.id not in bare_ids]
        current = person
        for bare in (p for p in same if p.id in bare_ids):
            if rules.absorbs(current, bare, rivals):
                aliases = rules.merge_aliases(current.aliases, [current.name], [bare.name], bare.aliases)
                current = PersonRecord(
                    current.id,
                    current.name,
                    tuple(aliases),
                    current.offices + bare.offices,
                    current.gender or bare.gender,
                )
                gone.add(bare.id)
                out.append(Absorption(bare.id, current.id, tuple(aliases)))
    return out


async def absorb_bare_people(
    tx: AsyncManagedTransaction,
    written: dict[str, str],
    now: datetime,
    rules: ResolutionRules,
    people: Sequence[PersonRecord],
) -> list[Merge]:
    """After an article is written: fold every bare-surname node it identifies into its full name
    (`plan_absorptions` decides which).

    This is what makes resolution independent of arrival order: "Bilal" written first becomes
    "Rochelle Bilal" once she arrives, exactly when "Bilal" arriving second would have matched her."""
    merges: list[Merge] = []
    for absorption in plan_absorptions(written, rules, people):
        await merge_nodes(tx, absorption.bare, absorption.into, list(absorption.aliases), now)
        merges.append(Merge(absorption.bare, absorption.into))
    return merges
