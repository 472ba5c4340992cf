"""Long texts in pieces (ingest/extract/pieces.py): the cut, the merge, and the extractor using them."""

import pytest

from ingest.extract import get_extractor
from ingest.extract.pieces import LONG_TEXT_CHARS, merge_deltas, split_text
from ingest.models import Entity, GraphDelta, Relation


def test_split_covers_the_text_in_order_within_the_limit() -> None:
    text = "\n\n".join(f"Paragraph {n} says something about the budget." for n in range(400))
    parts = split_text(text, 1000)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 1000 for _, p in parts)
    assert [o for o, _ in parts] == [sum(len(p) for _, p in parts[:n]) for n in range(len(parts))]
    assert all(p.endswith("\n\n") for _, p in parts[:-1])  # cut at paragraph breaks


def test_split_falls_back_to_a_hard_cut_without_breaks() -> None:
    parts = split_text("x" * 2500, 1000)
    assert [len(p) for _, p in parts] == [1000, 1000, 500]
    with pytest.raises(ValueError, match="at least 2"):
        split_text("abc", 1)


def test_merge_joins_entities_and_moves_offsets() -> None:
    lee = Entity(id="person:ann-lee", type="Person", name="Ann Lee", aliases=["Lee"], mentions=2)
    lee_again = Entity(
        id="person:ann-lee", type="Person", name="Ann Lee", aliases=["Councilwoman Lee"], mentions=3
    )
    rel = Relation(
        type="CRITICIZED",
        source="person:ann-lee",
        target="person:ann-lee",
        evidence="x",
        char_start=5,
        char_end=9,
    )
    merged = merge_deltas(
        "d",
        "ex",
        [
            (0, GraphDelta(id="d", entities=[lee], relations=[rel])),
            (100, GraphDelta(id="d", entities=[lee_again], relations=[rel])),
        ],
    )
    (one,) = merged.entities
    assert one.mentions == 5 and one.aliases == ["Councilwoman Lee", "Lee"]
    assert [(r.char_start, r.char_end) for r in merged.relations] == [(5, 9), (105, 109)]
    assert merged.extractor == "ex" and lee.mentions == 2  # the inputs are left alone


def test_the_extractor_cuts_a_long_text_and_keeps_evidence_offsets_right() -> None:
    para = (
        "Senator Elizabeth Warren slammed the Federal Reserve on Tuesday. "
        "The council met for three hours and adjourned without a vote on the parks levy.\n\n"
    )
    text = para * (LONG_TEXT_CHARS // len(para) + 20)
    assert len(text) > LONG_TEXT_CHARS
    delta = get_extractor().extract(text, doc_id="long")
    crit = [r for r in delta.relations if r.type == "CRITICIZED"]
    assert len(crit) > text.count("slammed") // 2  # every piece found its statements
    for r in crit:
        assert text[r.char_start : r.char_end] == r.evidence
    assert max(r.char_start for r in crit) > LONG_TEXT_CHARS  # from a later piece, offset moved
    (warren,) = [e for e in delta.entities if e.name == "Elizabeth Warren"]
    assert warren.mentions > 2  # one entity across the pieces
    # a short text takes the one-Doc path and gives what the pieces give for it
    short = get_extractor().extract(para, doc_id="short")
    assert {(r.type, r.source, r.target) for r in short.relations} <= {
        (r.type, r.source, r.target) for r in delta.relations
    }


def test_extract_many_keeps_the_order_with_long_texts_between_short_ones() -> None:
    para = "Governor Gavin Newsom praised the Inflation Reduction Act.\n\n"
    long_text = para * (LONG_TEXT_CHARS // len(para) + 5)
    out = list(get_extractor().extract_many(["Mayor Ann Lee spoke.", long_text, "Mayor Bob Cruz spoke."]))
    assert [d.id for d in out] == ["doc-0", "doc-1", "doc-2"]
    assert any(e.name == "Ann Lee" for e in out[0].entities)
    assert any(r.type == "ENDORSED" for r in out[1].relations)
    assert any(e.name == "Bob Cruz" for e in out[2].entities)
