"""The writer against a real Neo4j: one article per transaction, unchanged re-ingest, replacement by URL,
concurrent writes of one article, re-extraction of an article in place, deletion. Names carry a per-test
token so the shared database's other data never meets these tests' nodes."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime

import pytest
from neo4j import AsyncDriver

from app.config import Settings
from graph.writer import (
    allowed_entity_type,
    allowed_relation_type,
    delete_article,
    existing_article_ids,
    existing_articles,
    reextract_article,
    write_article,
)
from ingest.models import Article, Entity, GraphDelta, Relation, entity_id

pytestmark = pytest.mark.integration


@pytest.fixture
def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def ent(type_: str, name: str, **props: str) -> Entity:
    return Entity(id=entity_id(type_, name), type=type_, name=name, properties=props)  # type: ignore[arg-type]


def rel(
    type_: str, source: Entity, target: Entity, evidence: str, quote: str | None = None, **props: str
) -> Relation:
    return Relation(
        type=type_,  # type: ignore[arg-type]
        source=source.id,
        target=target.id,
        evidence=evidence,
        quote=quote,
        char_start=0,
        char_end=len(evidence),
        confidence=0.8,
        properties=props,
    )


def article(text: str, url: str | None = None, title: str = "t") -> Article:
    return Article(
        id=Article.content_hash(text, title),
        text=text,
        title=title,
        url=url,
        source="test",
        published_at=datetime(2025, 1, 2, tzinfo=UTC),
    )


def krasner_delta(tok: str) -> tuple[Article, GraphDelta, dict[str, Entity]]:
    k = ent("Person", f"Larry Krasner{tok}")
    lyons = ent("Person", f"Todd Lyons{tok}")
    office = ent(
        "Office", f"District Attorney of Philadelphia{tok}", title="District Attorney", jurisdiction=tok
    )
    text = f"Lyons{tok} accused Krasner{tok} of division. Krasner{tok} is the DA."
    art = article(text, url=f"https://example.test/{tok}")
    delta = GraphDelta(
        id=art.id,
        extractor="test/1",
        entities=[k.model_copy(update={"aliases": [f"Krasner{tok}"], "mentions": 3}), lyons, office],
        relations=[
            rel("CRITICIZED", lyons, k, "Lyons accused Krasner of division.", "it makes nobody safe"),
            rel("HOLDS_OFFICE", k, office, "Krasner is the DA.", status="current"),
        ],
    )
    return art, delta, {"k": k, "lyons": lyons, "office": office}


async def count(driver: AsyncDriver, db: str, query: str, **params: object) -> int:
    records, _, _ = await driver.execute_query(query, params, database_=db)
    return records[0][0]


async def test_article_entities_assertions_and_mentions(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, e = krasner_delta(tok)
    result = await write_article(clean_graph, db, art, delta)
    assert result.status == "ingested"
    assert (result.entities_written, result.relations_written) == (3, 2)

    records, _, _ = await clean_graph.execute_query(
        "MATCH (a:Article {id: $id}) RETURN a", id=art.id, database_=db
    )
    a = records[0]["a"]
    assert a["url"] == art.url and a["title"] == "t" and a["source"] == "test"
    assert a["published_at"].to_native() == art.published_at
    assert a["ingested_at"] is not None and a["word_count"] == len(art.text.split())
    assert "write_token" not in a

    records, _, _ = await clean_graph.execute_query(
        "MATCH (p:Person:Entity {id: $id}) RETURN p", id=e["k"].id, database_=db
    )
    p = records[0]["p"]
    assert p["name"] == f"Larry Krasner{tok}" and p["type"] == "Person"
    assert set(p["aliases"]) == {f"Larry Krasner{tok}", f"Krasner{tok}"}
    assert p["surname"] == f"krasner{tok}"

    records, _, _ = await clean_graph.execute_query(
        "MATCH (:Person {id: $s})-[r:CRITICIZED]->(:Person {id: $t}) RETURN properties(r) AS r",
        s=e["lyons"].id,
        t=e["k"].id,
        database_=db,
    )
    r = records[0]["r"]
    assert set(r) == {
        "article_id",
        "evidence",
        "quote",
        "char_start",
        "char_end",
        "confidence",
        "extractor",
        "observed_at",
        "count",
    }
    assert r["count"] == 1
    assert r["article_id"] == art.id and r["quote"] == "it makes nobody safe" and r["extractor"] == "test/1"
    assert r["observed_at"].to_native() == art.published_at
    status = await count(
        clean_graph, db, "MATCH (:Person {id: $s})-[r:HOLDS_OFFICE]->(o:Office) RETURN r.status", s=e["k"].id
    )
    assert status == "current"
    mentions = await count(
        clean_graph,
        db,
        "MATCH (:Article {id: $a})-[m:MENTIONS]->(:Entity {id: $e}) RETURN m.count",
        a=art.id,
        e=e["k"].id,
    )
    assert mentions == 3


async def test_unchanged_article_writes_nothing(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, _ = krasner_delta(tok)
    await write_article(clean_graph, db, art, delta)
    before = await count(clean_graph, db, "MATCH ()-[r]->() RETURN count(r)")
    again = await write_article(clean_graph, db, art, delta)
    assert again.status == "unchanged" and again.relations_written == 0
    assert await count(clean_graph, db, "MATCH ()-[r]->() RETURN count(r)") == before
    assert await existing_article_ids(clean_graph, db, [art.id, "nope"]) == {art.id}


async def test_changed_version_replaces_only_its_own_assertions(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, e = krasner_delta(tok)
    await write_article(clean_graph, db, art, delta)
    # Another article also says Lyons criticized Krasner: its assertion must survive.
    other_text = f"Lyons{tok} criticized Krasner{tok} again."
    other = article(other_text, url=f"https://example.test/other-{tok}")
    other_delta = GraphDelta(
        id=other.id,
        entities=[e["k"], e["lyons"]],
        relations=[rel("CRITICIZED", e["lyons"], e["k"], other_text)],
    )
    await write_article(clean_graph, db, other, other_delta)

    hegseth = ent("Person", f"Pete Hegseth{tok}")
    v2_text = f"Hegseth{tok} praised Krasner{tok}."
    v2 = article(v2_text, url=art.url)
    v2_delta = GraphDelta(
        id=v2.id, entities=[e["k"], hegseth], relations=[rel("ENDORSED", hegseth, e["k"], v2_text)]
    )
    result = await write_article(clean_graph, db, v2, v2_delta)
    assert result.replaced == (art.id,)

    assert await count(clean_graph, db, "MATCH (a:Article {id: $id}) RETURN count(a)", id=art.id) == 0
    assert await count(clean_graph, db, "MATCH ()-[r {article_id: $id}]->() RETURN count(r)", id=art.id) == 0
    # The office only the old version spoke of is gone; Lyons keeps the other article's evidence.
    assert await count(clean_graph, db, "MATCH (o:Entity {id: $id}) RETURN count(o)", id=e["office"].id) == 0
    assert (
        await count(
            clean_graph, db, "MATCH (:Person {id: $s})-[r:CRITICIZED]->() RETURN count(r)", s=e["lyons"].id
        )
        == 1
    )
    assert (
        await count(
            clean_graph,
            db,
            "MATCH (:Person {id: $s})-[r:ENDORSED {article_id: $a}]->() RETURN count(r)",
            s=hegseth.id,
            a=v2.id,
        )
        == 1
    )


async def test_concurrent_writes_of_one_article_leave_one_copy(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, _ = krasner_delta(tok)
    results = await asyncio.gather(*(write_article(clean_graph, db, art, delta) for _ in range(3)))
    assert sorted(r.status for r in results) == ["ingested", "unchanged", "unchanged"]
    assert await count(clean_graph, db, "MATCH (a:Article {id: $id}) RETURN count(a)", id=art.id) == 1
    assert await count(clean_graph, db, "MATCH ()-[r {article_id: $id}]->() RETURN count(r)", id=art.id) == 2
    assert (
        await count(clean_graph, db, "MATCH (p:Entity) WHERE p.id ENDS WITH $t RETURN count(p)", t=tok) == 3
    )


async def test_delete_article_removes_assertions_and_orphans(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, e = krasner_delta(tok)
    await write_article(clean_graph, db, art, delta)
    keep_text = f"Krasner{tok} spoke."
    keep = article(keep_text)
    await write_article(clean_graph, db, keep, GraphDelta(id=keep.id, entities=[e["k"]], relations=[]))
    result = await delete_article(clean_graph, db, art.id)
    assert result.found and result.relations_deleted == 2
    assert set(result.entity_ids) == {e["lyons"].id, e["office"].id}
    assert await count(clean_graph, db, "MATCH (p:Entity {id: $id}) RETURN count(p)", id=e["k"].id) == 1
    missing = await delete_article(clean_graph, db, art.id)
    assert not missing.found


async def test_text_and_extractor_version_are_stored_with_the_article(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, _ = krasner_delta(tok)
    await write_article(clean_graph, db, art, delta, extractor_version="0.1.0")
    records, _, _ = await clean_graph.execute_query(
        "MATCH (a:Article {id: $id}) RETURN a.text AS text, a.extractor AS name, a.extractor_version AS v",
        id=art.id,
        database_=db,
    )
    assert (records[0]["text"], records[0]["name"], records[0]["v"]) == (art.text, "test/1", "0.1.0")
    stored = await existing_articles(clean_graph, db, [art.id, "nope"])
    assert set(stored) == {art.id}
    assert (stored[art.id].extractor, stored[art.id].version, stored[art.id].has_text) == (
        "test/1",
        "0.1.0",
        True,
    )


async def assertion_ids(driver: AsyncDriver, db: str, article_id: str) -> set[str]:
    records, _, _ = await driver.execute_query(
        "MATCH ()-[r {article_id: $id}]->() RETURN collect(elementId(r)) AS ids", id=article_id, database_=db
    )
    return set(records[0]["ids"])


async def test_reextraction_replaces_only_the_articles_own_assertions_and_mentions(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, e = krasner_delta(tok)
    await write_article(clean_graph, db, art, delta, extractor_version="0.1.0")
    # Another article says Lyons criticized Krasner too: its assertion and its mentions must survive.
    other_text = f"Lyons{tok} criticized Krasner{tok} again."
    other = article(other_text, url=f"https://example.test/other-{tok}")
    other_delta = GraphDelta(
        id=other.id,
        extractor="test/1",
        entities=[e["k"], e["lyons"]],
        relations=[rel("CRITICIZED", e["lyons"], e["k"], other_text)],
    )
    await write_article(clean_graph, db, other, other_delta, extractor_version="0.1.0")
    others_before = await assertion_ids(clean_graph, db, other.id)
    old_ids = await assertion_ids(clean_graph, db, art.id)
    records, _, _ = await clean_graph.execute_query(
        "MATCH (a:Article {id: $id}) RETURN a.ingested_at AS at", id=art.id, database_=db
    )
    ingested_at = records[0]["at"]

    hegseth = ent("Person", f"Pete Hegseth{tok}")
    new = GraphDelta(
        id=art.id,
        extractor="test/2",
        entities=[e["k"], hegseth],
        relations=[rel("ENDORSED", hegseth, e["k"], f"Hegseth{tok} praised Krasner{tok}.")],
    )
    result = await reextract_article(
        clean_graph, db, art, new, extractor_version="0.2.0", expected_extractor="test/1"
    )
    assert result.status == "reextracted" and (result.entities_written, result.relations_written) == (2, 1)

    # The old assertions are gone, the new one is there, dated by the article as before.
    assert not (await assertion_ids(clean_graph, db, art.id)) & old_ids
    records, _, _ = await clean_graph.execute_query(
        "MATCH (s)-[r {article_id: $id}]->(t) RETURN type(r) AS type, s.id AS s, t.id AS t, "
        "r.extractor AS extractor, r.observed_at AS observed",
        id=art.id,
        database_=db,
    )
    assert [(r["type"], r["s"], r["t"], r["extractor"]) for r in records] == [
        ("ENDORSED", hegseth.id, e["k"].id, "test/2")
    ]
    assert records[0]["observed"].to_native() == art.published_at
    records, _, _ = await clean_graph.execute_query(
        "MATCH (a:Article {id: $id}) OPTIONAL MATCH (a)-[:MENTIONS]->(m) "
        "RETURN a.extractor AS name, a.extractor_version AS v, a.ingested_at AS at, a.text AS text, "
        "a.write_token AS token, collect(m.id) AS mentions",
        id=art.id,
        database_=db,
    )
    a = records[0]
    assert (a["name"], a["v"], a["text"], a["token"]) == ("test/2", "0.2.0", art.text, None)
    assert a["at"] == ingested_at
    assert set(a["mentions"]) == {e["k"].id, hegseth.id}
    # The office only the old extraction spoke of is gone; Lyons keeps the other article's evidence.
    assert await count(clean_graph, db, "MATCH (o:Entity {id: $id}) RETURN count(o)", id=e["office"].id) == 0
    assert await count(clean_graph, db, "MATCH (o:Entity {id: $id}) RETURN count(o)", id=e["lyons"].id) == 1
    assert await assertion_ids(clean_graph, db, other.id) == others_before


async def test_reextraction_of_an_article_redone_or_deleted_meanwhile_writes_nothing(
    clean_graph: AsyncDriver, settings: Settings, tok: str
) -> None:
    db = settings.neo4j_database
    art, delta, _ = krasner_delta(tok)
    await write_article(clean_graph, db, art, delta, extractor_version="0.1.0")
    before = await assertion_ids(clean_graph, db, art.id)
    empty = GraphDelta(id=art.id, extractor="test/2")

    # Picked when another extractor had written it: someone has redone it since.
    seen_old = await reextract_article(
        clean_graph, db, art, empty, extractor_version="0.2.0", expected_extractor="test/0"
    )
    assert seen_old.status == "unchanged"
    assert await assertion_ids(clean_graph, db, art.id) == before
    records, _, _ = await clean_graph.execute_query(
        "MATCH (a:Article {id: $id}) RETURN a.extractor AS name, a.write_token AS token",
        id=art.id,
        database_=db,
    )
    assert (records[0]["name"], records[0]["token"]) == ("test/1", None)

    # Two runs racing on one article: one rewrites it, the other then sees it redone.
    racing = await asyncio.gather(
        *(
            reextract_article(
                clean_graph, db, art, empty, extractor_version="0.2.0", expected_extractor="test/1"
            )
            for _ in range(2)
        )
    )
    assert sorted(r.status for r in racing) == ["reextracted", "unchanged"]

    await delete_article(clean_graph, db, art.id)
    gone = await reextract_article(
        clean_graph, db, art, delta, extractor_version="0.2.0", expected_extractor="test/2"
    )
    assert gone.status == "missing"
    assert await count(clean_graph, db, "MATCH (a:Article {id: $id}) RETURN count(a)", id=art.id) == 0
    assert await count(clean_graph, db, "MATCH ()-[r {article_id: $id}]->() RETURN count(r)", id=art.id) == 0


def test_labels_and_types_only_from_allow_lists() -> None:
    assert allowed_entity_type("Person") == "Person"
    assert allowed_relation_type("CRITICIZED") == "CRITICIZED"
    with pytest.raises(ValueError):
        allowed_entity_type("Person {id: 1}) DETACH DELETE n //")
    with pytest.raises(ValueError):
        allowed_relation_type("MENTIONS")  # only the writer's own MENTIONS, never from a delta
    with pytest.raises(ValueError):
        allowed_relation_type("KNOWS]->() DELETE r //")
