"""Is an article's extraction out of date? Pure decisions over the provenance the graph keeps.

Each `:Article` records the extractor that read it: its full name (`extractor`: rules version, spaCy
model and version, lexicon versions) and its comparable `extractor_version` (`EXTRACTOR_VERSION`). An
improved extractor reaches an existing graph only through these, so the rules are spelled out here once
and used by both `kg ingest` (an unchanged article read by an older extractor is re-extracted) and
`kg reextract` (every such article, in pages):

- an older version, or no version with a different name (written before versions were stored), is stale;
- the same version under a different name (another spaCy model, new lexicons) is stale;
- a newer version is left alone: a newer extractor already ran, and redoing it would be a downgrade;
- the same name is current, with or without a stored version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

_RELEASE = re.compile(r"\s*v?(\d+(?:\.\d+)*)")


class Staleness(StrEnum):
    CURRENT = "current"
    OLDER_VERSION = "older_version"
    OTHER_EXTRACTOR = "other_extractor"  # same version, another model or other lexicons
    UNVERSIONED = "unversioned"  # no comparable version stored, and another name
    NEWER_VERSION = "newer_version"

    @property
    def stale(self) -> bool:
        return self in (Staleness.OLDER_VERSION, Staleness.OTHER_EXTRACTOR, Staleness.UNVERSIONED)


def version_key(version: str | None) -> tuple[int, ...] | None:
    """The numeric release of a version ("0.10.2" -> (0, 10, 2)); None when it has none.

    Trailing zeros do not count ("1.2" == "1.2.0"); a suffix after the release ("0.3.0rc1") is ignored."""
    if not version:
        return None
    match = _RELEASE.match(version)
    if match is None:
        return None
    parts = [int(p) for p in match.group(1).split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def version_order(stored_version: str | None, current_version: str) -> Staleness | None:
    """OLDER_VERSION or NEWER_VERSION when both versions are known and differ; None when only the
    extractors' names can tell (same version, or no stored version). Lets `kg ingest` decide most
    re-ingested articles without loading the extractor to learn its full name."""
    stored, current = version_key(stored_version), version_key(current_version)
    if stored is None or current is None or stored == current:
        return None
    return Staleness.OLDER_VERSION if stored < current else Staleness.NEWER_VERSION


def staleness(
    stored_name: str | None, stored_version: str | None, current_name: str, current_version: str
) -> Staleness:
    """How an article's stored extractor compares with the one this process runs."""
    if stored_name == current_name:
        return Staleness.CURRENT
    order = version_order(stored_version, current_version)
    if order is not None:
        return order
    if version_key(stored_version) is None or version_key(current_version) is None:
        return Staleness.UNVERSIONED
    return Staleness.OTHER_EXTRACTOR


@dataclass(frozen=True, slots=True)
class ExtractorGroup:
    """How many articles one extractor (name, version) wrote, with or without their text stored."""

    extractor: str | None
    version: str | None
    has_text: bool
    articles: int


@dataclass(frozen=True, slots=True)
class ReextractionPlan:
    """What `kg reextract` would do, decided per extractor group before any article is read."""

    current_name: str
    current_version: str
    everything: bool
    redo: tuple[ExtractorGroup, ...] = ()  # stale (or all, with `everything`) and with text: re-extracted
    no_text: tuple[ExtractorGroup, ...] = ()  # would be redone but have no stored text: left as they are
    current: tuple[ExtractorGroup, ...] = ()  # up to date (or newer): left as they are
    reasons: dict[tuple[str | None, str | None], Staleness] = field(default_factory=dict)

    @property
    def to_redo(self) -> int:
        return sum(g.articles for g in self.redo)

    @property
    def without_text(self) -> int:
        return sum(g.articles for g in self.no_text)

    @property
    def up_to_date(self) -> int:
        return sum(g.articles for g in self.current)

    @property
    def keys(self) -> list[tuple[str | None, str | None]]:
        """The (extractor, version) pairs whose articles are to be redone, for the page query."""
        return sorted({(g.extractor, g.version) for g in self.redo}, key=lambda k: (k[0] or "", k[1] or ""))

    @property
    def no_text_keys(self) -> list[tuple[str | None, str | None]]:
        return sorted(
            {(g.extractor, g.version) for g in self.no_text}, key=lambda k: (k[0] or "", k[1] or "")
        )


def plan_reextraction(
    groups: Iterable[ExtractorGroup], current_name: str, current_version: str, *, everything: bool = False
) -> ReextractionPlan:
    """Sort the graph's articles, group by group, into redo / no stored text / leave as they are."""
    redo: list[ExtractorGroup] = []
    no_text: list[ExtractorGroup] = []
    current: list[ExtractorGroup] = []
    reasons: dict[tuple[str | None, str | None], Staleness] = {}
    for group in groups:
        if group.articles <= 0:
            continue
        reason = staleness(group.extractor, group.version, current_name, current_version)
        reasons[(group.extractor, group.version)] = reason
        if not (everything or reason.stale):
            current.append(group)
        elif group.has_text:
            redo.append(group)
        else:
            no_text.append(group)
    return ReextractionPlan(
        current_name=current_name,
        current_version=current_version,
        everything=everything,
        redo=tuple(redo),
        no_text=tuple(no_text),
        current=tuple(current),
        reasons=reasons,
    )
