"""Headline detection on the first line of a plain-text article."""

from __future__ import annotations

import pytest

from ingest.load.headline import is_title_case, looks_like_headline, split_headline
from ingest.load.normalize import normalize_text


def test_seed_000_starts_with_a_sentence_not_a_title(seed_text) -> None:
    title, body = split_headline(normalize_text(seed_text("000")))
    assert title is None
    assert body.startswith("The simmering tensions between local officials")


def test_seed_001_sentence_case_headline_is_the_title(seed_text) -> None:
    title, body = split_headline(normalize_text(seed_text("001")))
    assert title == "Soros-backed Philadelphia DA vows to 'hunt' down ICE agents"
    assert body.startswith("The statements coincided with the introduction of several bills")


def test_seed_002_title_case_headline_is_the_title(seed_text) -> None:
    title, body = split_headline(normalize_text(seed_text("002")))
    assert title == "Chicago Mayor Seeks to Clarify Order on ICE Prosecutions"
    assert body.startswith("Chicago Mayor Brandon Johnson has moved to clarify")


@pytest.mark.parametrize(
    "line",
    [
        "Will Chicago Defy the Executive Order?",
        "Senate Confirms New Ambassador to the U.S.",
        "'Wannabe Nazis': Krasner escalates feud with ICE",
        "Homan Makes Emotional Plea on Dr. Phil",
        "John F. Kennedy Airport Expansion Approved",
    ],
)
def test_headline_shapes(line: str) -> None:
    assert looks_like_headline(line)


@pytest.mark.parametrize(
    "line",
    [
        "Less blood.",
        "Krasner, who has faced repeated criticism for his tenure as DA,",
        "the mayor said on Friday",
        "He left. She stayed on as acting director",
        " ".join(["word"] * 30),
    ],
)
def test_body_lines_are_not_headlines(line: str) -> None:
    assert not looks_like_headline(line)


def test_a_one_line_text_has_no_title() -> None:
    assert split_headline("Mayor Seeks to Clarify Order") == (None, "Mayor Seeks to Clarify Order")


def test_title_case() -> None:
    assert is_title_case("A Point of Contention: Sanctuary City Policies")
    assert not is_title_case("Soros-backed Philadelphia DA vows to 'hunt' down ICE agents")
