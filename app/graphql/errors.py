"""Errors a GraphQL client is meant to read. Anything else is a bug, and is masked in production."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError


class UserError(Exception):
    """A request the service understood and refuses, with a message that says how to fix it."""

    code = "BAD_REQUEST"

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code}


class InputTooLarge(UserError):
    code = "LIMIT_EXCEEDED"

    def __init__(self, field: str, size: int, limit: int, setting: str, unit: str = "") -> None:
        super().__init__(f"{field} is {size:,}{unit}; the limit is {limit:,}{unit} ({setting})")


class PageSizeError(UserError):
    code = "LIMIT_EXCEEDED"

    def __init__(self, first: int, limit: int) -> None:
        super().__init__(f"first must be between 0 and {limit} (KG_MAX_PAGE_SIZE), got {first}")


class BadCursor(UserError):
    def __init__(self, cursor: str) -> None:
        shown = cursor if len(cursor) <= 60 else cursor[:60] + "..."
        super().__init__(f"after: {shown!r} is not a cursor this API issued")


class NotFound(UserError):
    code = "NOT_FOUND"

    def __init__(self, what: str, ref: str) -> None:
        super().__init__(f"no {what} matches {ref!r}")


class Ambiguous(UserError):
    code = "AMBIGUOUS"

    def __init__(self, ref: str, candidates: Sequence[tuple[str, str, str]], total: int) -> None:
        self.candidates = [{"id": i, "name": n, "type": t} for i, n, t in candidates]
        listed = "; ".join(f"{n} ({t}, id {i})" for i, n, t in candidates)
        more = f" and {total - len(candidates)} more" if total > len(candidates) else ""
        super().__init__(f"{ref!r} matches {total} entities: {listed}{more}. Pass one of these ids instead.")

    @property
    def extensions(self) -> dict[str, object]:
        return {"code": self.code, "candidates": self.candidates}


class Unauthorized(UserError):
    code = "UNAUTHENTICATED"


def should_mask(error: GraphQLError) -> bool:
    """Only parse/validation errors (no original error) and `UserError`s are safe to show in production."""
    original = error.original_error
    return original is not None and not isinstance(original, UserError)
