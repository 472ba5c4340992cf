"""The versioned lexicons the rules read (`lexicons/*.json`).

Rules never carry word lists of their own: a lexicon change is a data change with a version bump,
and the combined version is part of `GraphDelta.extractor`, so a graph records which words made it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_DIR = Path(__file__).parent / "lexicons"
LEXICON_NAMES = ("stance", "offices", "organizations", "events", "bills", "places", "people", "funding")


class LexiconError(ValueError):
    """A lexicon file is missing, malformed or has no version."""


@dataclass(frozen=True)
class Lexicons:
    """All lexicons, as loaded; `version` is the versions joined in a fixed order."""

    stance: dict[str, Any]
    offices: dict[str, Any]
    organizations: dict[str, Any]
    events: dict[str, Any]
    bills: dict[str, Any]
    places: dict[str, Any]
    people: dict[str, Any]
    funding: dict[str, Any]
    directory: str = field(default=str(LEXICON_DIR))

    @property
    def version(self) -> str:
        return "+".join(f"{n}-{getattr(self, n)['version']}" for n in LEXICON_NAMES)


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LexiconError(f"lexicon {name!r} not found at {path}") from exc
    except json.JSONDecodeError as exc:
        raise LexiconError(f"lexicon {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("version"), str):
        raise LexiconError(f"lexicon {path} needs a string 'version' field")
    return data


@lru_cache(maxsize=8)
def load_lexicons(directory: str | None = None) -> Lexicons:
    """Load (once per directory) every lexicon; `directory=None` means the packaged ones."""
    base = Path(directory) if directory else LEXICON_DIR
    return Lexicons(**{n: _read(base, n) for n in LEXICON_NAMES}, directory=str(base))
