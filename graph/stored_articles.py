"""Reading stored articles back for re-extraction: a census by extractor, then pages of texts.

`kg reextract` first counts the graph's articles per (extractor, version, has text) — a handful of rows
whatever the graph's size — and decides group by group what is stale (`ingest.staleness`). It then
reads only the stale articles, a page at a time in `id` order (keyset pagination on the unique index),
so texts never all sit in memory at once, and a page stays valid while earlier pages are rewritten.
Values are parameters; the (extractor, version) pairs travel as a list of two-string lists, with the
empty string standing for a missing property (Cypher's `null` never equals anything, not even in `IN`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import AsyncDriver

from graph.writer import QUIET
from ingest.models import Article
from ingest.staleness import ExtractorGroup

CENSUS = """
MATCH (a:Article)
RETURN a.extractor AS extractor, a.extractor_version AS version, a.text IS NOT NULL AS has_text,
       count(*) AS articles
"""

_KEY = "[coalesce(a.extractor, ''), coalesce(a.extractor_version, '')]"

PAGE = f"""
MATCH (a:Article)
WHERE a.id > $after AND a.text IS NOT NULL AND {_KEY} IN $keys
WITH a ORDER BY a.id LIMIT $limit
RETURN a {{.id, .text, .title, .title_derived, .url, .source, .published_at, .extractor}} AS article
"""

WITHOUT_TEXT = f"""
MATCH (a:Article)
WHERE a.text IS NULL AND {_KEY} IN $keys
WITH a ORDER BY a.id LIMIT $limit
RETURN a.id AS id, a.url AS url, a.title AS title
"""


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the graph holds it, ready to be extracted again."""

    article: Article
    extractor: str | None  # the extractor that read it, as seen when the page was read


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    url: str | None
    title: str | None


async def _read(driver: AsyncDriver, database: str, query: str, **params: Any) -> list[dict[str, Any]]:
    # Quiet: an optional property no article has yet (`source`) is not worth a warning per page.
    async with driver.session(database=database, default_access_mode="READ", **QUIET) as session:
        result = await session.run(query, params)
        return [record.data() async for record in result]


def _keys(keys: Sequence[tuple[str | None, str | None]]) -> list[list[str]]:
    return [[name or "", version or ""] for name, version in keys]


def _datetime(value: Any) -> datetime | None:
    value = value.to_native() if hasattr(value, "to_native") else value
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value if isinstance(value, datetime) else None


def stored_article(row: dict[str, Any]) -> StoredArticle:
    """The `Article` the graph's properties describe; its id stays the stored content hash."""
    title = None if row.get("title_derived") else row.get("title")
    article = Article(
        id=row["id"],
        text=row["text"],
        title=title,
        url=row.get("url"),
        source=row.get("source"),
        published_at=_datetime(row.get("published_at")),
    )
    return StoredArticle(article, row.get("extractor"))


async def extractor_census(driver: AsyncDriver, database: str) -> list[ExtractorGroup]:
    """How many articles each extractor wrote, with and without a stored text."""
    records = await _read(driver, database, CENSUS)
    return [
        ExtractorGroup(r["extractor"], r["version"], bool(r["has_text"]), int(r["articles"])) for r in records
    ]


async def stored_article_pages(
    driver: AsyncDriver,
    database: str,
    keys: Sequence[tuple[str | None, str | None]],
    page_size: int,
) -> AsyncIterator[list[StoredArticle]]:
    """Articles with a stored text written by one of these extractors, `page_size` at a time."""
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    wanted = _keys(keys)
    if not wanted:
        return
    after = ""
    while True:
        records = await _read(driver, database, PAGE, after=after, keys=wanted, limit=page_size)
        if not records:
            return
        page = [stored_article(r["article"]) for r in records]
        yield page
        if len(records) < page_size:
            return
        after = page[-1].article.id


async def articles_without_text(
    driver: AsyncDriver, database: str, keys: Sequence[tuple[str | None, str | None]], limit: int
) -> list[ArticleRef]:
    """A few of the articles these extractors wrote before texts were stored, to name in a report."""
    wanted = _keys(keys)
    if not wanted or limit < 1:
        return []
    records = await _read(driver, database, WITHOUT_TEXT, keys=wanted, limit=limit)
    return [ArticleRef(r["id"], r["url"], r["title"]) for r in records]
