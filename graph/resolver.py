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
from typing import Any, Protocol, runtime_checkable

from neo4j import AsyncManagedTransaction

from graph import holdings
from graph.profiles import parse_profile, profile_of
from ingest import resolve as rules_text
from ingest.models import RELATION_TYPES, GraphDelta

# HOLDS_OFFICE is folded by `graph.holdings` (one edge per person and office), not copied.
MOVABLE_TYPES: list[str] = [t for t in RELATION_TYPES if t != "HOLDS_OFFICE"]

# The plan of a write statement is kept once made (`replan=skip`). Neo4j otherwise plans a statement again
# when the graph's statistics have moved enough since (they move all the time while an archive loads),
# and planning the look-up costs far more than running it (session 10 found a fifth of Neo4j's CPU in
# compiling during a load). Every seek of these statements is on a unique id or has an index hint, so a
# plan made on a young graph is the same plan.
KEEP_PLAN = "CYPHER replan=skip\n"

# Each surname's resolution lock, taken before a look-up (see LOOKUP_PEOPLE for why it works).
LOCK_SURNAMES = """
CALL () {
  UNWIND $locks AS surname
  MERGE (l:ResolutionLock {surname: surname})
  SET l.locked_at = $now
  DELETE l
}
"""

# The backfill's look-up of whole surname groups (`app.backfill.writing.existing_people`): everyone of
# these surnames, or having one of the full-name surfaces as an alias. A writer uses `LOOKUP_PEOPLE`.
FETCH_PEOPLE = (
    LOCK_SURNAMES
    + """CALL () {
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
)

# The writer's look-up: only the people whose presence can change a resolution rule's answer, each
# found through an index on a key finer than the surname, so a common surname's group, which grows with
# the archive, is never read whole (docs/graph-model.md, "Person look-up"):
# 1. for a full-name mention, people of its surname whose given-name key is compatible
#    (`Person {surname, given_key}`: the same name, its initial, its nickname family; an initial-only
#    mention takes every given name of that letter);
# 2. people having one of its full-name surfaces as an alias (`entity_names`, kept only when the alias
#    is that surface or the person has one of the article's surnames);
# 3. the bare-surname nodes of the article's surnames (`given_key: ''`);
# 4. for each bare mention and each bare node of those surnames, what `match_person` and `absorbs`
#    decide a bare name on: two full-name people of the surname whose gender does not rule them out
#    (one means "the only one", two "ambiguous"), and every full-name holder of the surname of an office
#    compatible with the bare one's (`Office.office_key`, `match_keys`, `match_prefix`, or the office
#    itself).
# Every seek is in a subquery of its own, with an index hint: the planner then seeks once per key
# (an Apply), and cannot read a whole index to hash-join it with the keys, which it did at times on a
# graph whose statistics were young.
# With `$locks`, resolution of each surname is serialised across writers first: the second waits for
# the first to commit, then sees its people. Without it two articles written at once ("Kenyatta
# Johnson", "Johnson") each miss the other and stay two nodes. The lock is the uniqueness constraint's
# entry lock on `ResolutionLock.surname`: MERGE creates the node, which takes that lock exclusively until
# the transaction ends, and the node is deleted at once, so none outlives its transaction (the lock
# does: Neo4j releases locks at commit or rollback, not at DELETE). A second writer's MERGE of the same
# surname waits on the entry lock, then finds no node and takes the lock itself. Surnames are locked in
# sorted order, in the same round trip as the look-up.
LOOKUP_CANDIDATES = (
    """CALL () {
  UNWIND $named AS m
  UNWIND m.given AS given
  CALL (m, given) {
    MATCH (p:Person {surname: m.surname, given_key: given})
    USING INDEX SEEK p:Person(surname, given_key)
    RETURN p
  }
  RETURN p
  UNION
  UNWIND $initialled AS m
  CALL (m) {
    MATCH (p:Person {surname: m.surname})
    USING INDEX SEEK p:Person(surname, given_key)
    WHERE p.given_key STARTS WITH m.initial
    RETURN p
  }
  RETURN p
  UNION
  UNWIND $phrases AS phrases
  CALL db.index.fulltext.queryNodes('entity_names', phrases) YIELD node
  WITH node AS p
  WHERE p:Person
    AND (p.surname IN $surnames OR any(a IN coalesce(p.aliases, []) WHERE toLower(a) IN $surfaces))
  RETURN p
  UNION
  UNWIND $surnames AS surname
  CALL (surname) {
    MATCH (p:Person {surname: surname, given_key: ''})
    USING INDEX SEEK p:Person(surname, given_key)
    RETURN p
  }
  RETURN p
  UNION
  CALL () {
    UNWIND $bare AS m
    RETURN m.surname AS surname, m.gender AS gender, m.keys AS keys, m.prefixes AS prefixes,
           m.offices AS offices
    UNION
    UNWIND $surnames AS surname
    CALL (surname) {
      MATCH (b:Person {surname: surname, given_key: ''})
      USING INDEX SEEK b:Person(surname, given_key)
      RETURN b
    }
    CALL (b) {
      UNWIND coalesce(b.office_ids, []) AS office
      MATCH (o:Entity {id: office}) WHERE o:Office
      RETURN collect(o) AS held
    }
    WITH surname, b, held
    RETURN surname, b.gender AS gender,
           reduce(acc = [], o IN held | acc + coalesce(o.match_keys, [])) AS keys,
           [o IN held WHERE o.match_prefix IS NOT NULL | o.match_prefix] AS prefixes,
           [o IN held | o.id] AS offices
  }
  CALL (surname, gender, keys, prefixes, offices) {
    MATCH (p:Person {surname: surname})
    USING INDEX SEEK p:Person(surname, given_key)
    WHERE p.given_key > '' AND (gender IS NULL OR p.gender IS NULL OR p.gender = gender)
    RETURN p LIMIT 2
    UNION
    // From each office to its holders of the surname, through the `holds_office_holder` index on
    // `HOLDS_OFFICE.holder_key` (office id | surname): neither the surname's people nor the office's
    // relationships are walked.
    UNWIND keys AS key
    CALL (key) {
      MATCH (o:Office {office_key: key})
      USING INDEX SEEK o:Office(office_key)
      RETURN o
    }
    WITH o.id + '|' + surname AS holder
    CALL (holder) {
      MATCH (p:Person)-[h:HOLDS_OFFICE]->()
      USING INDEX SEEK h:HOLDS_OFFICE(holder_key)
      WHERE h.holder_key = holder AND p.given_key > ''
      RETURN p
    }
    RETURN p
    UNION
    UNWIND prefixes AS prefix
    CALL (prefix) {
      MATCH (o:Office)
      USING INDEX SEEK o:Office(office_key)
      WHERE o.office_key STARTS WITH prefix
      RETURN o
    }
    WITH o.id + '|' + surname AS holder
    CALL (holder) {
      MATCH (p:Person)-[h:HOLDS_OFFICE]->()
      USING INDEX SEEK h:HOLDS_OFFICE(holder_key)
      WHERE h.holder_key = holder AND p.given_key > ''
      RETURN p
    }
    RETURN p
    UNION
    UNWIND offices AS office
    CALL (office) {
      MATCH (o:Entity {id: office})
      RETURN o
    }
    WITH o.id + '|' + surname AS holder
    CALL (holder) {
      MATCH (p:Person)-[h:HOLDS_OFFICE]->()
      USING INDEX SEEK h:HOLDS_OFFICE(holder_key)
      WHERE h.holder_key = holder AND p.given_key > ''
      RETURN p
    }
    RETURN p
  }
  RETURN p
}
WITH DISTINCT p
// One property per candidate (`graph.profiles`); a person written before it has none and is read
// property by property instead (a CASE, which Cypher evaluates lazily; coalesce reads every argument).
WITH p, p.lookup_profile AS profile
WITH CASE WHEN profile IS NULL THEN """
    + profile_of("p")
    + """ ELSE profile END AS profile
// A candidate's offices by their ids on the person (`office_ids`, kept by `graph.holdings`, the end of
// the profile): index seeks, where expanding HOLDS_OFFICE would walk every relationship of a person
// below Neo4j's dense-node threshold, a chain that grows with each article mentioning them.
CALL (profile) {
  UNWIND profile[4 + toInteger(profile[3])..] AS office
  MATCH (o:Entity {id: office}) WHERE o:Office
  RETURN collect(DISTINCT {id: o.id, title: o.title, jurisdiction: o.jurisdiction}) AS offices
}
"""
)
LOOKUP_PEOPLE = KEEP_PLAN + LOCK_SURNAMES + LOOKUP_CANDIDATES + "RETURN profile, offices\n"

# People by id, as the look-up returns them: for writes whose resolution was decided before (a backfill's
# `PresolvedRules`), which only need the nodes their plan folds.
PEOPLE_BY_ID = """
UNWIND $ids AS id
MATCH (p:Entity {id: id}) WHERE p:Person
CALL (p) {
  UNWIND coalesce(p.office_ids, []) AS office
  MATCH (o:Entity {id: office}) WHERE o:Office
  RETURN collect(DISTINCT {id: o.id, title: o.title, jurisdiction: o.jurisdiction}) AS offices
}
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


# ---------------------------------------------------------------------------------------------------
# Blocking keys. Each is a function of what `ingest.resolve` compares, so two names (or offices) the
# rules call compatible always share a key the look-up asks for; a key may be coarser than the rules,
# never finer. The rules still decide, on the people the keys find.


def given_key(name: str) -> str:
    """`Person.given_key`: the folded first given name ("brandon", "b" for "B. Johnson"); "" when bare."""
    tokens = rules_text.name_tokens(name)
    return tokens[0].rstrip(".") if len(tokens) > 1 else ""


def given_keys_wanted(name: str) -> tuple[list[str], str | None]:
    """The given-name keys a full-name mention's candidates can have, and the initial to look up by
    prefix when the mention gives only an initial ("D. Trump" ~ every D-name Trump).

    `given_names_compatible` allows the same name, an initial of it, or a nickname of the same family."""
    given = given_key(name)
    if not given:
        return [], None
    if len(given) == 1:
        return [], given
    keys = {given, given[0]}
    for family in rules_text.NICKNAMES:
        if given in family:
            keys |= family | {n[0] for n in family}
    return sorted(keys), None


def _title_key(title: str | None) -> str:
    return rules_text.fold(title) if title else ""  # the rules' own folding


def _jurisdiction_key(jurisdiction: str | None) -> list[str]:
    return rules_text.jurisdiction_words(jurisdiction) if jurisdiction else []


def office_key(title: str | None, jurisdiction: str | None) -> str | None:
    """`Office.office_key`: folded title, "|", jurisdiction words; None without a title (such an office is
    compatible with itself only)."""
    if not _title_key(title):
        return None
    return _title_key(title) + "|" + " ".join(_jurisdiction_key(jurisdiction))


def office_lookup(title: str | None, jurisdiction: str | None) -> tuple[list[str], str | None]:
    """The `office_key`s of every office `OfficeRef.compatible` may accept besides itself, and a prefix
    to use instead when they cannot be listed.

    Same title, and: no jurisdiction; the same jurisdiction words; or a shorter one made of body words
    that ends it ("City Council" for "Philadelphia City Council"). An office whose own jurisdiction is
    missing or only body words is compatible with every office of its title: the prefix "title|"."""
    title_k = _title_key(title)
    if not title_k:
        return [], None
    words = _jurisdiction_key(jurisdiction)
    if not words or all(w in rules_text.BODY_WORDS for w in words):
        return [], title_k + "|"
    keys = {title_k + "|", title_k + "|" + " ".join(words)}
    for start in range(1, len(words)):
        tail = words[start:]
        if all(w in rules_text.BODY_WORDS for w in tail):
            keys.add(title_k + "|" + " ".join(tail))
    return sorted(keys), None


def office_props(title: Any, jurisdiction: Any) -> dict[str, Any]:
    """The look-up keys an `:Office` node carries (set by the writer, and by the migration)."""
    t = str(title) if title else None
    j = str(jurisdiction) if jurisdiction else None
    keys, prefix = office_lookup(t, j)
    return {"office_key": office_key(t, j), "match_keys": keys, "match_prefix": prefix}


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

FINISH_MERGE = (
    """
MATCH (s:Entity {id: $from}), (t:Entity {id: $to})
SET t.aliases = $aliases, t.updated_at = $now, t.gender = coalesce(t.gender, s.gender)
SET t.lookup_profile = """
    + profile_of("t")
    + """
DETACH DELETE s
"""
)


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


@runtime_checkable
class PresolvedResolution(ResolutionRules, Protocol):
    """Rules for writes whose people were resolved before the write (a backfill's plan): the write reads
    only the nodes these ids name, with no look-up and no resolution lock, since it decides nothing."""

    def people_to_read(self, mentions: Sequence[PersonRecord]) -> list[str]: ...


def _profile(record: dict[str, Any]) -> PersonRecord:
    offices = tuple(
        OfficeRecord(o["id"], o.get("title"), o.get("jurisdiction")) for o in record["offices"] if o.get("id")
    )
    if record.get("profile") is not None:
        person, name, aliases, gender, _ = parse_profile(record["profile"])
        return PersonRecord(person, name, aliases, offices, gender)
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


def lookup_params(mentions: Sequence[PersonRecord], rules: ResolutionRules) -> dict[str, Any]:
    """`LOOKUP_PEOPLE`'s parameters for an article's people (pure: no database)."""
    surnames = sorted({s for m in mentions if (s := rules.surname(m.name))})
    named: list[dict[str, Any]] = []
    initialled: list[dict[str, Any]] = []
    bare: list[dict[str, Any]] = []
    for m in mentions:
        surname = rules.surname(m.name)
        if not surname:
            continue
        if rules.is_bare(m.name):
            keys: set[str] = set()
            prefixes: set[str] = set()
            for office in m.offices:
                exact, prefix = office_lookup(office.title, office.jurisdiction)
                keys.update(exact)
                if prefix:
                    prefixes.add(prefix)
            bare.append(
                {
                    "surname": surname,
                    "gender": m.gender,
                    "keys": sorted(keys),
                    "prefixes": sorted(prefixes),
                    "offices": sorted({o.id for o in m.offices}),
                }
            )
            continue
        given, initial = given_keys_wanted(m.name)
        if initial is not None:
            initialled.append({"surname": surname, "initial": initial})
        else:
            named.append({"surname": surname, "given": given})
    surfaces = {s for m in mentions for s in (m.name, *m.aliases)}
    full = {s.lower() for s in surfaces if len(s.split()) > 1}
    # The alias look-up also asks for each surface as the rules fold it ("Mayor Brandon Johnson" is
    # "brandon johnson" to them); a hit of another surname counts only when the alias is a surface.
    folded = {" ".join(tokens) for s in surfaces if len(tokens := rules_text.name_tokens(s)) > 1}
    return {
        "surnames": surnames,
        "named": named,
        "initialled": initialled,
        "bare": bare,
        "surfaces": sorted(full),
        "phrases": phrase_queries(full | folded),
    }


async def lookup_people(
    tx: AsyncManagedTransaction,
    mentions: Sequence[PersonRecord],
    rules: ResolutionRules,
    *,
    now: datetime | None = None,
) -> list[PersonRecord]:
    """The graph's people that can change how these mentions resolve, after taking their surnames'
    resolution locks: one statement, index seeks only (`LOOKUP_PEOPLE`)."""
    params = lookup_params(mentions, rules)
    result = await tx.run(LOOKUP_PEOPLE, params, locks=params["surnames"], now=now)
    return [_profile(r.data()) async for r in result]


async def people_by_id(tx: AsyncManagedTransaction, ids: Sequence[str]) -> list[PersonRecord]:
    """These people as resolution sees them (`PEOPLE_BY_ID`); an id no longer in the graph is left out."""
    result = await tx.run(PEOPLE_BY_ID, ids=list(ids))
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


def lookup_request(delta: GraphDelta, rules: ResolutionRules | None) -> dict[str, Any] | None:
    """The parameters of the article's person look-up (`LOOKUP_PEOPLE`'s, locks included), or None when
    its write runs none: no rules, no person, or presolved rules (which read their people by id).

    The writer sends them with its first statement (`graph.writer.CLAIM_AND_LOOKUP`), so claiming the
    article, taking the surnames' locks and looking its people up cost one round trip."""
    if rules is None or isinstance(rules, PresolvedResolution):
        return None
    mentions = delta_people(delta)
    if not mentions:
        return None
    params = lookup_params(mentions, rules)
    return {**params, "locks": params["surnames"]}


def people_of(found: Iterable[Sequence[Any]]) -> list[PersonRecord]:
    """The candidates `CLAIM_AND_LOOKUP` collected as `[profile, offices]` pairs, as `lookup_people`'s."""
    return [_profile({"profile": profile, "offices": offices}) for profile, offices in found]


async def resolve_people(
    tx: AsyncManagedTransaction,
    delta: GraphDelta,
    rules: ResolutionRules,
    now: datetime,
    *,
    found: Sequence[PersonRecord] | None = None,
) -> Resolution:
    """Map each person id of the delta to the graph node it is (its own id when it is new).

    Takes the article's surnames' resolution locks first, so writers of the same surname take turns.
    Presolved rules (`PresolvedResolution`) decided before the write: only the people they name are read.
    `found`: the look-up's answer, already read in this transaction (with `lookup_request`'s parameters,
    the locks taken): it is not run again."""
    mentions = delta_people(delta)
    if not mentions:
        return Resolution()
    if found is not None:
        candidates = list(found)
    elif isinstance(rules, PresolvedResolution):
        wanted = sorted(set(rules.people_to_read(mentions)))
        candidates = await people_by_id(tx, wanted) if wanted else []
    else:
        candidates = await lookup_people(tx, mentions, rules, now=now)
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
    of those surnames as the write left them (`Resolution.people_after_write`).

    The people are taken in id order, not in the order given: a person who absorbs one bare node takes
    its offices, which can decide whether a second bare node of the surname is theirs too, and the order
    given is the database's (the writer's look-up) or the plan's (a backfill), which need not agree."""
    if not written:
        return []
    ids = set(written)
    surnames = set(written.values())
    people = sorted((p for p in people if rules.surname(p.name) in surnames), key=lambda p: p.id)
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
