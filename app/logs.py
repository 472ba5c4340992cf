"""Server logs that an operator can read: a request the service refused on purpose (not found, bad input,
no token, a limit) is one line; only an unexpected error carries its traceback."""

from __future__ import annotations

import logging

from graphql import GraphQLError

from app.graphql.errors import UserError

GRAPHQL_LOGGER = "strawberry.execution"


class UserErrorsOnOneLine(logging.Filter):
    """Strawberry logs every GraphQL error at ERROR with the exception's traceback. A `UserError` or a
    document that does not parse or validate is the client's to fix: one line at WARNING, no traceback.

    WARNING, not INFO: with no logging configured, Python's last-resort handler shows WARNING and up."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.msg
        if not isinstance(error, GraphQLError):
            return True
        original = error.original_error
        if original is not None and not isinstance(original, UserError):
            return True  # a bug or an outage: keep the traceback
        code = original.code if isinstance(original, UserError) else "GRAPHQL_VALIDATION_FAILED"
        where = f" at {'.'.join(str(p) for p in error.path)}" if error.path else ""
        record.msg = "graphql %s%s: %s"
        record.args = (code, where, error.message)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def quiet_user_errors() -> None:
    """Install the filter once (create_app calls it)."""
    logger = logging.getLogger(GRAPHQL_LOGGER)
    if not any(isinstance(f, UserErrorsOnOneLine) for f in logger.filters):
        logger.addFilter(UserErrorsOnOneLine())
