"""`responses(to:)`: who criticized, endorsed or responded to someone, or to something of theirs.

`responses` returns a plain list (so `{ responses(to: "Krasner") { responder { name } } }` works as
is), paged with `first`/`after`; `responsesConnection` is the same result as a connection with
`totalCount` and cursors. Both cost one Cypher query, nested offices and articles included. For someone
drawing a large share of all assertions the query reads the page from the date index instead of sorting
every response to them (graph.queries.RESPONSES), and counts the total only when `totalCount` is selected.
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from app.graphql.context import Context
from app.graphql.entity import PREFETCHED_OFFICES
from app.graphql.enums import STANCES, RelationType
from app.graphql.errors import UserError
from app.graphql.evidence import PREFETCHED_ARTICLE
from app.graphql.execution import Rows
from app.graphql.pagination import Connection, Page
from app.graphql.resolve import one_of, reference_params
from app.graphql.response import Response
from app.graphql.selection import connection_items, selected_paths, selects, selects_beyond
from graph import queries as q

# What the brief projections (graph.queries.ENTITY_BRIEF, rel_brief) hold; anything else selected
# fetches the whole map. A person's offices come from their own part of the query.
ENTITY_BRIEF = ("id", "name", "type", "__typename", "offices", "offices.*")
EVIDENCE_BRIEF = ("sentence", "quote", "confidence", "articleId", "article", "article.*", "__typename")
# The date range of the index-ordered read when `since` / `until` leave it open.
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC)


async def _responses(
    ctx: Context,
    to: str,
    types: list[RelationType] | None,
    since: datetime | None,
    until: datetime | None,
    page: Page,
    paths: set[str],
    with_total: bool = False,
) -> tuple[Rows[Response], int]:
    """The page's responses and the total; without `with_total` the total is only "more than the page"
    or not (one item past the page is read and dropped), which is all a connection's `hasNextPage` needs."""
    wanted = [t.value for t in types] if types else [t.value for t in STANCES]
    if any(RelationType(t) not in STANCES for t in wanted):
        raise UserError("types: responses are CRITICIZED, ENDORSED or RESPONDED_TO")
    record = await ctx.executor.read_one(
        q.RESPONSES,
        **reference_params(to, field="to"),
        types=wanted,
        since=since,
        until=until,
        lo=since or EARLIEST,
        hi=until or LATEST,
        skip=page.skip,
        limit=page.limit + (0 if with_total else 1),
        need=page.skip + page.limit + (0 if with_total else 1),
        with_total=with_total,
        bounded=None,
        with_article=selects(paths, "evidence.article"),
        with_offices=selects(paths, "responder.offices"),
        with_evidence_detail=selects_beyond(paths, "evidence", EVIDENCE_BRIEF),
        with_entity_detail=selects_beyond(paths, "responder", ENTITY_BRIEF)
        or selects_beyond(paths, "target", ENTITY_BRIEF),
    )
    assert record is not None
    one_of(record["candidates"], record["matches"], to)
    # The query fetched what the nested fields ask for: the objects hold it, and the short execution
    # path (app/graphql/execution.py) reads it as it reads their attributes.
    # The maps carry them under keys no property has (`PREFETCHED_OFFICES`, `PREFETCHED_ARTICLE`), and the
    # short path builds the answer from the items, or makes the objects (`Response.from_record`) when the
    # selection asks for more than the readers give (app/graphql/execution.py, `Rows`).
    with_offices = selects(paths, "responder.offices")
    items = record["items"]
    total = record["total"] if with_total else page.skip + len(items)
    page_items = items[: page.limit]
    for item in page_items:
        if with_offices and item["s"].get("type") == "Person":
            item["s"][PREFETCHED_OFFICES] = item["offices"]
        if item["article"] is not None:
            item["r"][PREFETCHED_ARTICLE] = item["article"]
    return Rows(page_items, Response.from_record, "Response"), total  # type: ignore[arg-type]


@strawberry.type
class ResponsesQuery:
    @strawberry.field(
        description="Every CRITICIZED / ENDORSED / RESPONDED_TO aimed at `to` (an id, a name or an alias, "
        "case-insensitive) or at something of theirs (their office, a bill they sponsored or backed), "
        "grouped by responder, newest first. `to` matching several entities is an error listing them."
    )
    async def responses(
        self,
        info: strawberry.Info[Context, None],
        to: str,
        types: list[RelationType] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> list[Response]:
        page = Page.of(first, after, info.context.settings.max_page_size)
        items, _ = await _responses(info.context, to, types, since, until, page, selected_paths(info))
        return items  # type: ignore[return-value]

    @strawberry.field(description="`responses` as a connection, with `totalCount` and cursors.")
    async def responses_connection(
        self,
        info: strawberry.Info[Context, None],
        to: str,
        types: list[RelationType] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Response]:
        page = Page.of(first, after, info.context.settings.max_page_size)
        paths = connection_items(selected_paths(info))
        with_total = "totalCount" in selected_paths(info)
        items, total = await _responses(info.context, to, types, since, until, page, paths, with_total)
        return Connection.build(items.objects(), total, page)
