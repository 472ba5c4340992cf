"""Cross-article resolution in the graph: one person is one node, whichever article arrives first,
and two people who share a surname stay two. Surnames carry a per-test token so the shared
database's other people are never candidates."""

from __future__ import annotations

import asyncio
import itertools
import secrets

import pytest
from neo4j import AsyncDriver

from app.config import Settings
from app.ingest_service import PERSON_RULES
from graph.writer import write_article
from ingest.models import Article, Entity, GraphDelta, Relation, entity_id

pytestmark = pytest.mark.integration


async def write(driver: AsyncDriver, db: str, art: Article, delta: GraphDelta) -> None:
    await write_article(driver, db, art, delta, rules=PERSON_RULES)


@pytest.fixture
def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))


def ent(type_: str, name: str, aliases: tuple[str, ...] = (), **props: str) -> Entity:
    return Entity(
        id=entity_id(type_, name),
        type=type_,
        name=name,
        aliases=list(aliases),
        properties=props,  # type: ignore[arg-type]
    )


def office(title: str, jurisdiction: str | None, name: str) -> Entity:
    props = {"title": title, **({"jurisdiction": jurisdiction} if jurisdiction else {})}
    return ent("Office", name, **props)


def story(
    text: str, people: list[tuple[Entity, Entity | None]], target: Entity
) -> tuple[Article, GraphDelta]:
    """An article where each person (with the office the text gives them) criticized `target`."""
    art = Article(id=Article.content_hash(text), text=text, title=None)
    entities: dict[str, Entity] = {target.id: target}
    relations = []
    for person, held in people:
        entities[person.id] = person
        relations.append(Relation(type="CRITICIZED", source=person.id, target=target.id, evidence=text))
        if held is not None:
            entities[held.id] = held
            relations.append(
                Relation(
                    type="HOLDS_OFFICE",
                    source=person.id,
                    target=held.id,
                    evidence=text,
                    properties={"status": "current"},
                )
            )
    return art, GraphDelta(id=art.id, entities=list(entities.values()), relations=relations, extractor="t")


async def people(driver: AsyncDriver, db: str, tok: str) -> dict[str, dict]:
    records, _, _ = await driver.execute_query(
        """MATCH (p:Person) WHERE p.surname ENDS WITH $tok
           OPTIONAL MATCH (p)-[r:CRITICIZED]->(t) WITH p, count(r) AS crit
           OPTIONAL MATCH (:Article)-[m:MENTIONS]->(p)
           RETURN p.id AS id, p.name AS name, p.aliases AS aliases, crit, sum(m.count) AS mentions""",
        tok=tok.lower(),
        database_=db,
    )
    return {r["id"]: r.data() for r in records}


@pytest.mark.parametrize("bare_first", [True, False], ids=["bare-first", "full-first"])
async def test_bilal_is_one_node_in_either_order(
    clean_graph: AsyncDriver, settings: Settings, tok: str, bare_first: bool
) -> None:
    db = settings.neo4j_database
    ice = ent("Organization", f"ICE {tok}")
    sheriff = office("Sheriff", f"Philadelphia County {tok}", f"Sheriff of Philadelphia County {tok}")
    full = ent("Person", f"Rochelle Bilal{tok}", (f"Philadelphia County Sheriff Rochelle Bilal{tok}",))
    bare = ent("Person", f"Bilal{tok}")
    a1 = story(f"Former city official Bilal{tok} condemned ICE.", [(bare, None)], ice)
    a2 = story(f"Philadelphia County Sheriff Rochelle Bilal{tok} slammed ICE.", [(full, sheriff)], ice)
    for art, delta in [a1, a2] if bare_first else [a2, a1]:
        await write(clean_graph, db, art, delta)

    found = await people(clean_graph, db, tok)
    assert list(found) == [full.id]
    node = found[full.id]
    assert node["name"] == f"Rochelle Bilal{tok}"
    assert {f"Bilal{tok}", f"Rochelle Bilal{tok}", f"Philadelphia County Sheriff Rochelle Bilal{tok}"} <= set(
        node["aliases"]
    )
    assert node["crit"] == 2  # both articles' assertions, on one node
    assert node["mentions"] == 2


# Every article comes first in some run, and bare mentions meet the full names before and after.
ORDERS = list(itertools.islice(itertools.permutations(range(4)), 0, 24, 3))


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "".join(map(str, o)))
async def test_two_johnsons_never_merge_and_context_picks_the_right_one(
    clean_graph: AsyncDriver, settings: Settings, tok: str, order: tuple[int, ...]
) -> None:
    db = settings.neo4j_database
    trump = ent("Person", f"Donald Trump{tok}x")
    mayor = office("Mayor", f"Chicago {tok}", f"Mayor of Chicago {tok}")
    chicago_mayor_bare = office("Mayor", f"Chicago {tok}", f"Mayor of Chicago {tok}")
    speaker = office("Speaker", f"House {tok}", f"Speaker of the House {tok}")
    bare_speaker = office("Speaker", None, f"Speaker {tok}")
    brandon = ent("Person", f"Brandon Johnson{tok}")
    mike = ent("Person", f"Mike Johnson{tok}")
    bare = ent("Person", f"Johnson{tok}")
    articles = [
        story(f"Chicago Mayor Brandon Johnson{tok} criticized Trump.", [(brandon, mayor)], trump),
        story(f"House Speaker Mike Johnson{tok} criticized Trump.", [(mike, speaker)], trump),
        story(f"Speaker Johnson{tok} attacked Trump.", [(bare, bare_speaker)], trump),
        story(f"The Chicago mayor, Johnson{tok}, attacked Trump.", [(bare, chicago_mayor_bare)], trump),
    ]
    for n in order:
        await write(clean_graph, db, *articles[n])

    found = await people(clean_graph, db, tok)
    assert set(found) == {brandon.id, mike.id}, found
    assert found[brandon.id]["crit"] == 2 and found[mike.id]["crit"] == 2
    assert f"Johnson{tok}" in found[brandon.id]["aliases"] and f"Johnson{tok}" in found[mike.id]["aliases"]


async def test_ambiguous_bare_surname_stays_separate(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    trump = ent("Person", f"Donald Trump{tok}x")
    brandon = ent("Person", f"Brandon Johnson{tok}")
    mike = ent("Person", f"Mike Johnson{tok}")
    bare = ent("Person", f"Johnson{tok}")
    await write(clean_graph, db, *story(f"Brandon Johnson{tok} spoke.", [(brandon, None)], trump))
    await write(clean_graph, db, *story(f"Mike Johnson{tok} spoke.", [(mike, None)], trump))
    await write(clean_graph, db, *story(f"Johnson{tok} spoke.", [(bare, None)], trump))
    found = await people(clean_graph, db, tok)
    assert set(found) == {brandon.id, mike.id, bare.id}
    assert f"Johnson{tok}" not in found[brandon.id]["aliases"]


async def test_bare_surname_with_one_candidate_resolves_to_it(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    trump = ent("Person", f"Donald Trump{tok}x")
    brandon = ent("Person", f"Brandon Johnson{tok}")
    bare = ent("Person", f"Johnson{tok}")
    await write(clean_graph, db, *story(f"Johnson{tok} spoke.", [(bare, None)], trump))
    await write(clean_graph, db, *story(f"Brandon Johnson{tok} spoke.", [(brandon, None)], trump))
    assert set(await people(clean_graph, db, tok)) == {brandon.id}


# Title variants of one council president, as the extractor reads them: each pair is one person,
# whichever article is written first, and when both are written at once.
TITLE_VARIANTS = [
    (
        "City Council President {} criticized the mayor's budget on Tuesday.",
        "Council President {} praised the new police plan on Friday.",
    ),
    (
        "City Council President Darrell {} criticized the mayor's budget on Tuesday.",
        "Council President {} praised the new police plan on Friday.",
    ),
    (
        "Council President Darrell {} criticized the mayor's budget on Tuesday.",
        "council president {} praised the new police plan on Friday.",
    ),
]
SURNAMES = [
    "Okonkwo",
    "Lindqvist",
    "Haverford",
    "Quintero",
    "Castellano",
    "Whitfield",
    "Marchetti",
    "Delacroix",
    "Fairbanks",
]


@pytest.mark.parametrize("pair", range(len(TITLE_VARIANTS)))
async def test_council_president_title_variants_are_one_person_in_any_order_and_at_once(
    clean_graph: AsyncDriver, settings: Settings, pair: int
) -> None:
    from ingest.extract import get_extractor

    db = settings.neo4j_database
    extractor = get_extractor(settings.spacy_model)
    for mode, surname in zip(("ab", "ba", "together"), SURNAMES[pair * 3 : pair * 3 + 3], strict=True):
        texts = [t.format(surname) for t in TITLE_VARIANTS[pair]]
        arts = [Article(id=Article.content_hash(t), text=t) for t in texts]
        deltas = list(extractor.extract_many(arts, batch_size=2))
        assert all(any(e.type == "Person" for e in d.entities) for d in deltas), deltas
        jobs = list(zip(arts, deltas, strict=True))
        if mode == "ba":
            jobs.reverse()
        if mode == "together":
            await asyncio.gather(*(write(clean_graph, db, a, d) for a, d in jobs))
        else:
            for a, d in jobs:
                await write(clean_graph, db, a, d)
        records, _, _ = await clean_graph.execute_query(
            "MATCH (p:Person {surname: $s}) RETURN p.name AS name", s=surname.lower(), database_=db
        )
        assert len(records) == 1, (mode, texts, [r["name"] for r in records])
