"""The dateline pattern in ingest.extract.offices. How offices come out of sentences (titles,
jurisdictions, status, datelines) is in tests/data/extraction_cases.jsonl."""

from __future__ import annotations

from ingest.extract.dateline import DATELINE


def groups(text: str) -> tuple[str | None, ...] | None:
    match = DATELINE.search(text)
    return match.groups() if match else None


def test_wire_datelines_with_the_outlet_or_the_date() -> None:
    assert groups("MADISON, Wis. (AP) — The") == ("MADISON", "Wis.")
    assert groups("BERLIN, Nov 19 (Reuters) - The") == ("BERLIN", None)
    assert groups("Madison said (AP) — x") is None
