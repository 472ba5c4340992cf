"""`subgraph`: the neighbourhood of one entity as nodes and edges, for the viewer, in one query."""

from __future__ import annotations

import strawberry

from app.graphql.context import Context
from app.graphql.enums import RelationType
from app.graphql.errors import NotFound, UserError
from app.graphql.evidence import PREFETCHED_ARTICLE
from app.graphql.execution import Rows
from app.graphql.resolve import one_of, reference_params
from app.graphql.roots.responses import EVIDENCE_BRIEF
from app.graphql.selection import selected_paths, selects, selects_beyond
from app.graphql.subgraph import Subgraph, SubgraphEdge, SubgraphNode
from graph import queries as q

MAX_NODES = 500
EDGES_PER_NODE = 10
# Relationships read per node and hop: the neighbourhood's cost is bounded by `limit`, whatever the degree.
SCAN_PER_NODE = 20


@strawberry.type
class SubgraphQuery:
    @strawberry.field(
        description="Entities up to `depth` hops (1..3) from `center` (id, name or alias) along `types` "
        "(default: every assertion type), at most `limit` nodes (1..500), nearest first, and the edges "
        "among them. Add `includeArticles` to follow MENTIONS to the articles too."
    )
    async def subgraph(
        self,
        info: strawberry.Info[Context, None],
        center: str,
        depth: int = 1,
        types: list[RelationType] | None = None,
        limit: int = 100,
        include_articles: bool = False,
    ) -> Subgraph:
        if not 1 <= depth <= q.MAX_SUBGRAPH_DEPTH:
            raise UserError(f"depth must be between 1 and {q.MAX_SUBGRAPH_DEPTH}, got {depth}")
        if not 1 <= limit <= MAX_NODES:
            raise UserError(f"limit must be between 1 and {MAX_NODES}, got {limit}")
        wanted = [t.value for t in types] if types else list(q.READABLE_RELATION_TYPES)
        if include_articles:
            wanted.append("MENTIONS")
        edge_cap = limit * EDGES_PER_NODE
        ctx = info.context
        paths = selected_paths(info)
        with_article = selects(paths, "edges.evidence.article")
        record = await ctx.executor.read_one(
            q.subgraph(depth),
            **reference_params(center, field="center"),
            types=wanted,
            limit=limit,
            node_cap=limit + 1,
            edge_cap=edge_cap + 1,
            scan_cap=limit * SCAN_PER_NODE,
            with_evidence=selects(paths, "edges.evidence"),
            with_evidence_detail=selects_beyond(paths, "edges.evidence", EVIDENCE_BRIEF),
            with_node_detail=selects(paths, "nodes.properties", "nodes.aliases"),
            with_article=with_article,
        )
        if record is None:  # the statement has no row when nothing matches the centre
            raise NotFound("entity", center)
        centre = one_of(record["candidates"], record["matches"], center)
        edges = record["edges"]
        if with_article:
            # The articles came with the edges (the viewer asks for them): each evidence holds its own, as
            # a response's does, so the answer is built from the maps and no loader reads them again.
            articles = {a["id"]: a for a in record["articles"]}
            for edge in edges:
                r = edge["r"]
                article = articles.get(r.get("article_id"))
                if article is not None:
                    r[PREFETCHED_ARTICLE] = article
        # As the records: the short path builds the answer from them, or makes the objects when the
        # selection asks for a field they cannot give (app/graphql/execution.py, `Rows`).
        return Subgraph(
            center=strawberry.ID(centre["id"]),
            nodes=Rows(record["nodes"], SubgraphNode.from_node, "SubgraphNode"),  # type: ignore[arg-type]
            edges=Rows(edges[:edge_cap], SubgraphEdge.from_record, "SubgraphEdge"),  # type: ignore[arg-type]
            truncated=bool(record["node_truncated"]) or len(edges) > edge_cap,
        )
