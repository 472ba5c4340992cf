"""PROFILE every statement of a write: which plan operators ran and how many database hits they cost.

The write path is the writer's transaction functions (`graph.writer`), which take a transaction and
call `tx.run`. `PlanLog.transaction` runs one of them in an explicit transaction whose `run` prefixes
each statement with PROFILE and keeps its plan, so a test can refuse a label scan on the write path and
a bench can count database hits per article, on exactly the statements production runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncDriver, AsyncTransaction, Record

# Operators that read every node of a label (or every node, or every relationship of a type): what a
# write path whose cost must not grow with the graph may never contain.
SCANS = frozenset(
    {
        "NodeByLabelScan",
        "AllNodesScan",
        "UnionNodeByLabelsScan",
        "IntersectionNodeByLabelsScan",
        "DirectedRelationshipTypeScan",
        "UndirectedRelationshipTypeScan",
        "DirectedAllRelationshipsScan",
        "UndirectedAllRelationshipsScan",
    }
)


@dataclass(frozen=True, slots=True)
class Plan:
    query: str
    operators: tuple[str, ...]
    db_hits: int

    @property
    def scans(self) -> list[str]:
        return [op for op in self.operators if op in SCANS]


def _walk(profile: dict[str, Any]) -> tuple[list[str], int]:
    # Operator names carry a runtime suffix ("NodeByLabelScan@neo4j"); the name is before it.
    ops = [str(profile.get("operatorType", "")).split("@")[0]]
    hits = int(profile.get("dbHits", 0))
    for child in profile.get("children", []):
        more, more_hits = _walk(child)
        ops += more
        hits += more_hits
    return ops, hits


class _Result:
    """The part of `AsyncResult` the writer uses, over records already fetched."""

    def __init__(self, records: list[Record]) -> None:
        self._records = records

    async def single(self) -> Record | None:
        return self._records[0] if self._records else None

    async def consume(self) -> None:
        return None

    def __aiter__(self) -> AsyncIterator[Record]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Record]:
        for record in self._records:
            yield record


class _ProfilingTransaction:
    def __init__(self, tx: AsyncTransaction, log: PlanLog) -> None:
        self._tx = tx
        self._log = log

    async def run(self, query: str, parameters: dict[str, Any] | None = None, **kwargs: Any) -> _Result:
        result = await self._tx.run("PROFILE " + query, parameters, **kwargs)
        records = [record async for record in result]
        summary = await result.consume()
        ops, hits = _walk(summary.profile or {})
        self._log.plans.append(Plan(" ".join(query.split()), tuple(ops), hits))
        return _Result(records)


@dataclass
class PlanLog:
    """The plans of every statement run through `transaction`, in order."""

    plans: list[Plan] = field(default_factory=list)

    @property
    def db_hits(self) -> int:
        return sum(p.db_hits for p in self.plans)

    def scans(self) -> list[tuple[str, str]]:
        return [(op, p.query) for p in self.plans for op in p.scans]

    async def transaction(
        self,
        driver: AsyncDriver,
        database: str,
        work: Callable[..., Awaitable[Any]],
        *args: Any,
        commit: bool = True,
    ) -> Any:
        """Run `work(tx, *args)` once, profiled; commit it, or roll it back to leave the graph as it was."""
        async with driver.session(database=database, notifications_min_severity="OFF") as session:
            tx = await session.begin_transaction()
            try:
                profiled: Any = _ProfilingTransaction(tx, self)
                answer = await work(profiled, *args)
                if commit:
                    await tx.commit()
                else:
                    await tx.rollback()
                return answer
            finally:
                if not tx.closed():
                    await tx.rollback()
