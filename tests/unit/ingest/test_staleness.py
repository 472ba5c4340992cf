"""Which articles an improved extractor must read again: version order, names, and the per-group plan."""

from __future__ import annotations

import pytest

from ingest.staleness import (
    ExtractorGroup,
    Staleness,
    plan_reextraction,
    staleness,
    version_key,
    version_order,
)

NOW = "rules-spacy/0.3.0 en_core_web_sm-3.8.0 lexicons/stance-2.0.0"


@pytest.mark.parametrize(
    ("version", "key"),
    [
        ("0.1.0", (0, 1)),
        ("0.10.0", (0, 10)),
        ("1", (1,)),
        ("1.2.0", (1, 2)),
        ("v2.0.1", (2, 0, 1)),
        ("0.3.0rc1", (0, 3)),
        ("", None),
        (None, None),
        ("dev", None),
    ],
)
def test_version_key_reads_the_numeric_release(version: str | None, key: tuple[int, ...] | None) -> None:
    assert version_key(version) == key


def test_versions_compare_as_numbers_not_as_text() -> None:
    assert version_order("0.9.0", "0.10.0") is Staleness.OLDER_VERSION  # "0.9.0" > "0.10.0" as strings
    assert version_order("0.10.0", "0.9.0") is Staleness.NEWER_VERSION
    assert version_order("1.2", "1.2.0") is None  # the same release: only the names can tell
    assert version_order(None, "0.3.0") is None


@pytest.mark.parametrize(
    ("name", "version", "expected"),
    [
        (NOW, "0.3.0", Staleness.CURRENT),
        (NOW, None, Staleness.CURRENT),  # same full name: the same extractor, version stored or not
        ("rules-spacy/0.2.0 en_core_web_sm-3.8.0 lexicons/stance-1.4.0", "0.2.0", Staleness.OLDER_VERSION),
        ("rules-spacy/0.3.0 en_core_web_sm-3.7.1 lexicons/stance-2.0.0", "0.3.0", Staleness.OTHER_EXTRACTOR),
        ("rules-spacy/0.1.0 en_core_web_sm-3.8.0 lexicons/stance-1.0.0", None, Staleness.UNVERSIONED),
        (None, None, Staleness.UNVERSIONED),
        ("rules-spacy/0.4.0 en_core_web_sm-3.8.0 lexicons/stance-2.1.0", "0.4.0", Staleness.NEWER_VERSION),
    ],
)
def test_staleness_of_a_stored_extractor(name: str | None, version: str | None, expected: Staleness) -> None:
    assert staleness(name, version, NOW, "0.3.0") is expected


def test_only_older_other_and_unversioned_are_stale() -> None:
    assert {s for s in Staleness if s.stale} == {
        Staleness.OLDER_VERSION,
        Staleness.OTHER_EXTRACTOR,
        Staleness.UNVERSIONED,
    }


def groups() -> list[ExtractorGroup]:
    return [
        ExtractorGroup(NOW, "0.3.0", True, 5),
        ExtractorGroup("old/0.2.0", "0.2.0", True, 3),
        ExtractorGroup("old/0.1.0", None, False, 2),  # written before texts were stored
        ExtractorGroup("new/0.4.0", "0.4.0", True, 1),
        ExtractorGroup(NOW, "0.3.0", False, 4),  # current, even without its text
    ]


def test_the_plan_redoes_stale_articles_with_text_and_counts_those_without() -> None:
    plan = plan_reextraction(groups(), NOW, "0.3.0")
    assert (plan.to_redo, plan.without_text, plan.up_to_date) == (3, 2, 10)
    assert plan.keys == [("old/0.2.0", "0.2.0")]
    assert plan.no_text_keys == [("old/0.1.0", None)]
    assert plan.reasons[("old/0.2.0", "0.2.0")] is Staleness.OLDER_VERSION
    assert plan.reasons[("new/0.4.0", "0.4.0")] is Staleness.NEWER_VERSION


def test_the_plan_with_everything_redoes_current_and_newer_articles_too() -> None:
    plan = plan_reextraction(groups(), NOW, "0.3.0", everything=True)
    assert (plan.to_redo, plan.without_text, plan.up_to_date) == (9, 6, 0)
    assert set(plan.keys) == {(NOW, "0.3.0"), ("new/0.4.0", "0.4.0"), ("old/0.2.0", "0.2.0")}


def test_an_empty_graph_plans_nothing() -> None:
    plan = plan_reextraction([], NOW, "0.3.0")
    assert (plan.to_redo, plan.without_text, plan.up_to_date, plan.keys) == (0, 0, 0, [])
