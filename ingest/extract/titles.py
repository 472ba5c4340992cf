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
MAX_PORTFOLIO = 3  # words of a minister's portfolio before the title
# words before "minister" that are no portfolio: a rank, a role in a church, a determiner
NOT_PORTFOLIO = {
    "prime", "first", "chief", "senior", "junior", "cabinet", "government", "former", "deputy", "shadow",
    "acting", "interim", "new", "then", "youth", "church", "worship", "music", "associate", "assistant",
    "lead", "state", "federal", "provincial", "opposition", "the", "a", "an", "its", "his", "her", "their",
}  # fmt: skip
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
        found = [TitleSpan(s.start, s.end, s.label_, self.titles[s.label_]) for s in _longest(spans)]
        covered = {i for t in found for i in range(t.start, t.end)}
        found += [t for t in portfolio_ministers(doc) if not covered & set(range(t.start, t.end))]
        return sorted(found, key=lambda t: t.start)


def _longest(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longest first; of two as long, the one that starts capitalised ('state
    Attorney General Grewal' is an Attorney General, not a state attorney), then the earlier."""
    kept: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (len(s), s[0].text[:1].isupper(), -s.start), reverse=True):
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


def portfolio_ministers(doc: Doc) -> list[TitleSpan]:
    """Ministers named by their portfolio, which no list can hold: 'Industrial Relations Minister Murray
    Watt', 'Alberta's justice minister', 'the Minister for Rural Affairs', 'Minister of Municipal Affairs'.
    The portfolio is the nouns and adjectives before 'minister' (no place, nationality or rank among them),
    or the capitalised words after 'Minister for' / 'Minister of'."""
    out = []
    for tok in doc:
        if tok.lower_ != "minister":
            continue
        j = tok.i
        while (
            j > 0
            and tok.i - j < MAX_PORTFOLIO
            and doc[j - 1].is_alpha
            and doc[j - 1].pos_ in ("NOUN", "PROPN", "ADJ")
            and doc[j - 1].lower_ not in NOT_PORTFOLIO
            and doc[j - 1].ent_type_ not in ("GPE", "NORP", "PERSON", "LOC")
            and not doc[j - 1].is_sent_start
        ):
            j -= 1
        if j < tok.i:
            words = [t.text if t.text.isupper() else t.text.capitalize() for t in doc[j : tok.i]]
            out.append(_minister(j, tok.i + 1, " ".join(words) + " Minister"))
            continue
        if tok.text != "Minister" or tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ not in ("for", "of"):
            continue
        end = tok.i + 2
        while end < len(doc) and end - tok.i - 2 < MAX_PORTFOLIO + 2:
            t = doc[end]
            if t.is_title and t.is_alpha and t.ent_type_ not in ("GPE", "PERSON"):
                end += 1
            elif t.lower_ in ("and", ",", "&") and end + 1 < len(doc) and doc[end + 1].is_title:
                end += 1
            else:
                break
        while end > tok.i + 2 and not (doc[end - 1].is_alpha and doc[end - 1].lower_ != "and"):
            end -= 1  # "the Minister for Rural Affairs, Lesley Griffiths": the comma is no part of it
        if end > tok.i + 2:
            out.append(_minister(tok.i, end, doc[tok.i : end].text))
    return out


def _minister(start: int, end: int, title: str) -> TitleSpan:
    entry = {"title": title, "scheme": "of_place", "place_level": "state", "requires_country": True}
    return TitleSpan(start, end, "portfolio minister", entry)


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
