"""Cursor pagination shared by every connection: opaque offset cursors, page sizes capped by settings."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

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
