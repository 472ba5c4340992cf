"""The Relay `Node` interface: every object with a global id can be fetched again with `node(id:)`.

Ids are already global in this graph: entities carry a typed id (`person:larry-krasner`), articles a
content hash, ingest jobs a uuid, and relations `relation:<elementId>`.
"""

from __future__ import annotations

import strawberry

RELATION_ID_PREFIX = "relation:"


@strawberry.interface(description="An object with a globally unique id; fetch it again with `node(id:)`.")
class Node:
    id: strawberry.ID
