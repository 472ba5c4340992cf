"""The per-request context: settings, one Cypher executor, and DataLoaders made fresh for each request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from fastapi import Request
from neo4j import READ_ACCESS, AsyncDriver, Query, Record
from neo4j.exceptions import DriverError, Neo4jError
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from app.config import Settings
from graph import queries as q

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

QueryListener = Callable[[str, dict[str, Any]], None]

#: How often a read is tried when the driver says its error is retryable (a stale connection, a
#: cluster member that left); the waits between tries are 0.05 s and 0.1 s.
READ_ATTEMPTS = 3


class CypherExecutor:
    """Every API read goes through here: read routing, the service timeout, and a count of round trips.

    Listeners (tests, tracing) see each query; the count is what the no-N+1 tests assert on.
    """

    def __init__(
        self,
        driver: AsyncDriver,
        database: str,
        timeout_s: float,
        listeners: Sequence[QueryListener] = (),
    ) -> None:
        self.driver = driver
        self.database = database
        self.timeout_s = timeout_s
        self.listeners = listeners
        self.calls = 0

    async def read(self, cypher: str, **params: Any) -> list[Record]:
        """The statement's records, read in one auto-commit transaction on a read connection.

        Auto-commit sends RUN and PULL in one write and needs no BEGIN or COMMIT: one round trip and one
        socket write fewer per request than a managed transaction (`execute_query`), which on this
        2-core machine was a measurable share of both the API's and Neo4j's CPU (docs/performance.md).
        A read is safe to repeat, so what the driver calls retryable (a connection that went stale, a
        cluster member that left) is tried again, a few times, as `execute_query` would."""
        self.calls += 1
        for listener in self.listeners:
            listener(cypher, params)
        query = Query(cypher, timeout=self.timeout_s)
        for attempt in range(READ_ATTEMPTS):
            try:
                async with self.driver.session(
                    database=self.database,
                    default_access_mode=READ_ACCESS,
                    bookmark_manager=self.driver.execute_query_bookmark_manager,
                ) as session:
                    result = await session.run(query, params)
                    return [record async for record in result]
            except Neo4jError as exc:
                if not exc.is_retryable() or attempt == READ_ATTEMPTS - 1:
                    raise
            except DriverError as exc:
                if not exc.is_retryable() or attempt == READ_ATTEMPTS - 1:
                    raise
            await asyncio.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    async def read_one(self, cypher: str, **params: Any) -> Record | None:
        records = await self.read(cypher, **params)
        return records[0] if records else None


def _keyed_loader(
    executor: CypherExecutor, cypher: str, column: str, default: Callable[[], V]
) -> DataLoader[str, V]:
    """A loader over a query shaped `UNWIND $ids AS id ... RETURN id, <column>`."""

    async def load(ids: list[str]) -> list[V]:
        records = await executor.read(cypher, ids=list(dict.fromkeys(ids)))
        found = {r["id"]: r[column] for r in records}
        return [found[i] if i in found else default() for i in ids]

    return DataLoader(load_fn=load)


@dataclass(frozen=True)
class PageKey:
    """One entity's page: the cursor's key (`after_at`, `after_id`), size, types, direction, and whether
    the selection asks for the total. Entities asking for the same page share one query."""

    id: str
    after_at: str | None
    after_id: str | None
    limit: int
    types: tuple[str, ...] = ()
    direction: str = ""
    with_total: bool = False

    def args(self) -> tuple[str | None, str | None, int, tuple[str, ...], str, bool]:
        return self.after_at, self.after_id, self.limit, self.types, self.direction, self.with_total


def _page_loader(
    executor: CypherExecutor, build: Callable[[str, tuple[str, ...]], str]
) -> DataLoader[PageKey, Any]:
    """Pages of many entities' relations or articles: one query per distinct set of page arguments."""

    async def load(keys: list[PageKey]) -> list[Any]:
        groups: dict[tuple[str | None, str | None, int, tuple[str, ...], str, bool], list[str]] = {}
        for key in keys:
            groups.setdefault(key.args(), []).append(key.id)
        results: dict[tuple[str, tuple[Any, ...]], Any] = {}
        for args, ids in groups.items():
            after_at, after_id, limit, types, direction, with_total = args
            records = await executor.read(
                build(direction, types),
                ids=list(dict.fromkeys(ids)),
                after_at=after_at,
                after_id=after_id,
                limit=limit,
                with_total=with_total,
            )
            for r in records:
                results[(r["id"], args)] = (r["total"], r["items"])
        return [results.get((k.id, k.args()), (0, [])) for k in keys]

    return DataLoader(load_fn=load)


def _none() -> Any:
    return None


class Loaders:
    """The request's DataLoaders, each made on first use: most requests use one or none of them, and
    making all fourteen for every request was a measurable share of a small query's time."""

    def __init__(self, executor: CypherExecutor) -> None:
        self._ex = executor

    @classmethod
    def build(cls, ex: CypherExecutor) -> Loaders:
        return cls(ex)

    @cached_property
    def entity(self) -> DataLoader[str, Any]:
        return _keyed_loader(self._ex, q.ENTITIES_BY_ID, "n", _none)

    @cached_property
    def article(self) -> DataLoader[str, Any]:
        return _keyed_loader(self._ex, q.ARTICLES_BY_ID, "a", _none)

    @cached_property
    def article_text(self) -> DataLoader[str, str | None]:
        return _keyed_loader(self._ex, q.ARTICLE_TEXTS, "text", _none)

    @cached_property
    def job(self) -> DataLoader[str, Any]:
        return _keyed_loader(self._ex, q.JOBS_BY_ID, "j", _none)

    @cached_property
    def offices(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.OFFICES_BY_PERSON, "nodes", list)

    @cached_property
    def holders(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.HOLDERS_BY_OFFICE, "nodes", list)

    @cached_property
    def sponsors(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.SPONSORS_BY_BILL, "nodes", list)

    @cached_property
    def supporters(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.SUPPORTERS_BY_BILL, "nodes", list)

    @cached_property
    def opponents(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.OPPONENTS_BY_BILL, "nodes", list)

    @cached_property
    def participants(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.PARTICIPANTS_BY_EVENT, "nodes", list)

    @cached_property
    def assertions(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.ASSERTIONS_BY_ARTICLE, "items", list)

    @cached_property
    def mentioned(self) -> DataLoader[str, list[Any]]:
        return _keyed_loader(self._ex, q.MENTIONED_BY_ARTICLE, "items", list)

    @cached_property
    def mentions_page(self) -> DataLoader[PageKey, Any]:
        return _page_loader(self._ex, lambda _direction, _types: q.MENTIONS_PAGE)

    @cached_property
    def relations_page(self) -> DataLoader[PageKey, Any]:
        return _page_loader(self._ex, q.relations_page)  # type: ignore[arg-type]

    def prime_nodes(self, loader: DataLoader[str, Any], nodes: Iterable[Any]) -> None:
        for node in nodes:
            if node is not None:
                loader.prime(node["id"], node)


@dataclass
class Context(BaseContext):
    settings: Settings
    driver: AsyncDriver
    executor: CypherExecutor
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        super().__init__()
        self.loaders = Loaders.build(self.executor)


def make_context(settings: Settings, state: Any) -> Context:
    """A request's context from the app's state (its driver, its query listeners)."""
    executor = CypherExecutor(
        state.driver,
        settings.neo4j_database,
        settings.cypher_timeout_s,
        getattr(state, "query_listeners", ()),
    )
    return Context(settings=settings, driver=state.driver, executor=executor)


def make_context_getter(settings: Settings) -> Callable[[Request], Awaitable[Context]]:
    async def get_context(request: Request) -> Context:
        return make_context(settings, request.app.state)

    return get_context
