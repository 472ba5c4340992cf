"""`as_datetime`: the dates the reads return as Cypher's toString() become datetimes, parsed once per
distinct string (a subgraph repeats a few hundred dates over a thousand edges)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.graphql import records
from app.graphql.records import as_datetime


def test_cyphers_date_strings_become_aware_datetimes() -> None:
    assert as_datetime("2025-06-01T12:00Z") == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    paris = as_datetime("2025-06-01T12:00:00+02:00[Europe/Paris]")
    assert paris is not None and paris.utcoffset() == timedelta(hours=2)
    assert paris.isoformat() == "2025-06-01T12:00:00+02:00"
    assert as_datetime("2025-06-01T12:00:00.5-05:00") == datetime(
        2025, 6, 1, 12, 0, 0, 500000, tzinfo=timezone(timedelta(hours=-5))
    )


def test_what_is_not_a_date_is_none_and_other_values_convert_as_before() -> None:
    assert as_datetime("not a date") is None
    assert as_datetime(None) is None
    assert as_datetime(date(2025, 6, 1)) == datetime(2025, 6, 1)
    moment = datetime(2025, 6, 1, tzinfo=UTC)
    assert as_datetime(moment) is moment


def test_a_string_is_parsed_once_and_the_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "_PARSED", {})
    monkeypatch.setattr(records, "MAX_PARSED", 3)
    first = as_datetime("2025-06-01T12:00Z")
    assert as_datetime("2025-06-01T12:00Z") is first  # one object for every reader of that string
    for day in range(2, 9):
        assert as_datetime(f"2025-06-0{day}T12:00Z") == datetime(2025, 6, day, 12, 0, tzinfo=UTC)
        assert len(records._PARSED) <= 3
    assert as_datetime("2025-06-01T12:00Z") == first
