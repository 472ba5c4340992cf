"""Text normalisation, run once in the loader: the result is what extraction reads and what every
`char_start`/`char_end` in the graph points into.

Extraction rules match plain ASCII quotes, so curly quotes, primes and guillemets are unified here
and nowhere else. Apostrophes become `'` too; quote attribution still works because an apostrophe
sits inside a word ("Krasner's") while a quote mark sits at a word boundary. Lines that a copy-paste
or a feed broke mid-sentence ("on Dr.\\nPhil.") are mended, because a sentence splitter would
otherwise cut a name in two.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.load.abbreviations import AMBIGUOUS_ABBREVIATIONS, TITLE_ABBREVIATIONS
from ingest.load.furniture import drop_furniture
from ingest.load.headline import MAX_HEADLINE_CHARS, is_title_case

# --- characters -----------------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\x0b\x0c\x85]")
_PARAGRAPH_SEPARATOR = "\u2029"
# Tabs and the Unicode spaces (no-break, thin, ideographic ...) all become a plain space.
_SPACES = dict.fromkeys(
    map(ord, "\t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))),
    " ",
)
# Invisible characters carry nothing for English news and hide inside names ("Larry\u200dKrasner" would
# be a person of its own): every format character (Unicode category Cf: soft hyphen, zero-width space,
# joiners and non-joiners, word joiner, invisible operators, bidi marks, BOM, interlinear annotation,
# tag characters), the other characters that render as nothing (combining grapheme joiner, Hangul
# fillers), and stray C0/C1 control characters. tests/unit/ingest/load checks the list against every
# Cf character Python's Unicode database knows.
_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"  # C0 and C1 controls (tab and line breaks are handled apart)
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
    "]"
)

_SINGLE_QUOTES = dict.fromkeys(map(ord, "‘’‚‛′‵＇ʼ`´"), "'")
_DOUBLE_QUOTES = dict.fromkeys(map(ord, "“”„‟″‶〝〞＂"), '"')
_QUOTE_TABLE = {**_SINGLE_QUOTES, **_DOUBLE_QUOTES}
# Guillemets used as quotation marks, with the French inner spacing dropped: « Non » → "Non".
_GUILLEMET_OPEN = re.compile(r"([«‹])\s*")
_GUILLEMET_CLOSE = re.compile(r"\s*([»›])")
# ``LaTeX-style'' quotes typed with two backticks and two apostrophes.
_DOUBLED_ASCII_QUOTES = re.compile(r"``|''")

_DASH_TABLE = {
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212\ufe63\uff0d"), "-"),
    **dict.fromkeys(map(ord, "\u2015\u2e3a\u2e3b\ufe58"), "\u2014"),
}
_DOUBLE_HYPHEN = re.compile(r"(?<![-\u2014])--(?![-\u2014])")
_SPACED_EN_DASH = re.compile(r"(?<= )\u2013(?= )")

# Compatibility decompositions that only change the look of a character (ligatures, full-width and
# no-break forms, "…"). Superscripts, fractions and circled forms change meaning ("m²", "½") and stay.
_SAFE_COMPAT_TAGS = ("<compat>", "<noBreak>", "<wide>", "<narrow>", "<font>", "<small>")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def unify_line_breaks(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    return text.replace(_PARAGRAPH_SEPARATOR, "\n\n")


def remove_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text)


def unify_spaces(text: str) -> str:
    return text.translate(_SPACES)


def unify_quotes(text: str) -> str:
    """Every quote-like character becomes ASCII `'` or `"`; apostrophes become `'`."""
    text = _DOUBLED_ASCII_QUOTES.sub('"', text)
    text = _GUILLEMET_OPEN.sub(lambda m: '"' if m.group(1) == "«" else "'", text)
    text = _GUILLEMET_CLOSE.sub(lambda m: '"' if m.group(1) == "»" else "'", text)
    return text.translate(_QUOTE_TABLE)


def unify_dashes(text: str) -> str:
    """Hyphen look-alikes become `-`; dash look-alikes, `--` and a spaced en dash become an em dash.

    Spacing around dashes is left as written, so no two words are ever glued together.
    """
    text = text.translate(_DASH_TABLE)
    text = _DOUBLE_HYPHEN.sub("\u2014", text)
    text = _SPACED_EN_DASH.sub("\u2014", text)
    return text.replace("\u2013", "-")


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if not unicodedata.decomposition(char).startswith(_SAFE_COMPAT_TAGS):
        return char
    folded = unicodedata.normalize("NFKC", char)
    # "¨" and "˜" fold to a space plus a combining mark: worse than the original.
    if any(unicodedata.combining(c) for c in folded) or folded.isspace():
        return char
    return folded


def fold_compatibility(text: str) -> str:
    """NFC, then NFKC only for characters where it is safe (see `_SAFE_COMPAT_TAGS`)."""
    text = unicodedata.normalize("NFC", text)
    return _NON_ASCII.sub(lambda m: _fold_char(m.group()), text)


def _prepare(text: str) -> str:
    return unify_spaces(remove_invisible(unify_line_breaks(text)))


def _unify_marks(text: str) -> str:
    # Quotes go before the NFKC fold, which would turn "″" into "′′" instead of one '"'.
    return fold_compatibility(unify_dashes(unify_quotes(text)))


def normalize_chars(text: str) -> str:
    """All character-level rules: line breaks, invisible characters, spaces, quotes, dashes, NFKC."""
    return _unify_marks(_prepare(text))


# --- lines ----------------------------------------------------------------------------------------

_RUNS_OF_SPACES = re.compile(r" {2,}")

_LAST_WORD = re.compile(r"(?:^|[\s(\"'])([A-Za-z][A-Za-z']*)\.$")
_DOTTED_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # U.S., D.C., a.m.
_MIDDLE_INITIAL = re.compile(r"(?:^|\s)[A-HJ-Z]\.$")  # "John F." (not "I.", the pronoun or numeral)
_SENTENCE_END = re.compile(r"[.!?…:;]['\")\]]*$")
_CONNECTOR_END = re.compile(
    r"(?:,|\b(?:and|or|but|nor|of|the|a|an|to|in|on|at|for|with|by|from|as|that|who|whom|whose|which"
    r"|than|into|onto|about|against|between|per|via|said|says|says?\s+that))$"
)
_HYPHENATED_END = re.compile(r"[A-Za-z]-$")
_OPENING_PUNCT = "'\"([“‘"
_TAIL_CHARS = 40  # enough for the longest ending a rule looks at ("says that", "U.S.")


def collapse_spaces(line: str) -> str:
    return _RUNS_OF_SPACES.sub(" ", line).strip()


def _starts_lower_or_digit(line: str) -> bool:
    first = line.lstrip(_OPENING_PUNCT)[:1]
    return first.islower() or first.isdigit()


def _glue(tail: str, whole: str | None, following: str) -> str | None:
    """How to join `following` to the line before it: " ", "" (a hyphenated word), or None to keep
    the break. `tail` is the end of that line; `whole` is the line itself when short enough to be a
    headline, else None (only the end of a long line matters, which keeps mending linear).
    """
    match = _LAST_WORD.search(tail)
    word = match.group(1) if match else ""
    if word in TITLE_ABBREVIATIONS or _MIDDLE_INITIAL.search(tail):
        return " "
    ambiguous = word in AMBIGUOUS_ABBREVIATIONS or _DOTTED_INITIALISM.search(tail)
    if ambiguous and _starts_lower_or_digit(following):
        return " "
    if _SENTENCE_END.search(tail) or (whole is not None and is_title_case(whole)):
        return None
    if _HYPHENATED_END.search(tail) and following[:1].islower():
        return ""
    if _starts_lower_or_digit(following) or _CONNECTOR_END.search(tail):
        return " "
    return None


def mend_line_breaks(text: str) -> str:
    """Join lines that break a sentence; keep paragraph breaks and lines that are whole sentences.

    "a heartfelt plea on Dr.\\nPhil." becomes one line; "Less blood.\\nI don't want ..." stays two;
    a Title Case subheading is never merged into the paragraph under it.
    """
    out: list[list[str]] = []  # each output line as its parts, glued together once at the end
    lengths: list[int] = []
    tail = ""  # the last _TAIL_CHARS characters of the current output line
    for line in text.split("\n"):
        if out and line and lengths[-1]:
            parts = out[-1]
            whole = "".join(parts) if lengths[-1] <= MAX_HEADLINE_CHARS else None
            glue = _glue(tail, whole, line)
            if glue is not None:
                parts.extend((glue, line))
                lengths[-1] += len(glue) + len(line)
                tail = (tail + glue + line[-_TAIL_CHARS:])[-_TAIL_CHARS:]
                continue
        out.append([line])
        lengths.append(len(line))
        tail = line[-_TAIL_CHARS:]
    return "\n".join("".join(parts) for parts in out)


def tidy_blank_lines(lines: list[str]) -> str:
    """At most one blank line between paragraphs, none at either end."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# --- entry points ---------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """The full article pipeline: characters, furniture, mended lines, tidy whitespace.

    Furniture goes before quote unification: a leading "«" marks a link to another story, but
    after unification it would be an ordinary quote mark.
    """
    lines = drop_furniture(collapse_spaces(line) for line in _prepare(text).split("\n"))
    text = "\n".join(collapse_spaces(line) for line in _unify_marks("\n".join(lines)).split("\n"))
    text = mend_line_breaks(text)
    return tidy_blank_lines(text.split("\n"))


def normalize_inline(text: str) -> str:
    """For one-line fields (titles): the character rules, and every line break becomes a space."""
    return collapse_spaces(" ".join(normalize_chars(text).split()))
