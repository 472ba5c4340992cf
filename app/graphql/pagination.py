"""Cursor pagination shared by every connection: opaque offset cursors, page sizes capped by settings."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry

from app.graphql.errors import BadCursor, PageSizeError

T = TypeVar("T")
_PREFIX = "offset:"
_OFFSET = re.compile(r"[0-9]{1,12}")
MAX_OFFSET = 10**12


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(cursor) from exc
    digits = raw[len(_PREFIX) :]
    # ASCII digits only (`isdigit` takes '²'), and few enough that the offset is one Neo4j can skip: a
    # 5,000-digit or 2^70 offset was an internal error.
    if not raw.startswith(_PREFIX) or not _OFFSET.fullmatch(digits) or int(digits) > MAX_OFFSET:
        raise BadCursor(cursor)
    return int(digits)


@dataclass(frozen=True)
class Page:
    """Where a page starts and how long it is: `first` defaults to, and may not exceed, the cap."""

    skip: int
    limit: int

    @classmethod
    def of(cls, first: int | None, after: str | None, max_page_size: int) -> Page:
        if first is None:
            first = max_page_size
        if first < 0 or first > max_page_size:
            raise PageSizeError(first, max_page_size)
        skip = decode_cursor(after) + 1 if after else 0
        return cls(skip=skip, limit=first)


# Keyset cursors: the sort key of the last item seen, so the next page starts with an index seek instead of
# skipping (and first collecting) everything before it.
_KEY_PREFIX = "key:"
MAX_KEY_CURSOR_CHARS = 400


def encode_key(values: Sequence[str | int | None]) -> str:
    raw = _KEY_PREFIX + json.dumps(list(values), separators=(",", ":"), ensure_ascii=True)
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_key(cursor: str, arity: int) -> list[Any]:
    """The key in a cursor made by `encode_key` for a page sorted on `arity` values."""
    if len(cursor) > MAX_KEY_CURSOR_CHARS:
        raise BadCursor(cursor)
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        values = json.loads(raw[len(_KEY_PREFIX) :]) if raw.startswith(_KEY_PREFIX) else None
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(cursor) from exc
    if (
        not isinstance(values, list)
        or len(values) != arity
        or not all(v is None or isinstance(v, str | int) and not isinstance(v, bool) for v in values)
    ):
        raise BadCursor(cursor)
    return values


@dataclass(frozen=True)
class KeyPage:
    """A keyset page: `limit` items after the item whose sort key is `after` (None: from the start)."""

    limit: int
    after: tuple[Any, ...] | None

    @classmethod
    def of(cls, first: int | None, after: str | None, max_page_size: int, arity: int) -> KeyPage:
        if first is None:
            first = max_page_size
        if first < 0 or first > max_page_size:
            raise PageSizeError(first, max_page_size)
        return cls(limit=first, after=tuple(decode_key(after, arity)) if after else None)


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of results: `edges` (or just `nodes`), `pageInfo` and `totalCount`.")
class Connection(Generic[T]):
    total_count: int
    page_info: PageInfo
    edges: list[Edge[T]]

    @strawberry.field(description="The page's items without cursors.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]

    @classmethod
    def build(cls, items: Sequence[T], total: int, page: Page) -> Connection[T]:
        edges = [Edge(cursor=encode_cursor(page.skip + i), node=item) for i, item in enumerate(items)]
        return cls(
            total_count=total,
            page_info=PageInfo(
                has_next_page=page.skip + len(edges) < total,
                has_previous_page=page.skip > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            edges=edges,
        )

    @classmethod
    def build_keyed(
        cls, rows: Sequence[tuple[T, Sequence[Any]]], total: int | None, page: KeyPage
    ) -> Connection[T]:
        """`rows` are (item, sort key) pairs, one more than the page when there is a next page.

        `total` is None when the selection did not ask for `totalCount` (then it was not counted)."""
        edges = [Edge(cursor=encode_key(key), node=item) for item, key in rows[: page.limit]]
        return cls(
            total_count=-1 if total is None else total,
            page_info=PageInfo(
                has_next_page=len(rows) > page.limit,
                has_previous_page=page.after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            edges=edges,
        )
