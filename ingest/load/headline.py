"""Telling a headline line from a body line.

Plain-text articles often carry their headline as the first line, with no markup to say so. Taking it
as the title keeps it out of the body (where it would repeat every name once more and skew mention
counts), and the line mender must never glue a headline or subheading onto the paragraph below it.
"""

from __future__ import annotations

import re

from ingest.load.abbreviations import ABBREVIATIONS

MAX_HEADLINE_CHARS = 160
MAX_HEADLINE_WORDS = 25

# Words that stay lower-case in Title Case ("Order on ICE Prosecutions").
SMALL_WORDS = frozenset(
    "a an and as at but by en for from if in into nor of on or over per the to via vs with".split()
)

_OPENERS = "'\"([‘“«"
_CLOSERS = "'\")]’”»"
# A full stop, then a new sentence: the line holds at least two sentences, so it is body text
# (unless the stop belongs to an abbreviation or an initial: "Homan Makes Plea on Dr. Phil").
_INNER_SENTENCE_END = re.compile(r"(\w+)[.!?]['\"’”]?\s+['\"‘“]?[A-Z]")
# "U.S." or "D.C." at the end of a headline is an abbreviation, not a full stop.
_TRAILING_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")


def _strip_closers(line: str) -> str:
    return line.rstrip(_CLOSERS + " ")


def looks_like_headline(line: str) -> bool:
    """Short, one sentence at most, capitalised, and not ended like a sentence.

    The missing full stop is the strongest signal: body paragraphs end with punctuation, headlines
    do not ("Soros-backed Philadelphia DA vows to 'hunt' down ICE agents"). A question mark or an
    exclamation mark is allowed; headlines use both.
    """
    line = line.strip()
    if not line or len(line) > MAX_HEADLINE_CHARS:
        return False
    words = line.split()
    if not 2 <= len(words) <= MAX_HEADLINE_WORDS:
        return False
    first = line.lstrip(_OPENERS + " ")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    tail = _strip_closers(line)
    if tail.endswith((",", ";", ":", "-", "—")):
        return False
    if tail.endswith(".") and not _TRAILING_INITIALISM.search(tail):
        return False
    return not any(
        len(m.group(1)) > 1 and m.group(1) not in ABBREVIATIONS for m in _INNER_SENTENCE_END.finditer(line)
    )


def is_title_case(line: str) -> bool:
    """Most significant words capitalised: a headline or subheading, never a wrapped sentence."""
    words = [w.strip(_OPENERS + _CLOSERS + ".,:;!?") for w in line.split()]
    significant = [w for w in words if w and w.lower() not in SMALL_WORDS]
    if len(significant) < 2:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper() or w[0].isdigit())
    return capitalised / len(significant) >= 0.8


def split_headline(text: str) -> tuple[str | None, str]:
    """Take the first line as the title when it reads like one and a body follows it.

    A one-line text is all body: an article cannot be only a title.
    """
    first, sep, rest = text.partition("\n")
    if not sep or not rest.strip() or not looks_like_headline(first):
        return None, text
    return first.strip(), rest.lstrip("\n")
