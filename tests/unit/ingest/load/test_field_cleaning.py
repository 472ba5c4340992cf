"""An article's fields are cleaned or refused with a code: lone surrogates, control and invisible
characters, and the documented limits on title, url and source (docs/limits.md)."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from ingest.errors import FieldTooLong, LoneSurrogate
from ingest.load import load_text
from ingest.load.guards import FIELD_LIMITS
from ingest.load.normalize import normalize_inline, normalize_text

BODY = (
    "Mayor Cherelle Parker praised the council on Tuesday for passing the budget. "
    "District Attorney Larry Krasner criticized the plan in a statement later that day."
)


def test_every_invisible_format_character_is_removed_from_the_text() -> None:
    format_chars = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(format_chars) > 150
    for ch in format_chars:
        cleaned = normalize_text(f"District Attorney Larry{ch}Krasner{ch} spoke.")
        assert cleaned == "District Attorney LarryKrasner spoke.", f"U+{ord(ch):04X} survived"


@pytest.mark.parametrize("ch", ["\u200b", "\u200c", "\u200d", "\u2060", "\u2063", "\ufeff", "\u034f", "\x07"])
def test_zero_width_and_control_characters_leave_no_trace_in_names(ch: str) -> None:
    article = load_text(BODY.replace("Krasner", f"Kras{ch}ner"), title=f"Kras{ch}ner speaks")
    assert "Krasner" in article.text and ch not in article.text
    assert article.title == "Krasner speaks"


@pytest.mark.parametrize("field", ["title", "url", "source"])
def test_a_lone_surrogate_in_a_field_is_refused_naming_the_field(field: str) -> None:
    with pytest.raises(LoneSurrogate, match=f"^{field} holds a lone surrogate") as caught:
        load_text(BODY, **{field: "abc\udc80def"})
    assert caught.value.code == "lone_surrogate" and caught.value.offset == 3


@pytest.mark.parametrize("field", ["title", "url", "source"])
def test_fields_over_their_limit_are_refused_with_the_limit(field: str) -> None:
    limit = FIELD_LIMITS[field]
    ok = load_text(BODY, **{field: "a" * limit})
    assert len(getattr(ok, field)) == limit
    with pytest.raises(FieldTooLong) as caught:
        load_text(BODY, **{field: "a" * (limit + 1)})
    assert caught.value.code == "too_long"
    assert str(caught.value) == f"{field} is {limit + 1:,} characters; the limit is {limit:,} characters"


def test_a_four_million_character_title_is_refused_before_it_is_normalised() -> None:
    with pytest.raises(FieldTooLong, match="title is 4,000,000 characters; the limit is 1,000"):
        load_text(BODY, title="T" * 4_000_000)


def test_control_characters_and_line_breaks_in_url_and_source_are_dropped() -> None:
    article = load_text(BODY, url=" https://news.test/a\u200b\x07 ", source="Daily\u200d\nNews")
    assert (article.url, article.source) == ("https://news.test/a", "Daily News")


def test_the_limit_counts_the_cleaned_title() -> None:
    padded = "\u200b".join("a" * FIELD_LIMITS["title"])  # invisible padding, dropped by cleaning
    assert normalize_inline(padded) == "a" * FIELD_LIMITS["title"]
    assert load_text(BODY, title=padded).title == "a" * FIELD_LIMITS["title"]
