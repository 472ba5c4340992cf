"""One HOLDS_OFFICE per person and office: the pure bookkeeping of each article's evidence on it."""

from __future__ import annotations

from datetime import UTC, datetime

from graph.holdings import UNDATED, HoldingEntry, entries_from_props, props_from_entries
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
    assert props["article_ids"] == ["a", "b"]  # oldest first, lists aligned
    assert props["article_counts"] == [3, 1]
    assert props["article_statuses"] == ["current", "former"]
    assert "quote" not in props  # no quote: no property (lists hold "" for it)
    assert props["article_quotes"] == ["", ""]


def test_entries_survive_the_round_trip_through_properties() -> None:
    entries = [entry("a", 2, None), entry("b", 5, "acting", count=2)]
    props = props_from_entries(entries)
    assert entries_from_props(props) == entries


def test_removing_the_newest_article_hands_the_edge_to_the_next() -> None:
    props = props_from_entries([entry("a", 2), entry("b", 5, "former")])
    left = props_from_entries(e for e in entries_from_props(props) if e.article_id != "b")
    assert left is not None
    assert left["article_id"] == "a" and left["status"] == "current" and left["count"] == 1
    assert left["article_ids"] == ["a"]


def test_removing_the_last_article_removes_the_edge() -> None:
    props = props_from_entries([entry("a", 2)])
    assert props_from_entries(e for e in entries_from_props(props) if e.article_id != "a") is None


def test_one_article_twice_after_a_merge_adds_its_counts() -> None:
    props = props_from_entries([entry("a", 2, count=2), entry("a", 2, count=3), entry("b", 3)])
    assert props is not None
    assert props["article_ids"] == ["a", "b"] and props["article_counts"] == [5, 1]


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
    props = props_from_entries([entry("a", 2, "current"), undated])
    assert props is not None and props["article_ids"] == ["x", "a"] and props["status"] == "current"


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
