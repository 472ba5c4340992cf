"""The real-text development set: what is committed is consistent, balanced, and holds no article text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ingest.devset import DevSetError, check, load_index, rebuild, text_hash, texts_status
from ingest.evaluate import load_jsonl

REALDEV = Path(__file__).parents[2] / "data" / "realdev"


def test_index_and_gold_agree():
    assert check(REALDEV) == []


def test_the_set_spans_outlets_topics_and_countries():
    entries = load_index(REALDEV)
    assert len(entries) >= 40
    assert len({e.outlet for e in entries}) >= 20
    topics = Counter(e.topic for e in entries)
    assert len(topics) >= 4
    assert topics.get("immigration", 0) <= len(entries) / 4
    assert len({e.country for e in entries} - {"US"}) >= 2


def test_a_quarter_is_blind():
    splits = Counter(e.split for e in load_index(REALDEV))
    assert 0.2 <= splits["blind"] / sum(splits.values()) <= 0.3


def test_gold_evidence_is_a_paraphrase_not_article_text():
    """Article text never enters the repository: evidence notes are short, in the annotators' words."""
    gold = load_jsonl(REALDEV / "gold.jsonl")
    for doc in gold.values():
        for rel in doc["relations"]:
            assert len(rel["evidence"].split()) <= 20, (doc["id"], rel["evidence"])
    present, _, _ = texts_status(REALDEV, load_index(REALDEV))
    for entry in present:  # where the texts were rebuilt, no evidence is copied from them
        text = (REALDEV / "texts" / f"{entry.id}.txt").read_text(encoding="utf-8")
        for rel in gold[entry.id]["relations"]:
            if len(rel["evidence"].split()) >= 8:
                assert rel["evidence"] not in text, (entry.id, rel["evidence"])


def test_check_reports_a_relation_to_an_unknown_entity(tmp_path):
    (tmp_path / "index.jsonl").write_text((REALDEV / "index.jsonl").read_text(encoding="utf-8"))
    gold = load_jsonl(REALDEV / "gold.jsonl")
    first = next(iter(gold.values()))
    first["relations"].append({"type": "CRITICIZED", "source": "Nobody Here", "target": "X", "evidence": "x"})
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold.values()))
    problems = check(tmp_path)
    assert any("Nobody Here" in p for p in problems)


def test_index_with_an_unknown_split_is_refused(tmp_path):
    row = json.loads((REALDEV / "index.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row["split"] = "train"
    (tmp_path / "index.jsonl").write_text(json.dumps(row) + "\n")
    with pytest.raises(DevSetError, match="split"):
        load_index(tmp_path)


def test_rebuild_writes_the_excerpt_whose_url_matches(tmp_path):
    entry = load_index(REALDEV)[0]
    row = {k: getattr(entry, k) for k in entry.__dataclass_fields__}
    row["sha256"] = text_hash("Some text.")
    (tmp_path / "index.jsonl").write_text(json.dumps(row) + "\n")
    answers = tmp_path / "answers.jsonl"
    answers.write_text(
        json.dumps({"query": entry.query, "results": [{"url": "https://elsewhere", "excerpt": "No."}]})
        + "\n"
        + json.dumps({"query": entry.query, "results": [{"url": entry.url, "excerpt": "Some text."}]})
        + "\n"
    )
    assert rebuild(tmp_path, answers) == (1, [])
    present, missing, changed = texts_status(tmp_path, load_index(tmp_path))
    assert [e.id for e in present] == [entry.id] and not missing and not changed
