"""Where titles ("District Attorney", "Councilwomen", "border czar") occur, and what names follow them.

Shared by person detection (a capitalised name after a title is a person even when NER missed it) and
by office building (the title plus its jurisdiction becomes an Office).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nameparser.config import CONSTANTS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ingest.extract.lexicons import Lexicons

NAME_STOP = {"and", "or", "of", "the", "'s", "who", "said"}
PARTICLES = frozenset(CONSTANTS.prefixes)  # nameparser's surname particles: de, van, von, Ó, ...


@dataclass(frozen=True)
class TitleSpan:
    start: int
    end: int
    key: str  # lexicon key: "district attorney"
    entry: dict[str, Any]


OFFICE_BODIES = {"Department", "Office"}
BODY_HEADS = {"Board", "Council", "Court", "Commission", "College", "Conference", "Association", "House"}


class TitleFinder:
    """Longest title matches; an abbreviation like 'DA' or 'Sen.' must be capitalised to count."""

    def __init__(self, nlp: Language, lexicons: Lexicons) -> None:
        self.titles: dict[str, dict[str, Any]] = lexicons.offices["titles"]
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for key in self.titles:
            # "Rep." is one token but "rep." two: tokenise the capitalised form too
            self.matcher.add(key, [nlp.make_doc(key), nlp.make_doc(key.title())])

    def __call__(self, doc: Doc) -> list[TitleSpan]:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            span = doc[start:end]
            if key in ("da", "d.a.") and not span.text.isupper():
                continue
            word = next((t for t in reversed(span) if t.is_alpha or t.text[:1].isalpha()), span[-1])
            if key.endswith(".") and not word.text[:1].isupper():
                continue  # "Rep.", "state Rep." and "Reps." count, "rep." does not
            if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].text in BODY_HEADS:
                continue  # "the Board of Supervisors", "Board of Trustees": the end of a body's name
            if end + 1 < len(doc) and doc[end].text in ("'s", "’s") and doc[end + 1].text in OFFICE_BODIES:
                continue  # "the Los Angeles County Sheriff's Department" is an organisation
            spans.append(Span(doc, start, end, label=key))
        return [TitleSpan(s.start, s.end, s.label_, self.titles[s.label_]) for s in filter_spans(spans)]


def is_name_token(tok: Token) -> bool:
    text = tok.text
    if tok.lower_ in NAME_STOP or not text[:1].isupper() or tok.is_punct:
        return False
    if tok.pos_ != "PROPN" and tok.ent_type_ != "PERSON":
        return False
    return text.replace(".", "").replace("-", "").replace("'", "").isalpha()


def name_after(doc: Doc, i: int, limit: int = 4) -> tuple[int, int] | None:
    """The capitalised name starting at token i (up to `limit` tokens) within one sentence; a lower-case
    particle between two of its words belongs to it ("Mayor Bill de Blasio")."""
    j = i
    while j < len(doc) and j - i < limit and (j == i or not doc[j].is_sent_start):
        if is_name_token(doc[j]):
            j += 1
        elif j > i and doc[j].lower_ in PARTICLES and j + 1 < len(doc) and is_name_token(doc[j + 1]):
            j += 2
        else:
            break
    return (i, j) if j > i else None


def list_gap(doc: Doc, i: int) -> int:
    """How many tokens separate a name ending at i from the next name of a list ("A, B and C"): 1 for
    "and" or ",", 2 for ", and"; 0 when no list goes on."""
    if i >= len(doc):
        return 0
    if doc[i].text == "(":  # "Anita Bonds (D-At-Large), Elissa Silverman": a party tag inside the list
        # the tokenizer keeps "8)" as one token, as in a numbered list
        close = next((j for j in range(i + 1, min(i + 8, len(doc))) if doc[j].text.endswith(")")), None)
        if close is None:
            return 0
        rest = list_gap(doc, close + 1)
        return close + 1 - i + rest if rest else 0
    if doc[i].lower_ == "and":
        return 1
    if doc[i].text == ",":
        if i + 1 < len(doc) and doc[i + 1].lower_ == "and":
            return 2
        return 1 if i + 1 < len(doc) and is_name_token(doc[i + 1]) else 0
    return 0
