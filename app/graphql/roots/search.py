"""`search`: full-text look-up over entity names and aliases, tolerant of partial names."""

from __future__ import annotations

import strawberry

from app.graphql.context import Context
from app.graphql.entity import Entity
from app.graphql.enums import EntityType
from app.graphql.errors import InputTooLarge, UserError
from app.graphql.pagination import Connection, Page
from graph import queries as q

MAX_SEARCH_CHARS = 200


@strawberry.type
class SearchQuery:
    @strawberry.field(description='Entities whose name or an alias matches: "Kras" finds Larry Krasner.')
    async def search(
        self,
        info: strawberry.Info[Context, None],
        text: str,
        types: list[EntityType] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Entity]:
        ctx = info.context
        page = Page.of(first, after, ctx.settings.max_page_size)
        if len(text) > MAX_SEARCH_CHARS:
            raise InputTooLarge("text", len(text), MAX_SEARCH_CHARS, "search", " characters")
        lucene = q.search_query(text)
        if lucene is None:
            raise UserError("text must contain at least one letter or digit")
        record = await ctx.executor.read_one(
            q.SEARCH,
            lucene=lucene,
            types=[t.value for t in types or []],
            skip=page.skip,
            limit=page.limit,
        )
        assert record is not None
        ctx.loaders.prime_nodes(ctx.loaders.entity, record["page"])
        return Connection.build([Entity.from_node(n) for n in record["page"]], record["total"], page)
