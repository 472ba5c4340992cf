"""`articles` and `article(id)`: the source documents."""

from __future__ import annotations

import strawberry

from app.graphql.article import Article
from app.graphql.context import Context
from app.graphql.errors import BadCursor
from app.graphql.pagination import Connection, KeyPage
from app.graphql.records import as_datetime
from app.graphql.roots.relations import LATEST
from graph import queries as q


@strawberry.type
class ArticlesQuery:
    @strawberry.field(description="Articles, newest first (by date; those with no date after them).")
    async def articles(
        self, info: strawberry.Info[Context, None], first: int | None = None, after: str | None = None
    ) -> Connection[Article]:
        ctx = info.context
        page = KeyPage.of(first, after, ctx.settings.max_page_size, arity=3)
        phase, at, after_id = page.after if page.after else (0, None, None)
        hi = as_datetime(at) if at else LATEST
        if phase not in (0, 1) or hi is None or (page.after and not isinstance(after_id, str)):
            raise BadCursor(str(after))
        record = await ctx.executor.read_one(
            q.ARTICLES_PAGE,
            phase=phase,
            hi=hi if phase == 0 else LATEST,
            hi_undated=hi if phase == 1 else LATEST,
            after_id=after_id,
            limit=page.limit + 1,
        )
        assert record is not None
        rows = [(Article.from_node(i["a"]), i["key"]) for i in record["items"]]
        return Connection.build_keyed(rows, record["total"], page)

    @strawberry.field(description="One article, with `mentions` and all its `assertions`.")
    async def article(self, info: strawberry.Info[Context, None], id: strawberry.ID) -> Article | None:
        node = await info.context.loaders.article.load(str(id))
        return Article.from_node(node) if node is not None else None
