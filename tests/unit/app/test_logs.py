"""Server logs: a refused request is one line without a traceback; a bug keeps its traceback."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from graphql import GraphQLError
from strawberry.utils.logging import StrawberryLogger

from app.graphql.errors import NotFound
from app.logs import GRAPHQL_LOGGER, quiet_user_errors


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    quiet_user_errors()
    quiet_user_errors()  # idempotent
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(GRAPHQL_LOGGER)
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)
    assert sum(1 for f in logger.filters if type(f).__name__ == "UserErrorsOnOneLine") == 1


def _raised(exc: Exception) -> Exception:
    try:
        raise exc
    except Exception as caught:  # noqa: BLE001 - a raised exception carries its traceback
        return caught


def test_a_user_error_is_one_line_with_its_code_and_path(log: io.StringIO) -> None:
    original = _raised(NotFound("entity", "Nobody"))
    StrawberryLogger.error(GraphQLError(str(original), path=["subgraph"], original_error=original))
    lines = log.getvalue().splitlines()
    assert lines == ["WARNING graphql NOT_FOUND at subgraph: no entity matches 'Nobody'"]


def test_an_invalid_document_is_one_line(log: io.StringIO) -> None:
    StrawberryLogger.error(GraphQLError("Cannot query field 'nosuch' on type 'Query'."))
    assert log.getvalue().splitlines() == [
        "WARNING graphql GRAPHQL_VALIDATION_FAILED: Cannot query field 'nosuch' on type 'Query'."
    ]


def test_an_unexpected_error_keeps_its_traceback(log: io.StringIO) -> None:
    original = _raised(RuntimeError("the bug"))
    StrawberryLogger.error(GraphQLError("the bug", path=["stats"], original_error=original))
    text = log.getvalue()
    assert text.startswith("ERROR the bug")
    assert "Traceback (most recent call last)" in text and "RuntimeError: the bug" in text
