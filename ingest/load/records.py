"""JSON and JSON Lines: one article per record, `{url, title, text, published_at, source, id}`.

Feeds and scrapers deliver articles in bulk, so one bad record is reported with its number and the
rest still load. A malformed `.json` file is one error (nothing in it can be trusted); a malformed
line in a `.jsonl` file is an error for that line only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.errors import EmptyInput, IngestError, InvalidField, InvalidJson, InvalidRecord, MissingField
from ingest.load.readers import Draft, Parsed, Rejected

ISO_8601_HINT = "an ISO 8601 date such as 2025-01-31 or 2025-01-31T14:30:00Z"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _optional_str(record: dict[str, Any], field: str, record_no: int | None) -> str | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidField(field, value, "a string", record_no)
    return value.strip() or None


def _published_at(record: dict[str, Any], record_no: int | None) -> datetime | None:
    value = record.get("published_at")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidField("published_at", value, ISO_8601_HINT, record_no)
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidField("published_at", value, ISO_8601_HINT, record_no) from None


def _record_name(record: dict[str, Any], default: str, record_no: int | None) -> str:
    value = record.get("id")
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidField("id", value, "a string or an integer", record_no)
    return str(value).strip() or default


def record_to_draft(record: object, *, origin: str, name: str, record_no: int | None) -> Draft:
    """Validate one record; `record_no` is None for a file that holds a single object."""
    if not isinstance(record, dict):
        raise InvalidRecord(record_no, f"a record must be a JSON object, not {_json_type(record)}")
    text = record.get("text")
    if text is None:
        raise MissingField("text", record_no)
    if not isinstance(text, str):
        raise InvalidField("text", text, "a string", record_no)
    if not text.strip():
        raise MissingField("text", record_no, empty=True)
    return Draft(
        origin=origin,
        text=text,
        title=_optional_str(record, "title", record_no),
        url=_optional_str(record, "url", record_no),
        source=_optional_str(record, "source", record_no),
        published_at=_published_at(record, record_no),
        name=_record_name(record, name, record_no),
    )


def _parse_record(record: object, path: Path, record_no: int) -> Parsed:
    origin = f"{path}#{record_no}"
    try:
        return record_to_draft(record, origin=origin, name=f"{path.stem}-{record_no}", record_no=record_no)
    except IngestError as exc:
        return Rejected(origin, exc)


def read_json(text: str, path: Path) -> list[Parsed]:
    """One object (named after the file) or a list of objects (`<stem>-<n>`, numbered from 1)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidJson(exc.msg, exc.lineno, exc.colno) from None
    if isinstance(data, dict):
        return [record_to_draft(data, origin=str(path), name=path.stem, record_no=None)]
    if not isinstance(data, list):
        found = _json_type(data)
        raise InvalidRecord(None, f"the file must hold an object or a list of objects, not {found}")
    if not data:
        raise EmptyInput("has an empty list of records", what="file")
    return [_parse_record(record, path, n) for n, record in enumerate(data, start=1)]


def read_jsonl(text: str, path: Path) -> list[Parsed]:
    """One object per line; records are numbered by line, so `#12` is line 12 in any editor."""
    return list(iter_jsonl_lines(text.split("\n"), path))


def iter_jsonl_lines(lines: Iterable[str | bytes], path: Path) -> Iterator[Parsed]:
    """`read_jsonl` a line at a time, from text lines or a file opened in binary mode (each line then
    decoded on its own, so a bad byte costs that line only)."""
    found = False
    for line_no, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                found = True
                bad = f"byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"
                reason = f"the line is not valid UTF-8 ({bad})"
                yield Rejected(f"{path}#{line_no}", InvalidRecord(line_no, reason))
                continue
        else:
            line = raw
        if not line.strip():
            continue
        found = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            error = InvalidRecord(line_no, f"the line is not valid JSON: {exc.msg} at column {exc.colno}")
            yield Rejected(f"{path}#{line_no}", error)
            continue
        yield _parse_record(record, path, line_no)
    if not found:
        raise EmptyInput("has no records", what="file")
