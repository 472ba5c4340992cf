"""`articles` and `article(id)`: the source documents."""

from __future__ import annotations

import strawberry

from app.graphql.article import Article
from app.graphql.context import Context
from app.graphql.pagination import Connection, Page
from graph import queries as q


@strawberry.type
class ArticlesQuery:
    @strawberry.field(description="Articles, newest first.")
    async def articles(
        self, info: strawberry.Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Article]:
        ctx = info.context
        page = Page.of(first, after, ctx.settings.max_page_size)
        record = await ctx.executor.read_one(q.ARTICLES_PAGE, skip=page.skip, limit=page.limit)
        assert record is not None
        return Connection.build([Article.from_node(n) for n in record["items"]], record["total"], page)

    @strawberry.field(description="One article, with `mentions` and all its `assertions`.")
    async def article(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> Article | None:
        node = await info.context.loaders.article.load(str(id))
        return Article.from_node(node) if node is not None else None
