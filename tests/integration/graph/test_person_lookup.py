"""The writer's person look-up (`graph.resolver.LOOKUP_PEOPLE`) in a real Neo4j.

It reads only the people that can change a resolution, through keys finer than the surname; these tests
check that the rules give the same answers on what it reads as on the whole surname group (the look-up
before it), that a bare surname resolves as it did, and that a resolution lock serialises two writers
and leaves no node behind. Surnames carry a per-test token, so the shared database's others never count.
"""

from __future__ import annotations

import asyncio
import random
import secrets

import pytest
from neo4j import AsyncDriver, AsyncManagedTransaction

from app.config import Settings
from app.ingest_service import PERSON_RULES
from graph.resolver import OfficeRecord, PersonRecord, fetch_people, lookup_people
from graph.schema import add_lookup_keys
from graph.writer import write_article
from ingest.models import Article, Entity, GraphDelta, Relation, entity_id

pytestmark = pytest.mark.integration

GIVEN = ["Michael", "Mike", "M.", "William", "Bill", "Robert", "Bob", "Rochelle", "Ann", "Anne", "Tom"]
OFFICES = [
    ("Mayor", "Springfield"),
    ("Mayor", "Shelbyville"),
    ("Council President", "City Council"),
    ("Council President", "Springfield City Council"),
    ("Speaker", None),
    (None, None),  # an office known only by its id
]

# People as a graph written before the look-up keys holds them: the migration keys them.
POPULATE = """
UNWIND $people AS row
CREATE (p:Entity:Person {id: row.id, name: row.name, aliases: row.aliases, surname: row.surname,
                         type: 'Person'})
SET p.gender = row.gender
WITH p, row WHERE row.office IS NOT NULL
MERGE (o:Entity {id: row.office})
ON CREATE SET o:Office, o.type = 'Office', o.name = row.office, o.title = row.title,
              o.jurisdiction = row.jurisdiction
CREATE (p)-[:HOLDS_OFFICE {article_id: 'seed', evidence: 'seeded'}]->(o)
"""


@pytest.fixture
def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))


def office_ref(k: int, tok: str) -> OfficeRecord:
    title, juris = OFFICES[k]
    return OfficeRecord(f"office:{k}-{tok}", title, juris)


def population(tok: str, rng: random.Random) -> tuple[list[dict], list[str]]:
    surnames = [f"Quill{tok}", f"Marsh{tok}"]
    rows: dict[str, dict] = {}
    for i in range(160):
        surname = surnames[i % 2]
        bare = i % 23 == 0
        name = surname if bare else f"{rng.choice(GIVEN)} {surname}"
        node_id = entity_id("Person", name) + ("" if i < 40 else f"-{i}")  # namesakes are other nodes
        office = rng.randrange(len(OFFICES)) if rng.random() < 0.4 else None
        rows[node_id] = {
            "id": node_id,
            "name": name,
            "aliases": [name, *([f"Mayor {name}"] if office == 0 else [])],
            "surname": surname.lower(),
            "gender": rng.choice([None, None, "male", "female"]),
            "office": office_ref(office, tok).id if office is not None else None,
            "title": OFFICES[office][0] if office is not None else None,
            "jurisdiction": OFFICES[office][1] if office is not None else None,
        }
    return list(rows.values()), surnames


def mentions(tok: str, surnames: list[str], rng: random.Random) -> list[PersonRecord]:
    out = []
    for i in range(60):
        surname = surnames[i % 2]
        bare = i % 3 == 0
        name = surname if bare else f"{rng.choice([*GIVEN, 'Zed', 'B.'])} {surname}"
        offices = tuple(office_ref(rng.randrange(len(OFFICES)), tok) for _ in range(rng.randrange(3)))
        out.append(
            PersonRecord(
                entity_id("Person", name),
                name,
                (name, f"Mayor {name}") if i % 5 == 0 else (name,),
                offices,
                rng.choice([None, "male", "female"]),
            )
        )
    return out


def decisions(mention: PersonRecord, candidates: list[PersonRecord]) -> tuple[str, list[tuple[str, bool]]]:
    """The rules' answers for one mention: the node it resolves to, and for a full name, which of its
    surname's bare nodes it absorbs once written."""
    node = PERSON_RULES.match(mention, candidates)
    if PERSON_RULES.is_bare(mention.name):
        return node, []
    surname = PERSON_RULES.surname(mention.name)
    same = [c for c in candidates if PERSON_RULES.surname(c.name) == surname and c.id != node]
    written = next((c for c in candidates if c.id == node), mention)
    person = PersonRecord(
        node, written.name, written.aliases, (*written.offices, *mention.offices), mention.gender
    )
    rivals = [c for c in same if not PERSON_RULES.is_bare(c.name)]
    bares = sorted((c for c in same if PERSON_RULES.is_bare(c.name)), key=lambda c: c.id)
    return node, [(b.id, PERSON_RULES.absorbs(person, b, rivals)) for b in bares]


async def test_the_rules_answer_the_same_on_the_lookup_as_on_the_whole_surname_group(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    rng = random.Random(5)
    people, surnames = population(tok, rng)
    # A small group, where a bare name's answer hangs on how many full names its gender allows.
    rook = f"Rook{tok}"
    for given, gender in (("Bob", "male"), ("Carl", "male"), ("Zoe", "female")):
        people.append(
            {
                "id": entity_id("Person", f"{given} {rook}"),
                "name": f"{given} {rook}",
                "aliases": [f"{given} {rook}"],
                "surname": rook.lower(),
                "gender": gender,
                "office": None,
            }
        )
    await clean_graph.execute_query(POPULATE, people=people, database_=db)
    assert await add_lookup_keys(clean_graph, db) >= len(people)
    asked = mentions(tok, surnames, rng) + [
        PersonRecord(entity_id("Person", rook), rook, (rook,), (), gender)
        for gender in (None, "male", "female")
    ]

    async def both(tx: AsyncManagedTransaction, m: PersonRecord) -> tuple[list, list]:
        narrow = await lookup_people(tx, [m], PERSON_RULES)
        surfaces = (m.name, *m.aliases)
        whole = await fetch_people(tx, {PERSON_RULES.surname(m.name) or ""}, surfaces)
        return narrow, whole

    read_fewer = 0
    async with clean_graph.session(database=db) as session:
        for m in asked:
            narrow, whole = await session.execute_write(both, m)
            assert {p.id for p in narrow} <= {p.id for p in whole}, m
            assert decisions(m, narrow) == decisions(m, whole), m
            read_fewer += len(narrow) < len(whole)
            if m.name == rook:
                expected = {None: None, "male": None, "female": entity_id("Person", f"Zoe {rook}")}[m.gender]
                assert PERSON_RULES.match(m, narrow) == (expected or m.id), m
    # The point of it: most look-ups read less than the surname group (80 people each).
    assert read_fewer > len(asked) // 2


def ent(type_: str, name: str, **props: str) -> Entity:
    return Entity(id=entity_id(type_, name), type=type_, name=name, properties=props)  # type: ignore[arg-type]


def article(
    text: str, people: list[tuple[Entity, Entity | None]], target: Entity
) -> tuple[Article, GraphDelta]:
    art = Article(id=Article.content_hash(text), text=text)
    entities: dict[str, Entity] = {target.id: target}
    relations = []
    for who, held in people:
        entities[who.id] = who
        relations.append(Relation(type="CRITICIZED", source=who.id, target=target.id, evidence=text))
        if held is not None:
            entities[held.id] = held
            relations.append(
                Relation(
                    type="HOLDS_OFFICE",
                    source=who.id,
                    target=held.id,
                    evidence=text,
                    properties={"status": "current"},
                )
            )
    return art, GraphDelta(
        id=art.id, extractor="lookup/1", entities=list(entities.values()), relations=relations
    )


async def test_a_bare_surname_resolves_as_before_among_many_of_that_surname(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    """Thirty full-name Johnsons, one of them mayor: "Mayor Johnson" is the mayor; a bare "Johnson"
    without an office is ambiguous and stays its own node; later, no full name absorbs it."""
    db = settings.neo4j_database
    surname = f"Johnson{tok}"
    mayoralty = ent("Office", f"Mayor of Gotham{tok}", title="Mayor", jurisdiction=f"Gotham{tok}")
    target = ent("Organization", f"Agency{tok}")
    given = ["Brandon", "Mike", "Ann", "Bill", "Tom", "Rue"]
    for i in range(30):
        name = f"{given[i % len(given)]}{i} {surname}"
        held = mayoralty if i == 7 else None
        await write_article(
            clean_graph,
            db,
            *article(f"{name} spoke {i}.", [(ent("Person", name), held)], target),
            rules=PERSON_RULES,
        )
    mayor = entity_id("Person", f"{given[7 % len(given)]}7 {surname}")

    await write_article(
        clean_graph,
        db,
        *article(f"Mayor {surname} replied.", [(ent("Person", surname), mayoralty)], target),
        rules=PERSON_RULES,
    )
    await write_article(
        clean_graph,
        db,
        *article(f"{surname} objected.", [(ent("Person", surname), None)], target),
        rules=PERSON_RULES,
    )
    records, _, _ = await clean_graph.execute_query(
        "MATCH (p:Person {surname: $s}) "
        "OPTIONAL MATCH (p)-[r:CRITICIZED]->() RETURN p.id AS id, p.aliases AS aliases, count(r) AS said",
        s=surname.lower(),
        database_=db,
    )
    people = {r["id"]: r for r in records}
    assert len(people) == 31  # thirty full names and one bare node
    assert people[mayor]["said"] == 2 and surname in people[mayor]["aliases"]  # "Mayor Johnson" is the mayor
    bare = entity_id("Person", surname)
    assert people[bare]["said"] == 1  # the bare, office-less "Johnson": ambiguous among thirty


async def test_a_resolution_lock_holds_until_commit_and_leaves_no_node(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    name = f"Ann Lock{tok}"
    mention = PersonRecord(entity_id("Person", name), name, (name,))
    async with clean_graph.session(database=db) as first, clean_graph.session(database=db) as second:
        tx1 = await first.begin_transaction()
        assert await lookup_people(tx1, [mention], PERSON_RULES) == []
        await (
            await tx1.run(
                "CREATE (:Entity:Person {id: $id, name: $name, aliases: [$name], surname: $s, "
                "given_key: 'ann', type: 'Person'})",
                id=mention.id,
                name=name,
                s=f"lock{tok}",
            )
        ).consume()
        tx2 = await second.begin_transaction()
        waiting = asyncio.create_task(lookup_people(tx2, [mention], PERSON_RULES))
        await asyncio.sleep(2)
        assert not waiting.done(), "the second writer should wait for the first's surname lock"
        await tx1.commit()
        found = await asyncio.wait_for(waiting, timeout=60)
        assert [p.id for p in found] == [mention.id]  # it sees what the first committed
        await tx2.commit()
    records, _, _ = await clean_graph.execute_query(
        "MATCH (l:ResolutionLock {surname: $s}) RETURN count(l) AS n", s=f"lock{tok}", database_=db
    )
    assert records[0]["n"] == 0
