"""HTML through trafilatura: an article page yields its text and metadata; a bare page is refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ingest.errors import NoArticleContent
from ingest.load import load_path
from ingest.load.readers import Draft
from ingest.load.webpage import read_html


def test_article_page_yields_body_title_date_url_and_site(data_dir: Path) -> None:
    (result,) = load_path(data_dir / "article.html")
    article = result.article
    assert article is not None, result.error
    assert article.title == "Council Approves Transit Budget After Late-Night Vote"
    assert article.url == "https://ledger.example.com/2025/03/14/council-transit-budget"
    assert article.source == "Riverside Ledger"
    assert article.published_at == datetime(2025, 3, 14)
    assert article.name == "article"
    assert article.text.startswith("The Riverside City Council approved a $412 million transit budget")
    assert (
        '"Nobody got everything they wanted tonight, and that is how you know it was a fair deal," Okafor'
        in (article.text)
    )
    assert article.text.endswith("who benefits from it.")


def test_article_page_leaves_navigation_captions_and_link_lists_behind(data_dir: Path) -> None:
    (result,) = load_path(data_dir / "article.html")
    assert result.article is not None
    text = result.article.text
    for furniture in ("Home", "Sports", "AP Photo", "School board race", "Privacy", "All rights reserved"):
        assert furniture not in text


def test_navigation_page_has_no_article(data_dir: Path) -> None:
    (result,) = load_path(data_dir / "navigation.html")
    assert isinstance(result.error, NoArticleContent)
    assert result.error.code == "no_article"
    assert "no article text" in str(result.error)


def test_page_with_only_a_short_blurb_has_no_article() -> None:
    html = "<html><body><article><p>Coming soon.</p></article></body></html>"
    with pytest.raises(NoArticleContent):
        read_html(html, Path("blurb.html"))


def test_reader_hands_the_raw_text_on_for_normalisation(data_dir: Path) -> None:
    (draft,) = read_html((data_dir / "article.html").read_text(encoding="utf-8"), Path("x/article.html"))
    assert isinstance(draft, Draft)
    assert "“Nobody got everything" in draft.text  # curly quotes are the loader's job, not the reader's
