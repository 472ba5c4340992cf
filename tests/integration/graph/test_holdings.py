"""One HOLDS_OFFICE per person and office in a real Neo4j, and exact removal of one article's part of it.

Also: an article repeating one sentence writes one assertion with a count. Names carry a per-test token.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from neo4j import AsyncDriver

from app.config import Settings
from app.ingest_service import PERSON_RULES
from graph import holdings
from graph import queries as q
from graph.profiles import parse_profile
from graph.profiling import PlanLog
from graph.writer import _write_tx, delete_article, reextract_article, update_article_metadata, write_article
from ingest.models import Article, Entity, GraphDelta, Relation, entity_id

pytestmark = pytest.mark.integration


@pytest.fixture
def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def ent(type_: str, name: str, **props: str) -> Entity:
    return Entity(id=entity_id(type_, name), type=type_, name=name, properties=props)  # type: ignore[arg-type]


def rel(type_: str, s: Entity, t: Entity, sentence: str, start: int = 0, **props: str) -> Relation:
    return Relation(
        type=type_,  # type: ignore[arg-type]
        source=s.id,
        target=t.id,
        evidence=sentence,
        char_start=start,
        char_end=start + len(sentence),
        properties=props,
    )


def story(tok: str, day: int, status: str, holds: bool = True) -> tuple[Article, GraphDelta]:
    mayor = ent("Person", f"Brandon Johnson{tok}")
    office = ent("Office", f"Mayor of Chicago{tok}", title="Mayor", jurisdiction=f"Chicago{tok}")
    critic = ent("Person", f"Ann Lee{tok}")
    text = f"Day {day}: {status} Mayor Johnson{tok} spoke; Lee{tok} criticized him."
    art = Article(
        id=Article.content_hash(text),
        text=text,
        title=f"day {day}",
        published_at=datetime(2025, 3, day, tzinfo=UTC),
    )
    relations = [rel("CRITICIZED", critic, mayor, f"Lee{tok} criticized him.")]
    if holds:
        relations.append(rel("HOLDS_OFFICE", mayor, office, f"{status} Mayor Johnson{tok}.", status=status))
    return art, GraphDelta(id=art.id, extractor="h/1", entities=[mayor, office, critic], relations=relations)


async def holding(driver: AsyncDriver, db: str, tok: str) -> list[dict]:
    records, _, _ = await driver.execute_query(
        "MATCH (:Person {id: $p})-[r:HOLDS_OFFICE]->(:Office {id: $o}) RETURN properties(r) AS r",
        p=entity_id("Person", f"Brandon Johnson{tok}"),
        o=entity_id("Office", f"Mayor of Chicago{tok}"),
        database_=db,
    )
    return [r["r"] for r in records]


async def statements(driver: AsyncDriver, db: str, tok: str) -> list[tuple[str, int, str | None]]:
    """Each article's word on the holding (its `STATES_HOLDING`), oldest first: article, count, status."""
    records, _, _ = await driver.execute_query(
        "MATCH (a:Article)-[s:STATES_HOLDING {person_id: $p}]->(:Office {id: $o}) "
        "RETURN a.id AS article, s.count AS count, s.status AS status "
        "ORDER BY s.observed_at, a.id",
        p=entity_id("Person", f"Brandon Johnson{tok}"),
        o=entity_id("Office", f"Mayor of Chicago{tok}"),
        database_=db,
    )
    return [(r["article"], r["count"], r["status"]) for r in records]


async def edge_id(driver: AsyncDriver, db: str, tok: str) -> str:
    records, _, _ = await driver.execute_query(
        "MATCH (:Person {id: $p})-[r:HOLDS_OFFICE]->() RETURN elementId(r) AS id",
        p=entity_id("Person", f"Brandon Johnson{tok}"),
        database_=db,
    )
    return str(records[0]["id"])


async def test_office_holding_from_many_articles_is_one_edge_and_each_article_leaves_exactly(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    stories = [story(tok, 1, "current"), story(tok, 9, "former"), story(tok, 5, "current")]
    for art, delta in stories:
        await write_article(clean_graph, db, art, delta, rules=PERSON_RULES, extractor_version="1")
    (edge,) = await holding(clean_graph, db, tok)
    ids = [a.id for a, _ in stories]
    assert [a for a, _, _ in await statements(clean_graph, db, tok)] == [ids[0], ids[2], ids[1]]
    assert not {"article_ids", "article_evidence"} & set(edge)  # no per-article lists on the edge
    assert edge["count"] == 3 and edge["articles"] == 3
    # The newest article speaks for the edge: its evidence, date and status.
    assert edge["article_id"] == ids[1] and edge["status"] == "former"
    assert edge["evidence"] == f"former Mayor Johnson{tok}."
    assert edge["observed_at"].to_native() == datetime(2025, 3, 9, tzinfo=UTC)

    # Re-extracting the newest without the office: only its entry goes, the next newest speaks.
    art, _ = stories[1]
    _, without = story(tok, 9, "former", holds=False)
    await reextract_article(
        clean_graph,
        db,
        art,
        without.model_copy(update={"extractor": "h/2"}),
        extractor_version="2",
        expected_extractor="h/1",
        rules=PERSON_RULES,
    )
    (edge,) = await holding(clean_graph, db, tok)
    assert [a for a, _, _ in await statements(clean_graph, db, tok)] == [ids[0], ids[2]]
    assert edge["article_id"] == ids[2] and edge["status"] == "current" and edge["count"] == 2
    assert edge["articles"] == 2

    # A new date for the oldest makes it the newest; the edge is updated in place (same element id).
    before = await edge_id(clean_graph, db, tok)
    await update_article_metadata(
        clean_graph, db, ids[0], {"published_at": datetime(2025, 3, 20, tzinfo=UTC)}
    )
    (edge,) = await holding(clean_graph, db, tok)
    assert [a for a, _, _ in await statements(clean_graph, db, tok)] == [ids[2], ids[0]]
    assert edge["article_id"] == ids[0] and edge["observed_at"].to_native() == datetime(
        2025, 3, 20, tzinfo=UTC
    )
    assert await edge_id(clean_graph, db, tok) == before

    await delete_article(clean_graph, db, ids[0])
    (edge,) = await holding(clean_graph, db, tok)
    assert await statements(clean_graph, db, tok) == [(ids[2], 1, "current")]
    assert edge["article_id"] == ids[2] and edge["count"] == 1 and edge["articles"] == 1
    await delete_article(clean_graph, db, ids[2])
    assert await holding(clean_graph, db, tok) == []


async def test_an_article_repeating_one_sentence_writes_one_assertion_per_statement(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    mayor = ent("Person", f"Brandon Johnson{tok}")
    office = ent("Office", f"Mayor of Chicago{tok}", title="Mayor", jurisdiction=f"Chicago{tok}")
    critic = ent("Person", f"Ann Lee{tok}")
    sentence = f"Lee{tok} slammed Mayor Johnson{tok}. "
    times = 19_608
    text = sentence * times
    art = Article(id=Article.content_hash(text), text=text)
    relations = []
    for i in range(times):
        start = i * len(sentence)
        relations.append(rel("CRITICIZED", critic, mayor, sentence.strip(), start))
        relations.append(rel("HOLDS_OFFICE", mayor, office, sentence.strip(), start, status="current"))
    delta = GraphDelta(id=art.id, extractor="h/1", entities=[mayor, office, critic], relations=relations)
    result = await write_article(clean_graph, db, art, delta, rules=PERSON_RULES)
    assert result.relations_written == 2
    records, _, _ = await clean_graph.execute_query(
        "MATCH (:Person {id: $s})-[r]->() RETURN type(r) AS type, r.count AS count, r.char_start AS start",
        s=critic.id,
        database_=db,
    )
    assert [r.data() for r in records] == [{"type": "CRITICIZED", "count": times, "start": 0}]
    (edge,) = await holding(clean_graph, db, tok)
    assert edge["count"] == times and await statements(clean_graph, db, tok) == [(art.id, times, "current")]


async def test_every_article_sees_the_office_holding_it_supports_with_its_own_sentence(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    """An article's assertions and relations(filter: {article}) include a collapsed HOLDS_OFFICE whether
    or not the article is the edge's newest, with that article's sentence, date and status."""
    db = settings.neo4j_database
    stories = [story(tok, 1, "current"), story(tok, 9, "former"), story(tok, 5, "acting")]
    for art, delta in stories:
        await write_article(clean_graph, db, art, delta, rules=PERSON_RULES, extractor_version="1")
    (edge,) = await holding(clean_graph, db, tok)
    edge_element = await edge_id(clean_graph, db, tok)
    assert edge["article_id"] == stories[1][0].id  # day 9 is the representative

    ids = [a.id for a, _ in stories]
    records, _, _ = await clean_graph.execute_query(q.ASSERTIONS_BY_ARTICLE, ids=ids, database_=db)
    by_article = {r["id"]: r["items"] for r in records}
    for (art, _), day, status in zip(stories, (1, 9, 5), ("current", "former", "acting"), strict=True):
        items = by_article[art.id]
        assert sorted(i["r"]["type"] for i in items) == ["CRITICIZED", "HOLDS_OFFICE"], art.id
        (held,) = [i for i in items if i["r"]["type"] == "HOLDS_OFFICE"]
        assert held["r"]["id"] == edge_element
        assert held["r"]["article_id"] == art.id
        assert held["r"]["evidence"] == f"{status} Mayor Johnson{tok}."
        assert held["r"]["status"] == status
        assert held["r"]["quote"] is None
        assert held["r"]["observed_at"].startswith(f"2025-03-0{day}")
        assert held["s"]["name"] == f"Brandon Johnson{tok}" and held["t"]["name"] == f"Mayor of Chicago{tok}"

    page = {
        "lo": None,
        "hi": None,
        "after_at": None,
        "after_id": None,
        "since": None,
        "until": None,
        "limit": 10,
        "source": None,
        "target": None,
        "with_total": True,
    }
    oldest = ids[0]
    query = q.relations_filtered("article", q.READABLE_RELATION_TYPES, with_total=True)
    records, _, _ = await clean_graph.execute_query(query, page, article=oldest, database_=db)
    (record,) = records
    assert record["total"] == 2
    types = {i["r"]["type"]: i for i in record["items"]}
    assert set(types) == {"CRITICIZED", "HOLDS_OFFICE"}
    assert types["HOLDS_OFFICE"]["r"]["evidence"] == f"current Mayor Johnson{tok}."
    assert types["HOLDS_OFFICE"]["key"][0].startswith("2025-03-01")

    # Only office holdings, and a date range that leaves the oldest article's word out.
    only = q.relations_filtered("article", ("HOLDS_OFFICE",), with_total=True, dated=True)
    since = datetime(2025, 3, 2, tzinfo=UTC)
    records, _, _ = await clean_graph.execute_query(
        only, {**page, "since": since}, article=oldest, database_=db
    )
    assert records[0]["total"] == 0 and records[0]["items"] == []
    records, _, _ = await clean_graph.execute_query(
        only, {**page, "since": since}, article=ids[2], database_=db
    )
    assert records[0]["total"] == 1
    assert records[0]["items"][0]["r"]["evidence"] == f"acting Mayor Johnson{tok}."

    # An article gone is gone from the edge, and from its own assertions.
    await delete_article(clean_graph, db, ids[2])
    records, _, _ = await clean_graph.execute_query(q.ASSERTIONS_BY_ARTICLE, ids=[ids[2]], database_=db)
    assert records == [] or records[0]["items"] == []


async def offices_kept_and_held(driver: AsyncDriver, db: str, tok: str) -> dict[str, tuple[list, list]]:
    records, _, _ = await driver.execute_query(
        "MATCH (p:Person) WHERE p.id CONTAINS $tok "
        "RETURN p.id AS id, p.office_ids AS kept, [(p)-[:HOLDS_OFFICE]->(o) | o.id] AS held",
        tok=tok,
        database_=db,
    )
    return {r["id"]: (sorted(r["kept"] or []), sorted(r["held"])) for r in records}


async def stale_profiles(driver: AsyncDriver, db: str, tok: str) -> dict[str, tuple[Any, Any]]:
    """People whose `lookup_profile` is not what their own properties say (`graph.profiles`)."""
    records, _, _ = await driver.execute_query(
        "MATCH (p:Person) WHERE p.id CONTAINS $tok RETURN p.lookup_profile AS profile, "
        "[p.id, p.name, p.aliases, p.gender, coalesce(p.office_ids, [])] AS props",
        tok=tok,
        database_=db,
    )
    out = {}
    for r in records:
        person, name, aliases, gender, offices = r["props"]
        expected = (person, name or "", tuple(aliases or ()), gender, tuple(offices))
        got = parse_profile(r["profile"]) if r["profile"] is not None else None
        if got != expected:
            out[person] = (got, expected)
    return out


async def test_a_persons_office_ids_follow_its_office_edges_through_writes_merges_and_deletes(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    """The person look-up reads candidates' offices through `Person.office_ids`, not their edges, and
    each candidate through its `lookup_profile`: both follow every write, merge and delete."""
    db = settings.neo4j_database
    bare = ent("Person", f"Johnson{tok}")
    office = ent("Office", f"Mayor of Chicago{tok}", title="Mayor", jurisdiction=f"Chicago{tok}")
    brandon = ent("Person", f"Brandon Johnson{tok}")
    chair = ent("Office", f"Chair of Finance{tok}", title="Chair", jurisdiction=f"Finance{tok}")

    def holds(person: Entity, held: Entity, text: str) -> tuple[Article, GraphDelta]:
        art = Article(id=Article.content_hash(text), text=text, title=text)
        relations = [rel("HOLDS_OFFICE", person, held, text)]
        return art, GraphDelta(id=art.id, extractor="h/1", entities=[person, held], relations=relations)

    stories = [
        holds(bare, office, f"Mayor Johnson{tok} spoke."),  # a bare node with an office
        story(tok, 1, "current"),  # Brandon Johnson, mayor: the bare node is folded into him
        story(tok, 2, "former"),
        holds(brandon, chair, f"Chair Brandon Johnson{tok} spoke."),  # a second office
    ]
    for art, delta in stories:
        await write_article(clean_graph, db, art, delta, rules=PERSON_RULES, extractor_version="1")
        seen = await offices_kept_and_held(clean_graph, db, tok)
        assert all(kept == held for kept, held in seen.values()), seen
        assert await stale_profiles(clean_graph, db, tok) == {}
    assert bare.id not in seen
    assert seen[brandon.id][0] == sorted([chair.id, office.id])
    for art, _ in stories:
        await delete_article(clean_graph, db, art.id)
        seen = await offices_kept_and_held(clean_graph, db, tok)
        assert all(kept == held for kept, held in seen.values()), seen
        assert await stale_profiles(clean_graph, db, tok) == {}
    assert brandon.id not in seen


def saying(tok: str, n: int) -> tuple[Article, GraphDelta]:
    """The n-th article saying that Brandon Johnson is mayor, one day after the other."""
    mayor = ent("Person", f"Brandon Johnson{tok}")
    office = ent("Office", f"Mayor of Chicago{tok}", title="Mayor", jurisdiction=f"Chicago{tok}")
    sentence = f"Mayor Johnson{tok} spoke for the {n}th time."
    art = Article(
        id=Article.content_hash(f"{n}: {sentence}"),
        text=sentence,
        published_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=n),
    )
    return art, GraphDelta(
        id=art.id,
        extractor="h/1",
        entities=[mayor, office],
        relations=[rel("HOLDS_OFFICE", mayor, office, sentence, status="current")],
    )


# The statements `graph.holdings` runs, as `PlanLog` keeps their text.
HOLDINGS_STATEMENTS = {
    " ".join(value.split())
    for name, value in vars(holdings).items()
    if name.isupper() and isinstance(value, str) and "MATCH" in value
}


async def holding_write_hits(driver: AsyncDriver, db: str, art: Article, delta: GraphDelta) -> list[int]:
    """Database hits of each statement that writes an article's office-holding (its edge and its word:
    the article's write statement, `ADD_IN_WRITE` in it), the article's write PROFILEd and rolled back."""
    log = PlanLog()
    await log.transaction(
        driver, db, _write_tx, art, delta, "1", datetime.now(UTC), PERSON_RULES, commit=False
    )
    in_write = " ".join(holdings.ADD_IN_WRITE.split())  # the article's write statement carries it
    return [p.db_hits for p in log.plans if p.query in HOLDINGS_STATEMENTS or in_write in p.query]


async def test_a_holding_said_many_times_costs_the_same_to_say_again_as_one_said_twice(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    """Each article's word is its own STATES_HOLDING: the pair's edge keeps counts and the newest word,
    so saying a hub holding again does not read or rewrite what the earlier articles said."""
    db = settings.neo4j_database
    stories = [saying(tok, n) for n in range(1, 202)]
    await write_article(clean_graph, db, *stories[0], rules=PERSON_RULES, extractor_version="1")
    twice = await holding_write_hits(clean_graph, db, *stories[1])
    await write_article(clean_graph, db, *stories[1], rules=PERSON_RULES, extractor_version="1")
    (said_twice,) = await holding(clean_graph, db, tok)
    for art, delta in stories[2:200]:
        await write_article(clean_graph, db, art, delta, rules=PERSON_RULES, extractor_version="1")
    (edge,) = await holding(clean_graph, db, tok)
    assert edge["articles"] == 200 and edge["article_id"] == stories[199][0].id
    # The same properties as when said twice, none a list that grows with the articles.
    assert set(edge) == set(said_twice) and not any(isinstance(v, list) for v in edge.values())
    many = await holding_write_hits(clean_graph, db, *stories[200])
    # The article's write (its entities, assertions, the edge read and updated, the article's word).
    assert len(twice) >= 1 and len(many) == len(twice)
    # At most one more hit a statement: the person and the office have passed Neo4j's dense-node
    # threshold by then, and the edge is found through their relationship groups.
    assert all(m <= t + 1 for t, m in zip(twice, many, strict=True)), (twice, many)


async def test_the_newest_word_is_the_latest_instant_then_the_highest_article_and_old_edges_are_folded(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    """The article's write decides in Cypher which article speaks for the edge (`holdings.ADD_IN_WRITE`):
    dates compare as instants whatever their offsets, and an edge from before `STATES_HOLDING` met by a
    write is folded into one edge with a statement per article (`holdings.add_entries`)."""
    db = settings.neo4j_database

    def dated(day: int, when: datetime, status: str) -> tuple[Article, GraphDelta]:
        art, delta = story(tok, day, status)
        return art.model_copy(update={"published_at": when}), delta

    # 12:00 at +02:00 is 10:00 UTC: older than 11:00 UTC, though its clock reads later.
    later = dated(2, datetime(2025, 3, 5, 11, 0, tzinfo=UTC), "former")
    earlier = dated(3, datetime(2025, 3, 5, 12, 0, tzinfo=timezone(timedelta(hours=2))), "acting")
    for art, delta in (later, earlier):
        await write_article(clean_graph, db, art, delta, rules=PERSON_RULES, extractor_version="1")
    (edge,) = await holding(clean_graph, db, tok)
    assert edge["article_id"] == later[0].id and edge["status"] == "former" and edge["articles"] == 2

    # The same instant: the higher article id speaks, whichever is written first.
    when = datetime(2025, 3, 6, tzinfo=UTC)
    same = sorted((dated(d, when, s) for d, s in ((4, "current"), (5, "acting"))), key=lambda s: s[0].id)
    for art, delta in reversed(same):
        await write_article(clean_graph, db, art, delta, rules=PERSON_RULES, extractor_version="1")
    (edge,) = await holding(clean_graph, db, tok)
    assert edge["article_id"] == same[1][0].id and edge["articles"] == 4 and edge["count"] == 4

    # An edge as a writer from before STATES_HOLDING left it (its own evidence, no `articles`, no
    # statements), met by a new article's write: one edge, a statement for each article it knows.
    await clean_graph.execute_query(
        "MATCH (:Person {id: $p})-[r:HOLDS_OFFICE]->(o:Office) SET r.articles = null, r.count = 1 "
        "WITH o MATCH (:Article)-[s:STATES_HOLDING]->(o) DELETE s",
        p=entity_id("Person", f"Brandon Johnson{tok}"),
        database_=db,
    )
    newest = dated(7, datetime(2025, 3, 7, tzinfo=UTC), "current")
    await write_article(clean_graph, db, *newest, rules=PERSON_RULES, extractor_version="1")
    (edge,) = await holding(clean_graph, db, tok)
    assert edge["articles"] == 2 and edge["count"] == 2 and edge["article_id"] == newest[0].id
    assert [a for a, _, _ in await statements(clean_graph, db, tok)] == [same[1][0].id, newest[0].id]


@pytest.mark.parametrize("rules", [PERSON_RULES, None], ids=["resolved", "by-id"])
async def test_articles_saying_one_holding_at_once_lose_no_count(
    clean_graph: AsyncDriver, settings: Settings, tok: str, rules: Any
) -> None:
    """Eight writers at once on one pair's edge: each adds its article and its word, none overwrites
    another's counts (with or without the resolution's surname locks: the edge is locked before it is
    read)."""
    db = settings.neo4j_database
    stories = [saying(tok, n) for n in range(1, 10)]
    await write_article(clean_graph, db, *stories[0], rules=rules, extractor_version="1")  # the edge exists
    await asyncio.gather(
        *(write_article(clean_graph, db, *s, rules=rules, extractor_version="1") for s in stories[1:])
    )
    (edge,) = await holding(clean_graph, db, tok)
    assert edge["articles"] == 9 and edge["count"] == 9
    assert edge["article_id"] == stories[-1][0].id  # the latest date speaks, whatever finished last
    assert len(await statements(clean_graph, db, tok)) == 9
