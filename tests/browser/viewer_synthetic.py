"""Synthetic GraphQL answers for the browser tests that need shapes the seeds cannot give (3,000 nodes,
a failed job) or an API that is down. They follow schema.graphql's field names."""

from __future__ import annotations

from typing import Any

STANCE = ("CRITICIZED", "ENDORSED", "RESPONDED_TO")
TYPES = ("Person", "Office", "Organization", "Bill", "Event", "Place")


def node(id_: str, label: str, type_: str, **props: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "type": type_,
        "label": label,
        "aliases": [label],
        "properties": {"id": id_, "name": label, **props},
    }


def edge(
    id_: str,
    source: str,
    target: str,
    type_: str,
    *,
    sentence: str = "",
    quote: str | None = None,
    date: str = "2025-07-11T00:00:00Z",
    title: str = "Krasner and ICE clash",
) -> dict[str, Any]:
    return {
        "id": id_,
        "source": source,
        "target": target,
        "type": type_,
        "evidence": {
            "sentence": sentence or f"{source} {type_.lower()} {target}.",
            "quote": quote,
            "confidence": 0.8,
            "observedAt": date,
            "article": {
                "id": "a1",
                "title": title,
                "url": "https://example.org/krasner-ice",
                "publishedAt": date,
            },
        },
    }


def subgraph(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], truncated: bool = False
) -> dict[str, Any]:
    return {"data": {"subgraph": {"truncated": truncated, "nodes": nodes, "edges": edges}}}


def search_answer(*items: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "data": {
            "search": {
                "totalCount": len(items),
                "edges": [{"node": {"__typename": t, "id": i, "name": n}} for i, n, t in items],
            }
        }
    }


def big_graph(n: int = 3000, center: str = "person:hub") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A hub, 60 neighbours and the rest hanging off them, plus cross links: n nodes, ~1.3n edges."""
    nodes = [node(center, "Hub Person", "Person")]
    edges: list[dict[str, Any]] = []
    first = 60
    for i in range(1, n):
        t = TYPES[i % len(TYPES)]
        nodes.append(node(f"n:{i}", f"{t} {i}", t))
        parent = center if i <= first else f"n:{1 + (i % first)}"
        rel = STANCE[i % 3] if i % 4 else "INVOLVED_IN"
        edges.append(edge(f"e:{i}", f"n:{i}", parent, rel, date=f"2025-0{1 + i % 9}-15T00:00:00Z"))
    for i in range(1, n // 3):
        a, b = 1 + (i * 7) % (n - 1), 1 + (i * 13) % (n - 1)
        if a != b:
            edges.append(edge(f"x:{i}", f"n:{a}", f"n:{b}", STANCE[i % 3]))
    return nodes, edges


KRASNER = "person:larry-krasner"


def krasner_graph() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [
        node(KRASNER, "Larry Krasner", "Person"),
        node("person:todd-lyons", "Todd Lyons", "Person"),
        node("person:pete-hegseth", "Pete Hegseth", "Person"),
        node("person:jarrett-coleman", "Jarrett Coleman", "Person"),
        node(
            "office:district-attorney-of-philadelphia",
            "District Attorney of Philadelphia",
            "Office",
            title="District Attorney",
            jurisdiction="Philadelphia",
        ),
        node("organization:ice", "ICE", "Organization", kind="agency"),
        node("bill:ice-out", "ICE OUT", "Bill", kind="package"),
        node("event:impeachment", "2022 impeachment attempt", "Event", kind="impeachment"),
        node("place:philadelphia", "Philadelphia", "Place", kind="city"),
    ]
    edges = [
        edge(
            "r:1",
            "person:todd-lyons",
            KRASNER,
            "CRITICIZED",
            sentence="His remarks were met with swift condemnation from Acting ICE Director Todd Lyons.",
            quote="Any time you pit law enforcement officers against law enforcement officers",
        ),
        edge(
            "r:2",
            "person:pete-hegseth",
            KRASNER,
            "ENDORSED",
            date="2025-06-02T00:00:00Z",
            sentence="Defense Secretary Pete Hegseth praised Krasner's rhetoric.",
        ),
        edge(
            "r:3",
            "person:jarrett-coleman",
            KRASNER,
            "RESPONDED_TO",
            date="2025-08-20T00:00:00Z",
            sentence="State Senator Jarrett Coleman warned of possible legal consequences.",
        ),
        edge("r:4", KRASNER, "office:district-attorney-of-philadelphia", "HOLDS_OFFICE"),
        edge("r:5", KRASNER, "organization:ice", "CRITICIZED", quote="People are tired of these people"),
        edge("r:6", KRASNER, "bill:ice-out", "ENDORSED"),
        edge("r:7", KRASNER, "event:impeachment", "INVOLVED_IN"),
        edge("r:8", "office:district-attorney-of-philadelphia", "place:philadelphia", "INVOLVED_IN"),
    ]
    return nodes, edges


def lyons_graph() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = [
        node("person:todd-lyons", "Todd Lyons", "Person"),
        node(KRASNER, "Larry Krasner", "Person"),
        node("office:acting-ice-director", "Acting Director of ICE", "Office"),
        node("organization:fox-news", "Fox News", "Organization", kind="outlet"),
    ]
    edges = [
        edge("r:1", "person:todd-lyons", KRASNER, "CRITICIZED"),
        edge("r:20", "person:todd-lyons", "office:acting-ice-director", "HOLDS_OFFICE"),
        edge("r:21", "person:todd-lyons", "organization:fox-news", "RESPONDED_TO"),
    ]
    return nodes, edges
