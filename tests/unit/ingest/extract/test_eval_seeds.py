"""The seeds, scored with the project's own metric (ingest.evaluate) against the copied gold annotations.

`make eval` additionally runs the shared scorer for the official number; the two agree on tp/fp/fn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.evaluate import summary

ROOT = Path(__file__).resolve().parents[4]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds.gold.jsonl"


@pytest.fixture(scope="module")
def report(score_folder):
    return score_folder(SEEDS, GOLD, 3)


def test_relation_f1_target(report):
    assert report.relations.f1 >= 0.85, summary(report)


def test_stance_f1_target(report):
    assert report.stance.f1 >= 0.80, summary(report)


def test_person_recall_target(report):
    assert (report.entity_recall("Person") or 0) >= 0.95, summary(report)


def test_no_negative_is_violated(report):
    assert report.violations == [], summary(report)
