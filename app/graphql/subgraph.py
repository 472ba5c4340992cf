"""`Subgraph`: a neighbourhood as plain nodes and edges, ready for a graph viewer in one round trip."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.graphql.evidence import Evidence
from app.graphql.execution import Key, read_records
from app.graphql.node import RELATION_ID_PREFIX
from app.graphql.records import as_datetime, json_safe, read_map

_HIDDEN = {"aliases", "created_at", "updated_at", "labels"}


_PLAIN = frozenset((str, int, float, bool))


def _json_value(key: str, value: Any) -> Any:
    # Datetimes arrive as Cypher's toString(); they leave in Python's ISO form, as they always have.
    if key == "published_at" and isinstance(value, str):
        parsed = as_datetime(value)
        return parsed.isoformat() if parsed is not None else value
    if type(value) in _PLAIN:  # most values: nothing to convert (json_safe would say the same)
        return value
    return json_safe(value)


def node_type(p: dict[str, Any], node: Any = None) -> str:
    kind = p.get("type")
    if not kind:
        labels: Any = p.get("labels") or getattr(node, "labels", ())
        kind = "Article" if "Article" in labels else next((x for x in labels if x != "Entity"), "Entity")
    return kind  # type: ignore[no-any-return]


def node_label(p: dict[str, Any]) -> str:
    return p.get("name") or p.get("title") or p.get("url") or p["id"]  # type: ignore[no-any-return]


def node_properties(p: dict[str, Any]) -> dict[str, Any]:
    # Most values are plain and pass as they are, without a call each (200 nodes of about ten values).
    return {
        k: v if type(v) in _PLAIN and k != "published_at" else _json_value(k, v)
        for k, v in p.items()
        if v is not None and k not in _HIDDEN
    }


@strawberry.type(description="A node of a subgraph: an entity, or an article when MENTIONS is followed.")
class SubgraphNode:
    id: strawberry.ID
    type: str = strawberry.field(description="Person, Office, Organization, Bill, Event, Place or Article.")
    label: str
    aliases: list[str]
    # The node's map as read; `properties` builds its JSON only when selected (the viewer asks for it,
    # most other clients do not).
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field
    def properties(self) -> JSON:
        return node_properties(self.raw)  # type: ignore[return-value]

    @classmethod
    def from_node(cls, node: Any) -> SubgraphNode:
        # Up to 500 of these per request: read what id, type and label need, leave the rest for
        # `properties`.
        p = read_map(node)
        return cls(
            id=strawberry.ID(p["id"]),
            type=node_type(p, node),
            label=node_label(p),
            aliases=p.get("aliases") or [],
            raw=p,
        )


def edge_evidence(item: dict[str, Any]) -> dict[str, Any] | None:
    """The map `Evidence.from_props` reads, or None for a MENTIONS edge."""
    p: dict[str, Any] = item["r"]
    return None if p["type"] == "MENTIONS" else p


@strawberry.type(description="An edge of a subgraph; `source` and `target` are node ids.")
class SubgraphEdge:
    id: strawberry.ID
    source: strawberry.ID
    target: strawberry.ID
    type: str
    evidence: Evidence | None = strawberry.field(description="Null for MENTIONS edges.")

    @classmethod
    def from_record(cls, item: dict[str, Any]) -> SubgraphEdge:
        p = item["r"]
        evidence = edge_evidence(item)
        return cls(
            id=strawberry.ID(RELATION_ID_PREFIX + p["id"]),
            source=strawberry.ID(item["source"]),
            target=strawberry.ID(item["target"]),
            type=p["type"],
            evidence=None if evidence is None else Evidence.from_props(evidence),
        )


@strawberry.type(description="Nodes around a centre and every edge among them.")
class Subgraph:
    center: strawberry.ID
    nodes: list[SubgraphNode]
    edges: list[SubgraphEdge]
    truncated: bool = strawberry.field(description="True when the node or edge limit cut the neighbourhood.")


# A subgraph's nodes and edges are read straight from the statement's maps when the selection allows
# (app/graphql/execution.py, `Rows`): the readers give what `from_node` / `from_record` put in the objects.
read_records(
    SubgraphNode,
    {
        "id": "id",
        "type": node_type,
        "label": node_label,
        "aliases": lambda p: p.get("aliases") or [],
        "properties": node_properties,
    },
    check=(("id",),),
)


# What `SubgraphEdge.from_record` needs whatever is selected (a KeyError where it would fail); the paths
# are compiled into the plan, like the `Key` readers.
EDGE_NEEDS = (("r", "id"), ("r", "type"), ("source",), ("target",))

read_records(
    SubgraphEdge,
    {
        "id": Key(("r", "id"), prefix=RELATION_ID_PREFIX),
        "source": "source",
        "target": "target",
        "type": Key(("r", "type")),
        "evidence": edge_evidence,
    },
    check=EDGE_NEEDS,
)
