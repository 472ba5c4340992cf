"""`Mention` (an article mentioning an entity) and `MentionedEntity` (the other way round)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from app.graphql.entity import Entity

if TYPE_CHECKING:
    from app.graphql.article import Article


@strawberry.type(description="An article that mentions an entity, and how many times.")
class Mention:
    article: Annotated[Article, strawberry.lazy("app.graphql.article")]
    count: int

    @classmethod
    def from_record(cls, item: dict[str, Any]) -> Mention:
        from app.graphql.article import Article

        return cls(article=Article.from_node(item["article"]), count=item.get("count") or 1)


@strawberry.type(description="An entity an article mentions, and how many times.")
class MentionedEntity:
    entity: Entity
    count: int

    @classmethod
    def from_record(cls, item: dict[str, Any]) -> MentionedEntity:
        return cls(entity=Entity.from_node(item["node"]), count=item.get("count") or 1)
