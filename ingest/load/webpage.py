"""HTML pages: trafilatura finds the article, its title, date, canonical URL and site name.

Hand-written HTML scraping breaks on the next site redesign; trafilatura's boilerplate removal is
maintained against thousands of real news sites.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import trafilatura
from lxml.etree import LxmlError
from trafilatura.settings import Document

from ingest.errors import NoArticleContent
from ingest.load.readers import Draft, Parsed

# A page is an article when at least one line is running text: a sentence of some length that ends
# like one. Navigation, tag clouds and login walls have short, unpunctuated lines only.
MIN_SENTENCE_WORDS = 8
MIN_ARTICLE_WORDS = 20
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?][\"'’”)]*$")


def _has_running_text(text: str) -> bool:
    if len(text.split()) < MIN_ARTICLE_WORDS:
        return False
    return any(
        len(line.split()) >= MIN_SENTENCE_WORDS and _ENDS_LIKE_SENTENCE.search(line.strip())
        for line in text.splitlines()
    )


def _parse_date(value: str | None) -> datetime | None:
    """trafilatura's date is a guess from the page; an unreadable one is dropped, not an error."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def read_html(html: str, path: Path) -> list[Parsed]:
    """The article in a page, with the page's own title, date, canonical URL and site name.

    Comments, tables and images are left out: reader comments are not the outlet's reporting, and
    table cells and image captions break sentences apart.
    """
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False, include_images=False
        )
    except (ValueError, LxmlError) as exc:
        raise NoArticleContent(f"the page could not be parsed: {exc}") from exc
    text = doc.text if isinstance(doc, Document) else None
    if not isinstance(doc, Document) or not text or not _has_running_text(text):
        raise NoArticleContent("no paragraph of running text was found; is it a section or navigation page?")
    return [
        Draft(
            origin=str(path),
            text=text,
            title=doc.title or None,
            url=doc.url or None,
            source=doc.sitename or None,
            published_at=_parse_date(doc.date),
            name=path.stem,
            find_title=not doc.title,
        )
    ]
