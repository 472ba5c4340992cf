"""Neo4j values → Python values, the one place the API converts what the driver hands back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from neo4j.graph import Node, Relationship
from neo4j.time import Date, DateTime, Duration, Time


def native(value: Any) -> Any:
    """Driver temporal types become `datetime`/`date`; lists and maps are converted all the way down."""
    if isinstance(value, DateTime | Date | Time):
        return value.to_native()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, list):
        return [native(v) for v in value]
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    return value


def props(entity: Node | Relationship | dict[str, Any]) -> dict[str, Any]:
    return {k: native(v) for k, v in dict(entity).items()}


def read_map(entity: Node | dict[str, Any]) -> dict[str, Any]:
    """An entity or article as the API's reads return it: a map of primitives (graph/queries.py), taken as
    is (walking every value of every map was a few per cent of a request); a whole node is converted."""
    return entity if isinstance(entity, dict) else props(entity)


#: Datetimes parsed from Cypher's toString(), by the string: a subgraph's edges and their articles repeat
#: a few hundred dates a thousand times (a datetime is immutable, so one object serves every reader).
_PARSED: dict[str, datetime | None] = {}
MAX_PARSED = 20_000


def as_datetime(value: Any) -> datetime | None:
    """The writer stores datetimes; tolerate ISO strings and dates from older or hand-made data."""
    if type(value) is str:  # how the reads return dates: parsed once per distinct string
        try:
            return _PARSED[value]
        except KeyError:
            if len(_PARSED) >= MAX_PARSED:
                _PARSED.clear()
            parsed = _PARSED[value] = _parse_datetime(value)
            return parsed
    value = native(value)
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return _parse_datetime(value)
    return None


def _parse_datetime(value: str) -> datetime | None:
    # Cypher's toString() of a DateTime, "2025-06-01T12:00Z" or with a named zone
    # "...+02:00[Europe/Paris]": the offset says it all, the zone name is dropped.
    try:
        return datetime.fromisoformat(value.split("[", 1)[0].replace("Z", "+00:00"))
    except ValueError:
        return None


def json_safe(value: Any) -> Any:
    """For `properties: JSON`: datetimes as ISO strings, everything else as JSON already knows it."""
    value = native(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    return value
