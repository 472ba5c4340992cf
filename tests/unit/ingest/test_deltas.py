"""The lossless deltas form: a record survives a round trip, a bad line says what is wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.deltas import BadDelta, DeltaRecord, make_record, parse_line, read_records
from ingest.models import Article, Entity, GraphDelta, Relation

LIMIT = 1_000_000


def record() -> DeltaRecord:
    text = "Mayor Brandon Johnson criticized ICE on Tuesday."
    article = Article(
        id=Article.content_hash(text, "Johnson and ICE"),
        text=text,
        title="Johnson and ICE",
        url="https://example.org/a",
        source="Example",
        published_at=datetime(2026, 1, 30, 12, tzinfo=UTC),
    )
    delta = GraphDelta(
        id="file-stem",
        extractor="rules-spacy/0.2.0",
        entities=[
            Entity(
                id="person:brandon-johnson",
                type="Person",
                name="Brandon Johnson",
                mentions=2,
                properties={"gender": "male"},
            ),
            Entity(
                id="organization:ice",
                type="Organization",
                name="ICE",
                aliases=["the agency"],
                properties={"kind": "agency"},
            ),
        ],
        relations=[
            Relation(
                type="CRITICIZED",
                source="person:brandon-johnson",
                target="organization:ice",
                evidence=text,
                char_start=0,
                char_end=len(text),
                confidence=0.8,
                rule="stance.verb",
            ),
        ],
    )
    return make_record("a.txt", article, delta, "0.2.0")


def test_a_record_survives_the_round_trip_whole() -> None:
    rec = record()
    back = parse_line(rec.to_line(), "f.jsonl", 1, max_bytes=LIMIT)
    assert back == rec
    assert back.delta.id == back.article.id  # the writer's id, not the file stem
    assert back.delta.entities[0].mentions == 2 and back.delta.relations[0].rule == "stance.verb"
    assert back.article.published_at == rec.article.published_at


def damaged(change) -> str:  # type: ignore[no-untyped-def]
    raw = json.loads(record().to_line())
    change(raw)
    return json.dumps(raw)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "must be a JSON object"),
        (damaged(lambda r: r.update(format="kg-delta/0")), "this version reads 'kg-delta/1'"),
        (damaged(lambda r: r.update(surprise=1)), "field surprise"),
        (damaged(lambda r: r["article"].update(text="changed")), "not the content hash"),
        (damaged(lambda r: r["delta"].update(id="other")), "delta.id 'other' is not article.id"),
        (damaged(lambda r: r["delta"]["relations"][0].update(target="place:nowhere")), "'place:nowhere'"),
        (damaged(lambda r: r["delta"]["relations"][0].update(confidence=2)), "delta.relations.0.confidence"),
        (damaged(lambda r: r.pop("extractor_version")), "field extractor_version"),
    ],
)
def test_a_bad_line_names_what_is_wrong(line: str, says: str) -> None:
    with pytest.raises(BadDelta) as caught:
        parse_line(line, "f.jsonl", 7, max_bytes=LIMIT)
    assert caught.value.code == "bad_delta"
    assert "f.jsonl, line 7" in str(caught.value) and says in str(caught.value)


def test_a_line_over_the_limit_is_refused_and_the_next_one_read(tmp_path: Path) -> None:
    good = record().to_line()
    path = tmp_path / "d.jsonl"
    path.write_text("x" * 2_000_100 + "\n\n" + good)
    got = list(read_records(path, max_article_bytes=100))  # the line limit is then 1,000,000 bytes
    assert isinstance(got[0], BadDelta) and "over the limit of 1,000,000 bytes" in str(got[0])
    assert got[1:] == [record()]
