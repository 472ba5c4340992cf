"""`Evidence`: the sentence, quote and article behind one assertion."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.graphql.execution import PREFETCHED, read_records
from app.graphql.records import as_datetime

if TYPE_CHECKING:
    from app.graphql.article import Article
    from app.graphql.context import Context


#: Where the statement that read an assertion put the article it fetched with it (`responses`): a key
#: no property of the graph model has; `Evidence.from_props` takes it from there, and so does its reader.
PREFETCHED_ARTICLE = "@article"


def _observed_at(root: Evidence) -> datetime | None:
    return as_datetime(root.observed_at_raw)


@strawberry.type(description="Why the graph believes an assertion: where in which article it was read.")
class Evidence:
    sentence: str | None
    quote: str | None = strawberry.field(description="Verbatim words attributed to the source, if any.")
    confidence: float | None
    char_start: int | None = strawberry.field(description="Offset of the sentence in the cleaned text.")
    char_end: int | None
    extractor: str | None
    observed_at: datetime | None = strawberry.field(
        resolver=_observed_at, description="The article's date (else ingest date)."
    )
    article_id: strawberry.ID | None
    # As the read returned it (Cypher's toString()); parsed only when `observedAt` is selected, which
    # the big lists (a subgraph's edges, a page of responses) mostly do not.
    observed_at_raw: strawberry.Private[Any] = None
    # The article, when the statement that read this evidence fetched it too (`responses`).
    article_prefetched: strawberry.Private[Any] = None

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Evidence:
        article = p.get(PREFETCHED_ARTICLE)
        if article is not None:
            from app.graphql.article import Article

            article = Article.from_node(article)
        return cls(
            sentence=p.get("evidence"),
            quote=p.get("quote"),
            confidence=p.get("confidence"),
            char_start=p.get("char_start"),
            char_end=p.get("char_end"),
            extractor=p.get("extractor"),
            article_id=p.get("article_id"),
            observed_at_raw=p.get("observed_at"),
            article_prefetched=article,
        )

    @strawberry.field(
        description="The article this was read in (batched across the response).",
        metadata={PREFETCHED: "article_prefetched"},
    )
    async def article(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Article, strawberry.lazy("app.graphql.article")] | None:
        from app.graphql.article import Article

        if self.article_prefetched is not None:
            return self.article_prefetched  # type: ignore[no-any-return]
        if not self.article_id:
            return None
        node = await info.context.loaders.article.load(str(self.article_id))
        return Article.from_node(node) if node is not None else None


def _prefetched_article(p: dict[str, Any]) -> Any:
    article = p.get(PREFETCHED_ARTICLE)
    if article is None and p.get("article_id"):  # not fetched with it: the resolver's loader reads it
        raise LookupError("article not prefetched")
    return article


# An assertion's evidence read straight from the relationship's map (a subgraph's edges, `responses`;
# app/graphql/execution.py `Rows`).
read_records(
    Evidence,
    {
        "sentence": "evidence",
        "quote": "quote",
        "confidence": "confidence",
        "charStart": "char_start",
        "charEnd": "char_end",
        "extractor": "extractor",
        "observedAt": lambda p: as_datetime(p.get("observed_at")),
        "articleId": "article_id",
        "article": _prefetched_article,
    },
)
