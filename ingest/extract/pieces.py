"""Long texts in pieces: spaCy's memory grows with the length of one Doc, not with the text.

A news article is a few thousand characters; an input of several hundred thousand (a long report, or an
attack on the service) parsed as one Doc takes gigabytes (a 400 KB text: 70,000 tokens, 1.3 GB in
`nlp()` alone; the same text in 20,000-character pieces: 268 MB). Texts above LONG_TEXT_CHARS are cut
at paragraph breaks into pieces of at most PIECE_CHARS, each piece is extracted alone, and the pieces'
deltas are merged into one: entities by id, relations with their offsets moved to the whole text.

What a piece cannot see is lost: a pronoun or "the mayor" whose antecedent is in an earlier piece, and
the dateline's place for titles after the first piece. Articles of ordinary length are never cut.
"""

from __future__ import annotations

from collections.abc import Iterable

from ingest.models import Entity, GraphDelta, Relation

PIECE_CHARS = 20_000
LONG_TEXT_CHARS = 2 * PIECE_CHARS
BREAKS = ("\n\n", "\n", ". ", " ")  # where a piece may end, best first


def split_text(text: str, piece_chars: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text` in order, each at most `piece_chars` long, cut at the
    last paragraph break (else line break, sentence end, space) before the limit."""
    if piece_chars < 2:
        raise ValueError(f"piece_chars must be at least 2, got {piece_chars}")
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + piece_chars, len(text))
        if end < len(text):
            window = text[start:end]
            for mark in BREAKS:
                cut = window.rfind(mark)
                if cut > 0:
                    end = start + cut + len(mark)
                    break
        out.append((start, text[start:end]))
        start = end
    return out


def merge_deltas(delta_id: str, extractor: str, parts: Iterable[tuple[int, GraphDelta]]) -> GraphDelta:
    """One delta from the pieces' deltas (offset, delta): an entity seen in several pieces is one entity
    (mentions added, aliases joined, the first piece's properties first); relations keep their order,
    their character offsets moved by their piece's offset."""
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    for offset, part in parts:
        for e in part.entities:
            seen = entities.get(e.id)
            if seen is None:
                entities[e.id] = e.model_copy(deep=True)
                continue
            entities[e.id] = seen.model_copy(
                update={
                    "mentions": seen.mentions + e.mentions,
                    "aliases": sorted({*seen.aliases, *e.aliases} - {seen.name}),
                    "properties": {**e.properties, **seen.properties},
                }
            )
        for r in part.relations:
            relations.append(
                r.model_copy(
                    deep=True, update={"char_start": r.char_start + offset, "char_end": r.char_end + offset}
                )
            )
    return GraphDelta(id=delta_id, entities=list(entities.values()), relations=relations, extractor=extractor)
