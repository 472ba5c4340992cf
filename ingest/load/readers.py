"""Plain-text and Markdown readers, and the `Draft` every reader hands to the loader.

A reader only knows its format: it finds the text and whatever metadata the format carries.
Guards, normalisation and hashing happen once, in the loader, for every format alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.errors import IngestError
from ingest.load.frontmatter import split_front_matter
from ingest.load.markup import strip_markdown


@dataclass(frozen=True, slots=True)
class Draft:
    """One article as a reader found it: raw text, before guards and normalisation."""

    origin: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    name: str | None = None
    # Plain text has no title field: take a headline-like first line as the title.
    find_title: bool = False


@dataclass(frozen=True, slots=True)
class Rejected:
    """One record of a multi-record file that cannot be loaded; its neighbours still can."""

    origin: str
    error: IngestError


Parsed = Draft | Rejected
Reader = Callable[[str, Path], list[Parsed]]


def read_plain_text(text: str, path: Path) -> list[Parsed]:
    """Front matter (`ingest.load.frontmatter`) gives the metadata; else a headline-like first line
    is the title."""
    try:
        meta, body = split_front_matter(text)
    except IngestError as exc:
        return [Rejected(str(path), exc)]
    return [
        Draft(
            origin=str(path),
            text=body,
            title=meta.title,
            url=meta.url,
            source=meta.source,
            published_at=meta.published_at,
            name=path.stem,
            find_title=meta.title is None,
        )
    ]


def read_markdown(text: str, path: Path) -> list[Parsed]:
    """Front matter gives the metadata; a leading heading is the title (unless the front matter
    names one); otherwise the first line may be one, as in plain text."""
    try:
        meta, text = split_front_matter(text)
    except IngestError as exc:
        return [Rejected(str(path), exc)]
    heading, body = strip_markdown(text)
    title = meta.title or heading
    return [
        Draft(
            origin=str(path),
            text=body,
            title=title,
            url=meta.url,
            source=meta.source,
            published_at=meta.published_at,
            name=path.stem,
            find_title=title is None,
        )
    ]
