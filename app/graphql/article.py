"""`Article`: a source document, with the entities it mentions and every assertion read from it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry

from app.graphql.enums import RelationType
from app.graphql.execution import read_records
from app.graphql.mention import MentionedEntity
from app.graphql.node import Node
from app.graphql.records import as_datetime, read_map
from app.graphql.relation import Relation

if TYPE_CHECKING:
    from app.graphql.context import Context


@strawberry.type(description="A source document; `id` is the hash of its cleaned text.")
class Article(Node):
    url: str | None
    title: str | None
    source: str | None
    published_at: datetime | None
    ingested_at: datetime | None
    word_count: int | None
    extractor: str | None = strawberry.field(
        description="The extractor that read it: rules version, spaCy model, lexicon versions."
    )
    extractor_version: str | None = strawberry.field(
        description="The extractor's comparable version; `kg reextract` redoes articles with an older one."
    )

    @classmethod
    def from_node(cls, node: Any) -> Article:
        p = read_map(node)
        return cls(
            id=strawberry.ID(p["id"]),
            url=p.get("url"),
            title=p.get("title"),
            source=p.get("source"),
            published_at=as_datetime(p.get("published_at")),
            ingested_at=as_datetime(p.get("ingested_at")),
            word_count=p.get("word_count"),
            extractor=p.get("extractor"),
            extractor_version=p.get("extractor_version"),
        )

    @strawberry.field(
        description="The cleaned text the extractor read; null for articles stored before texts were kept."
    )
    async def text(self, info: strawberry.Info[Context, None]) -> str | None:
        text: str | None = await info.context.loaders.article_text.load(str(self.id))
        return text

    @strawberry.field(description="Entities the article mentions, most mentioned first.")
    async def mentions(self, info: strawberry.Info[Context, None]) -> list[MentionedEntity]:
        items = await info.context.loaders.mentioned.load(str(self.id))
        return [MentionedEntity.from_record(i) for i in items]

    @strawberry.field(description="Every assertion read from this article, in text order.")
    async def assertions(
        self, info: strawberry.Info[Context, None], types: list[RelationType] | None = None
    ) -> list[Relation]:
        items = await info.context.loaders.assertions.load(str(self.id))
        wanted = {t.value for t in types} if types else None
        return [Relation.from_record(i) for i in items if wanted is None or i["r"]["type"] in wanted]


read_records(
    Article,
    {
        "id": "id",
        "url": "url",
        "title": "title",
        "source": "source",
        "publishedAt": lambda p: as_datetime(p.get("published_at")),
        "ingestedAt": lambda p: as_datetime(p.get("ingested_at")),
        "wordCount": "word_count",
        "extractor": "extractor",
        "extractorVersion": "extractor_version",
    },
    check=(("id",),),
)
