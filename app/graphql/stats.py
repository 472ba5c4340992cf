"""`Stats`: how big the graph is, by label and by relationship type."""

from __future__ import annotations

import strawberry


@strawberry.type
class LabelCount:
    label: str
    count: int


@strawberry.type
class TypeCount:
    type: str
    count: int


@strawberry.type(description="Node counts by label and relationship counts by type.")
class Stats:
    labels: list[LabelCount]
    relationship_types: list[TypeCount]

    @strawberry.field(description="Entity nodes of every type.")
    def entities(self) -> int:
        return sum(c.count for c in self.labels if c.label not in ("Article", "IngestJob"))

    @strawberry.field(description="Assertions (every relationship but MENTIONS).")
    def assertions(self) -> int:
        return sum(c.count for c in self.relationship_types if c.type != "MENTIONS")

    @classmethod
    def from_record(cls, labels: dict[str, int], types: dict[str, int]) -> Stats:
        return cls(
            labels=[LabelCount(label=k, count=v) for k, v in sorted(labels.items())],
            relationship_types=[TypeCount(type=k, count=v) for k, v in sorted(types.items())],
        )
