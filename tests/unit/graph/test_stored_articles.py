"""Stored article properties back into the `Article` extraction reads; the page query's parameters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from neo4j.time import DateTime

from graph.stored_articles import _keys, stored_article


def test_a_stored_article_keeps_its_id_text_and_headline() -> None:
    stored = stored_article(
        {
            "id": "abc123",
            "text": "Krasner spoke.",
            "title": "DA speaks",
            "title_derived": False,
            "url": "https://example.test/a",
            "source": "test",
            "published_at": DateTime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
            "extractor": "rules-spacy/0.1.0",
        }
    )
    a = stored.article
    assert (a.id, a.text, a.title, a.url, a.source) == (
        "abc123",
        "Krasner spoke.",
        "DA speaks",
        "https://example.test/a",
        "test",
    )
    assert a.published_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert stored.extractor == "rules-spacy/0.1.0"


def test_a_title_made_from_the_opening_words_is_not_taken_for_a_headline() -> None:
    stored = stored_article(
        {"id": "x", "text": "Krasner spoke.", "title": "Krasner spoke.", "title_derived": True}
    )
    assert stored.article.title is None
    assert stored.extractor is None and stored.article.published_at is None


def test_missing_extractor_or_version_is_sent_as_the_empty_string() -> None:
    # Cypher's null equals nothing, not even inside `IN`; the query coalesces to '' on its side too.
    assert _keys([(None, None), ("old", None), ("old", "0.1.0")]) == [["", ""], ["old", ""], ["old", "0.1.0"]]


@pytest.mark.parametrize("size", [0, -1])
async def test_a_page_size_below_one_is_refused(size: int) -> None:
    from graph.stored_articles import stored_article_pages

    with pytest.raises(ValueError, match="page_size"):
        async for _ in stored_article_pages(None, "neo4j", [("a", "b")], size):  # type: ignore[arg-type]
            pass
