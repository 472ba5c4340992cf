"""Front matter in .txt and .md files: the metadata a plain file can carry, and what it must not eat."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ingest.errors import InvalidField
from ingest.load import load_path
from ingest.load.frontmatter import split_front_matter

BODY = (
    "Philadelphia Mayor Cherelle Parker praised Sheriff Rochelle Bilal on Monday for her work with "
    "community groups across the city, saying the office had rebuilt trust in many neighbourhoods.\n"
)


def test_title_url_source_and_date_are_read_and_removed_from_the_text() -> None:
    meta, text = split_front_matter(
        '---\ntitle: "Mayor praises sheriff"\nurl: https://example.org/a\nsource: Example Daily\n'
        "published: 2026-01-30T10:00:00Z\ntags: [a, b]\n---\n" + BODY
    )
    assert meta.title == "Mayor praises sheriff"
    assert meta.url == "https://example.org/a"
    assert meta.source == "Example Daily"
    assert meta.published_at == datetime.fromisoformat("2026-01-30T10:00:00+00:00")
    assert text == BODY


@pytest.mark.parametrize("key", ["published", "published_at", "date"])
def test_the_date_has_three_usual_names(key: str) -> None:
    meta, _ = split_front_matter(f"---\n{key}: 2025-05-06\n---\n{BODY}")
    assert meta.published_at == datetime(2025, 5, 6)


def test_a_date_that_is_not_iso_8601_is_refused_naming_the_key() -> None:
    with pytest.raises(InvalidField, match="'published'.*ISO 8601"):
        split_front_matter(f"---\npublished: last Tuesday\n---\n{BODY}")


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        f"Not front matter\n---\ntitle: x\n---\n{BODY}",  # only at the very start
        f"---\n\n{BODY}",  # a rule, never closed
        f"---\nJust a line of prose under a rule\n---\n{BODY}",  # no key: value lines
    ],
)
def test_text_without_front_matter_is_left_whole(text: str) -> None:
    meta, rest = split_front_matter(text)
    assert rest == text and meta.title is None and meta.published_at is None


def test_a_text_file_gets_its_metadata_and_keeps_the_same_id_as_without_it(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Mayor praises sheriff\n" + BODY, encoding="utf-8")
    fronted = tmp_path / "fronted.txt"
    fronted.write_text(
        "---\ntitle: Mayor praises sheriff\nsource: Example Daily\npublished: 2026-01-30\n---\n"
        "Mayor praises sheriff\n" + BODY,
        encoding="utf-8",
    )
    (a,) = load_path(plain)
    (b,) = load_path(fronted)
    assert a.article and b.article
    assert b.article.id == a.article.id  # metadata is not content: adding it re-ingests nothing
    assert (b.article.title, b.article.source) == ("Mayor praises sheriff", "Example Daily")
    assert b.article.published_at == datetime(2026, 1, 30)
    assert a.article.source is None


def test_markdown_front_matter_title_wins_over_the_heading(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\nsource: Example Daily\n---\n# Mayor praises sheriff\n\n{BODY}", encoding="utf-8")
    (result,) = load_path(path)
    assert result.article is not None
    assert (result.article.title, result.article.source) == ("Mayor praises sheriff", "Example Daily")


def test_a_bad_date_refuses_that_file_only(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"---\ndate: soon\n---\n{BODY}", encoding="utf-8")
    (result,) = load_path(path)
    assert result.error is not None and result.error.code == "invalid_field"
