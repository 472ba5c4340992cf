"""The contract between `ingest` and `graph`: an article and the `GraphDelta` extracted from it.

These models are the only thing that crosses from extraction to the writer, so they forbid unknown
fields: a typo in a producer fails loudly instead of silently dropping data.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

EntityType = Literal["Person", "Office", "Organization", "Bill", "Event", "Place"]
RelationType = Literal[
    "CRITICIZED",
    "ENDORSED",
    "RESPONDED_TO",
    "SPONSORED",
    "HOLDS_OFFICE",
    "FUNDED",
    "INVOLVED_IN",
]

# The allow-lists that labels and relationship types are checked against, read off the types above.
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)
RELATION_TYPES: tuple[str, ...] = get_args(RelationType)
STANCE_TYPES: tuple[str, ...] = ("CRITICIZED", "ENDORSED", "RESPONDED_TO")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated: the readable half of an entity id."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9]+", "-", text.lower()).strip("-")
    return text or "x"


def entity_id(type_: str, name: str) -> str:
    """Stable, readable id: `person:larry-krasner`."""
    return f"{type_.lower()}:{slugify(name)}"


class Entity(_Strict):
    id: str
    type: EntityType
    name: str
    aliases: list[str] = Field(default_factory=list)
    # Type-specific properties: Office {title, jurisdiction}, Organization/Bill/Event {kind},
    # Bill {jurisdiction, status}, Event {date}. Scalars only, so they can be SET on the node.
    properties: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    mentions: int = 1


class Relation(_Strict):
    type: RelationType
    source: str
    target: str
    evidence: str
    quote: str | None = None
    char_start: int = 0
    char_end: int = 0
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    # Which extraction rule produced it ("stance.verb", "statement.quote_content"): provenance for
    # analysts and the per-rule precision report; the extractor's version says what the rule meant.
    rule: str | None = None
    # HOLDS_OFFICE carries status (current / former / acting); others may carry nothing.
    properties: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class GraphDelta(_Strict):
    """What one article says: its entities and the assertions between them."""

    id: str
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    extractor: str = ""

    def to_contract(self) -> dict[str, Any]:
        """The JSON shape of `kg extract --json` (DESIGN.md, scored by shared/eval/score.py)."""
        return {
            "id": self.id,
            "entities": [
                {"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases, **e.properties}
                for e in self.entities
            ],
            "relations": [
                {
                    "type": r.type,
                    "source": r.source,
                    "target": r.target,
                    "evidence": r.evidence,
                    "quote": r.quote,
                    "confidence": r.confidence,
                    "char_start": r.char_start,
                    "char_end": r.char_end,
                    "rule": r.rule,
                    **r.properties,
                }
                for r in self.relations
            ],
        }


TITLE_FROM_TEXT_CHARS = 90


class Article(_Strict):
    """A cleaned article, ready for extraction. `id` is the content hash."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    name: str | None = None  # file stem or record key, used as the extraction id for `kg extract`

    @property
    def display_title(self) -> str:
        """The headline, or for an article without one its opening words, so readers can tell it apart."""
        if self.title:
            return self.title
        first = re.split(r"(?<=[.!?])\s+|\n", self.text.strip(), maxsplit=1)[0]
        if len(first) <= TITLE_FROM_TEXT_CHARS:
            return first
        return first[:TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"

    @staticmethod
    def content_hash(text: str, title: str | None = None) -> str:
        h = hashlib.sha256()
        h.update((title or "").encode("utf-8"))
        h.update(b"\x00")
        h.update(text.encode("utf-8"))
        return h.hexdigest()[:32]
