"""Page furniture: lines a news page carries that are not the article.

Photo captions, links to other stories and share/subscribe boilerplate survive copy-paste and HTML
extraction alike. Left in, they become false facts: "« Trump Calls for Netanyahu Pardon" would put
Netanyahu into a graph about Chicago, and "Philadelphia District Attorney Larry Krasner (File)."
would count as one more mention. Every rule works on whole lines, so nothing inside a real
paragraph is ever cut, and only on lines short enough to be furniture (a caption can be a long
sentence, a "Subscribe" line cannot).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.load.headline import is_title_case, looks_like_headline

# Captions can be a full sentence ("Mayor Johnson speaks at City Hall, Jan. 6. (AP Photo/Erin Hooley)").
MAX_CAPTION_WORDS = 60
# Boilerplate and link lines are short; a long line starting "Subscribe" is prose.
MAX_FURNITURE_WORDS = 25

_AGENCIES = (
    r"getty(?:\s+images)?|shutterstock|istock(?:photo)?|ap(?:\s+photo)?|associated\s+press|reuters|afp"
    r"|epa(?:-efe)?|bloomberg|alamy|sipa|upi|nurphoto|anadolu"
)

# "(File).", "(File photo)", "(AP Photo/Matt Rourke)", "(Photo by Jane Doe/Getty Images)", "(Getty Images)".
_CAPTION_PAREN_END = re.compile(
    r"\(\s*(?:file(?:\s+(?:photo|image|picture|footage))?|photo|image|screenshot|screengrab"
    r"|(?:photo\s+)?courtesy\b[^()]*|(?:photo|image|picture)s?\s*(?:by\b|via\b|credits?\b|:|/)[^()]*"
    r"|ap\s+photo\b[^()]*"
    rf"|[^()]*?(?:/|\bvia\s)\s*(?:{_AGENCIES})\b[^()]*|(?:{_AGENCIES})\s*(?:/[^()]*)?)"
    r"\s*\)\s*\.?$",
    re.IGNORECASE,
)
# "Photo: Jane Doe", "Image credit: Reuters", "Credit: AP", "FILE PHOTO: Mayor Johnson ...".
_CAPTION_START = re.compile(
    r"^\(?\s*(?:(?:file\s+)?(?:photo|image|picture|video|graphic|illustration)s?(?:\s+credits?)?\s*[:|]"
    r"|(?:photo|image|picture)s?\s+(?:by|courtesy|credits?)\b|credits?\s*:)",
    re.IGNORECASE,
)
# "Jane Doe / Getty Images", "Photo: AP", "... via Getty Images": an agency credit ending the line.
_CAPTION_CREDIT_END = re.compile(
    rf"(?:[/|©]\s*[^.!?/|]*?|\b(?:photo|credit)s?\s*:\s*[^.!?]*?)\b(?:{_AGENCIES})\b[^.!?/|]*\.?$"
    r"|\bvia\s+getty\s+images\.?$",
    re.IGNORECASE,
)

# Links to other stories: "« Previous story", "Next story »", "→ Read the report".
_LINK_MARKERS_START = ("»", "›", "→", "⟶", "➔", "➜", "➤", "▶", "►", "▸", "⇒", ">>")
_LINK_MARKERS_END = ("»", "›", "→", ">>")
# "Related: ...", "READ MORE: ...", "See also - ...": a label, then a separator (a spaced dash only,
# so "Next-generation reactors ..." stays).
_LINK_LABEL = re.compile(
    r"^(?:related(?:\s+(?:stories|story|articles?|coverage|content|news|links?|reading|video))?"
    r"|read\s+(?:more|also|next|this)|also\s+read|see\s+also|more(?:\s+(?:from|on|about)\s+[^:|.!?]{1,40}?"
    r"|\s+(?:stories|news|coverage|articles?))?|next(?:\s+(?:article|story|post|page))?"
    r"|previous(?:\s+(?:article|story|post|page))?|prev|up\s+next|watch|listen|recommended(?:\s+for\s+you)?"
    r"|you\s+(?:may|might)\s+(?:also\s+)?like|trending(?:\s+now)?|popular|most\s+(?:read|popular|viewed)"
    r"|don['’]t\s+miss|editor['’]?s\s+picks?|top\s+stories|latest(?:\s+news)?|further\s+reading"
    r"|in\s+other\s+news|also\s+on\s+\S+)"
    r"(?:\s*[:|»›>]|\s+[-–—]\s|\s*$)",
    re.IGNORECASE,
)
# "READ MORE Trump says ..." needs no separator: nobody starts a news sentence like this.
_LINK_PHRASE = re.compile(
    r"^(?:read\s+more|read\s+also|read\s+next|also\s+read|see\s+also|next\s+article|previous\s+article"
    r"|next\s+story|previous\s+story)\b",
    re.IGNORECASE,
)

_BOILERPLATE_LINE = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?:\s+content)?|story\s+continues(?:\s+below)?"
    r"(?:\s+(?:this\s+)?advertisement)?|continue\s+reading(?:\s+below)?|share|share\s+this|tweet|email"
    r"|print|comments?|loading|back\s+to\s+top|skip\s+to(?:\s+main)?\s+content|listen(?:\s+to\s+this"
    r"\s+(?:article|story))?|all\s+rights\s+reserved|view\s+comments|show\s+comments)[\s.:…!]*$",
    re.IGNORECASE,
)
_BOILERPLATE_START = re.compile(
    r"^(?:subscribe\b|sign\s+up\b|click\s+here\b|tap\s+here\b|follow\s+us\b|follow\s+@|share\s+(?:this|on)\b"
    r"|join\s+our\b|download\s+(?:our|the)\s+app\b|get\s+the\s+app\b|support\s+our\s+journalism\b"
    r"|©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\)|\d{4})|all\s+rights\s+reserved\b"
    r"|listen\s+to\s+this\s+(?:article|story)\b|(?:additional\s+)?reporting\s+by\b|(?:writing|editing)\s+by\b"
    r"|this\s+(?:article|story)\s+(?:was\s+)?(?:originally|first)\s+(?:published|appeared)\b"
    r"|we\s+use\s+cookies\b)",
    re.IGNORECASE,
)
# A standalone list header ("Related Stories", "More from Politics"): the headline lines under it go too.
_LINK_HEADER = re.compile(
    r"^(?:related(?:\s+(?:stories|articles|coverage|content|news|links|reading))?"
    r"|read\s+more|read\s+next|also\s+read|see\s+also|more\s+(?:from|on|about)\s+[\w'’&\- ]{1,40}"
    r"|more\s+(?:stories|news)|recommended(?:\s+for\s+you)?|you\s+(?:may|might)\s+(?:also\s+)?like"
    r"|trending(?:\s+now)?|most\s+(?:read|popular|viewed)|top\s+stories|latest(?:\s+news)?"
    r"|further\s+reading|editor['’]?s\s+picks?)[\s:]*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…]['\"’”)\]]*$")


def _words(line: str) -> int:
    return len(line.split())


def is_caption(line: str) -> bool:
    """A photo caption or credit line."""
    if _words(line) > MAX_CAPTION_WORDS:
        return False
    return bool(
        _CAPTION_PAREN_END.search(line) or _CAPTION_START.search(line) or _CAPTION_CREDIT_END.search(line)
    )


def is_story_link(line: str) -> bool:
    """A link to another story, marked by a guillemet or arrow, or labelled "Related:", "Read more"."""
    if _words(line) > MAX_FURNITURE_WORDS:
        return False
    if line.startswith("«") or line.startswith("‹"):
        # «Quoted speech» closes its guillemet; a link to a story ("« Previous headline") does not.
        return "»" not in line and "›" not in line
    if line.startswith(_LINK_MARKERS_START):
        return True
    if line.endswith(_LINK_MARKERS_END) and "«" not in line and "‹" not in line:
        return True
    return bool(_LINK_LABEL.match(line) or _LINK_PHRASE.match(line))


def is_boilerplate(line: str) -> bool:
    """Share, subscribe, advertisement and credit lines that every page of a site repeats."""
    if _words(line) > MAX_FURNITURE_WORDS:
        return False
    return bool(_BOILERPLATE_LINE.match(line) or _BOILERPLATE_START.match(line))


def is_furniture(line: str) -> bool:
    return is_caption(line) or is_story_link(line) or is_boilerplate(line)


def drop_furniture(lines: Iterable[str]) -> list[str]:
    """Remove furniture lines, the headline lists under a "Related" header, and trailing link titles.

    Expects stripped lines with whitespace already collapsed; blank lines (paragraph breaks) are kept.
    """
    kept: list[str] = []
    in_link_list = False
    for line in lines:
        if not line:
            in_link_list = False
            kept.append(line)
            continue
        if _LINK_HEADER.match(line):
            in_link_list = True
            continue
        if in_link_list and looks_like_headline(line) and not _SENTENCE_END.search(line):
            continue
        in_link_list = False
        if not is_furniture(line):
            kept.append(line)
    return _drop_trailing_link_titles(kept)


def _drop_trailing_link_titles(lines: list[str]) -> list[str]:
    """Bare Title Case headlines after the last sentence are links to other stories.

    An article ends on a sentence; what follows its last full stop without one of its own
    ("Trump Calls for Netanyahu Pardon, Criticizes Israeli President") is the site's link list.
    """
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    cut = end
    while cut and lines[cut - 1] and looks_like_headline(lines[cut - 1]) and is_title_case(lines[cut - 1]):
        cut -= 1
    body_before = any(_SENTENCE_END.search(line) for line in lines[:cut])
    if cut == end or not body_before:
        return lines[:end]
    return lines[:cut]
