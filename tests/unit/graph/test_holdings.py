"""One HOLDS_OFFICE per person and office: the pure bookkeeping of the edge and each article's word."""

from __future__ import annotations

from datetime import UTC, datetime

from graph.holdings import (
    LISTS,
    UNDATED,
    HoldingEntry,
    collapse,
    entries_from_props,
    entry_from_statement,
    newer,
    props_from_entries,
    statement_props,
)
from graph.writer import _assertion_rows
from ingest.models import Relation


def entry(article: str, day: int, status: str | None = "current", count: int = 1) -> HoldingEntry:
    return HoldingEntry(
        article_id=article,
        count=count,
        observed_at=datetime(2025, 1, day, tzinfo=UTC),
        evidence=f"Mayor Johnson, in {article}.",
        quote=None,
        char_start=day,
        char_end=day + 10,
        confidence=0.7,
        extractor="x/1",
        status=status,
    )


def test_the_newest_article_gives_the_edge_its_evidence_and_status() -> None:
    props = props_from_entries([entry("b", 5, "former"), entry("a", 2, "current", count=3)])
    assert props is not None
    assert props["article_id"] == "b" and props["status"] == "former"
    assert props["evidence"] == "Mayor Johnson, in b."
    assert props["observed_at"] == datetime(2025, 1, 5, tzinfo=UTC)
    assert props["count"] == 4 and props["articles"] == 2
    assert "quote" not in props  # no quote: no property
    assert not set(LISTS) & set(props)  # no per-article lists on the edge


def test_an_articles_statement_round_trips_through_its_properties() -> None:
    for one in (entry("a", 2, None), entry("b", 5, "acting", count=2)):
        props = statement_props(one, "person:johnson")
        assert props["person_id"] == "person:johnson" and props["count"] == one.count
        assert "article_id" not in props  # the article is the relationship's start
        assert entry_from_statement(one.article_id, props) == one


def test_a_word_is_newer_by_date_then_by_article_id() -> None:
    when = datetime(2025, 1, 5, tzinfo=UTC)
    assert newer(entry("a", 6), when, "z")
    assert not newer(entry("z", 4), when, "a")
    assert newer(entry("b", 5), when, "a") and not newer(entry("a", 5), when, "b")
    assert newer(entry("a", 1), None, None)  # an edge without a date is the oldest word


def test_removing_the_last_article_removes_the_edge() -> None:
    assert props_from_entries([]) is None


def test_one_article_twice_after_a_merge_adds_its_counts_at_the_first_offsets() -> None:
    later = HoldingEntry("a", 3, datetime(2025, 1, 2, tzinfo=UTC), "later", char_start=50, char_end=60)
    merged = collapse([entry("a", 2, count=2), later, entry("b", 3)])
    assert [(e.article_id, e.count, e.char_start) for e in merged] == [("a", 5, 2), ("b", 1, 3)]
    props = props_from_entries(merged)
    assert props is not None and props["count"] == 6 and props["articles"] == 2


def test_a_session_6_edge_with_lists_gives_one_entry_per_article() -> None:
    lists = {
        "article_ids": ["a", "b"],
        "article_counts": [3, 1],
        "article_statuses": ["", "former"],
        "article_observed_at": [datetime(2025, 1, 2, tzinfo=UTC), datetime(2025, 1, 5, tzinfo=UTC)],
        "article_evidence": ["Mayor Johnson, in a.", "Mayor Johnson, in b."],
        "article_quotes": ["", "he said"],
        "article_char_starts": [2, 5],
        "article_char_ends": [12, 15],
        "article_confidences": [0.7, 0.7],
        "article_extractors": ["x/1", "x/1"],
    }
    a, b = entries_from_props(lists)
    assert (a.article_id, a.count, a.status, a.quote) == ("a", 3, None, None)
    assert (b.article_id, b.status, b.quote) == ("b", "former", "he said")


def test_a_legacy_edge_is_one_entry_of_its_own_evidence() -> None:
    legacy = {
        "article_id": "old",
        "evidence": "Mayor Johnson said.",
        "observed_at": datetime(2024, 6, 1, tzinfo=UTC),
        "status": "current",
        "confidence": 0.9,
    }
    (only,) = entries_from_props(legacy)
    assert only.article_id == "old" and only.count == 1 and only.status == "current"
    assert entries_from_props({"evidence": "no article"}) == []


def test_a_hand_written_edge_without_a_date_counts_as_the_oldest_word() -> None:
    (undated,) = entries_from_props({"article_id": "x", "observed_at": None, "status": "former"})
    assert undated.observed_at == UNDATED
    assert [e.article_id for e in collapse([entry("a", 2, "current"), undated])] == ["x", "a"]
    props = props_from_entries([entry("a", 2, "current"), undated])
    assert props is not None and props["status"] == "current"


def rel(type_: str, start: int, evidence: str = "Mayor Johnson spoke.", **props: str) -> Relation:
    return Relation(
        type=type_,  # type: ignore[arg-type]
        source="person:johnson",
        target="office:mayor" if type_ == "HOLDS_OFFICE" else "person:lee",
        evidence=evidence,
        char_start=start,
        char_end=start + len(evidence),
        properties=props,
    )


def test_an_article_repeating_one_sentence_writes_one_assertion_with_a_count() -> None:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    said = [rel("CRITICIZED", 21 * i) for i in range(19_608)]
    holds = [rel("HOLDS_OFFICE", 21 * i, status="current") for i in range(19_608)]
    rows, holdings = _assertion_rows(said + holds, {}, "art", "x/1", when)
    assert len(rows) == 1
    assert rows[0]["props"]["count"] == 19_608 and rows[0]["props"]["char_start"] == 0
    assert list(holdings) == [("person:johnson", "office:mayor")]
    assert holdings[("person:johnson", "office:mayor")].count == 19_608


def test_different_sentences_stay_different_assertions() -> None:
    when = datetime(2025, 1, 1, tzinfo=UTC)
    rows, _ = _assertion_rows(
        [rel("CRITICIZED", 0, "Johnson slammed Lee."), rel("CRITICIZED", 30, "Johnson mocked Lee.")],
        {},
        "art",
        "x/1",
        when,
    )
    assert sorted(r["props"]["evidence"] for r in rows) == ["Johnson mocked Lee.", "Johnson slammed Lee."]
    assert all(r["props"]["count"] == 1 for r in rows)


def test_order_key_compares_instants_whatever_the_offset() -> None:
    """`ADD_IN_WRITE` compares an article's date with the edge's as nanoseconds since the epoch, which
    Cypher computes from `epochSeconds` and `nanosecond`: the same instant, the same key."""
    from datetime import timedelta, timezone

    from graph.holdings import order_key

    utc = datetime(2025, 3, 5, 10, 0, 0, 250, tzinfo=UTC)
    paris = datetime(2025, 3, 5, 12, 0, 0, 250, tzinfo=timezone(timedelta(hours=2)))
    assert order_key(utc) == order_key(paris) == 1741168800 * 1_000_000_000 + 250_000
    assert order_key(datetime(2025, 3, 5, 11, 0, tzinfo=UTC)) > order_key(paris)
    assert order_key(datetime(1970, 1, 1, tzinfo=UTC)) == 0  # UNDATED, an edge without a date
    assert order_key(datetime(2025, 3, 5, 10, 0, 0, 250)) == order_key(utc)  # naive: taken as UTC
