"""Cross-article entity resolution, database side: fetch candidate people, and merge nodes.

The decisions are `ingest.resolve`'s (pure, unit-tested), handed in by the caller as `ResolutionRules`
(`graph` imports nothing of `ingest` but its models); this module only reads what they need and
carries them out inside the writer's transaction, so an article and the merges it causes commit or
roll back together. There is no APOC: a merge moves each relationship with Neo4j 5.26's dynamic
relationship types (`$(type(r))`), restricted to the allow-listed assertion types plus MENTIONS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from neo4j import AsyncManagedTransaction

from ingest.models import RELATION_TYPES, GraphDelta

MOVABLE_TYPES: list[str] = list(RELATION_TYPES)

FETCH_PEOPLE = """
MATCH (p:Person)
WHERE p.surname IN $surnames OR any(a IN coalesce(p.aliases, []) WHERE toLower(a) IN $surfaces)
OPTIONAL MATCH (p)-[:HOLDS_OFFICE]->(o:Office)
WITH p, collect(DISTINCT {id: o.id, title: o.title, jurisdiction: o.jurisdiction}) AS found
WITH p, [x IN found WHERE x.id IS NOT NULL] AS offices
RETURN p.id AS id, p.name AS name, coalesce(p.aliases, []) AS aliases, p.gender AS gender, offices
"""

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
    tx: AsyncManagedTransaction, surnames: Iterable[str], surfaces: Iterable[str] = ()
) -> list[PersonRecord]:
    result = await tx.run(
        FETCH_PEOPLE,
        surnames=sorted(set(surnames)),
        surfaces=sorted({s.lower() for s in surfaces if len(s.split()) > 1}),
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


async def resolve_people(
    tx: AsyncManagedTransaction, delta: GraphDelta, rules: ResolutionRules
) -> dict[str, str]:
    """Map each person id of the delta to the graph node it is (its own id when it is new)."""
    mentions = delta_people(delta)
    if not mentions:
        return {}
    surnames = {s for m in mentions if (s := rules.surname(m.name))}
    surfaces = {s for m in mentions for s in (m.name, *m.aliases)}
    candidates = await fetch_people(tx, surnames, surfaces)
    return {m.id: rules.match(m, candidates) for m in mentions}


async def merge_nodes(
    tx: AsyncManagedTransaction, source: str, target: str, aliases: list[str], now: datetime
) -> None:
    """Fold `source` into `target`: its assertions, MENTIONS and aliases move; the node goes."""
    params = {"from": source, "to": target, "types": MOVABLE_TYPES}
    for query in (MOVE_OUTGOING, MOVE_INCOMING, MOVE_MENTIONS):
        await (await tx.run(query, params)).consume()
    await (await tx.run(FINISH_MERGE, params, aliases=aliases, now=now)).consume()


async def absorb_bare_people(
    tx: AsyncManagedTransaction, written: dict[str, str], now: datetime, rules: ResolutionRules
) -> list[Merge]:
    """After an article is written: fold every bare-surname node it identifies into its full name.

    `written` maps the person nodes the article wrote to their surnames. This is what makes
    resolution independent of arrival order: "Bilal" written first becomes "Rochelle Bilal" once she
    arrives, exactly when "Bilal" arriving second would have matched her."""
    if not written:
        return []
    ids = set(written)
    people = await fetch_people(tx, set(written.values()))
    merges: list[Merge] = []
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
                await merge_nodes(tx, bare.id, current.id, aliases, now)
                current = PersonRecord(
                    current.id,
                    current.name,
                    tuple(aliases),
                    current.offices + bare.offices,
                    current.gender or bare.gender,
                )
                gone.add(bare.id)
                merges.append(Merge(bare.id, current.id))
    return merges
