"""Front matter: a `---` block of `key: value` lines opening a .txt or .md file, as static-site tools
and note apps write it. It gives an article the metadata a plain file otherwise cannot carry:

    ---
    title: Chicago Mayor Seeks to Clarify Order on ICE Prosecutions
    source: Example News
    url: https://example.org/chicago-order
    published: 2026-01-30
    ---

`title`, `url`, `source` and `published` (also spelled `published_at` or `date`) are read; other keys
(author, tags, ...) are allowed and ignored. A date that is not ISO 8601 is refused, naming the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ingest.errors import InvalidField

ISO_8601_HINT = "an ISO 8601 date such as 2025-01-31 or 2025-01-31T14:30:00Z"
FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
PUBLISHED_KEYS = ("published", "published_at", "date")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_date(value: str, key: str) -> datetime:
    """An ISO 8601 date or date-time ("Z" accepted); refused with the key's name otherwise."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidField(key, value, ISO_8601_HINT) from None


def split_front_matter(text: str) -> tuple[FrontMatter, str]:
    """The front matter (empty when there is none) and the text after it."""
    match = FENCE.match(text)
    if match is None:
        return FrontMatter(), text
    fields: dict[str, str] = {}
    for line in match.group("body").splitlines():
        found = LINE.match(line)
        if found and found.group("value"):
            fields[found.group("key").lower()] = _unquote(found.group("value")).strip()
    if not fields:  # a `---` rule that happens to open the text, not front matter
        return FrontMatter(), text
    published = next(((k, fields[k]) for k in PUBLISHED_KEYS if fields.get(k)), None)
    meta = FrontMatter(
        title=fields.get("title") or None,
        url=fields.get("url") or None,
        source=fields.get("source") or None,
        published_at=parse_date(published[1], published[0]) if published else None,
    )
    return meta, text[match.end() :]
