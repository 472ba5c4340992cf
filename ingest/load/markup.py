"""Markdown markup removal for `.md` articles.

Not a Markdown parser: articles saved as Markdown use headings, emphasis, links, quotes and lists,
and only those marks need to go so that "[Krasner](https://...)" reads as "Krasner" to the
extractor. Anything rarer stays as written.
"""

from __future__ import annotations

import re

_FRONT_MATTER_FENCE = re.compile(r"^(?:---|\+\+\+)\s*$")
_MAX_FRONT_MATTER_LINES = 60
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_HORIZONTAL_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_CODE_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_BLOCKQUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")

# Every pattern scans linearly: link texts stop at the next bracket, and emphasis marks are removed
# one by one where they touch a word (how Markdown tells a mark from "2 * 3") instead of being paired,
# so a megabyte of unclosed "**" costs one pass, not a scan to the end of the line for each mark.
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\n]{0,2000}\)")
_INLINE_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\([^()\n]{0,2000}\)")
_REFERENCE_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,100}\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]{1,2000})>")
_DOUBLE_MARK = re.compile(r"(?:\*\*|__|~~)(?=[^\s*_~])|(?<=[^\s*_~])(?:\*\*|__|~~)")
_SINGLE_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")
_SINGLE_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])|(?<=[^\s_])_(?![\w_])")
_INLINE_CODE = re.compile(r"`([^`\n]{1,500})`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def strip_inline(line: str) -> str:
    """Links to their text, images out, emphasis and code marks off, backslash escapes undone."""
    line = _IMAGE.sub("", line)
    line = _INLINE_LINK.sub(r"\1", line)
    line = _REFERENCE_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _INLINE_CODE.sub(r"\1", line)
    line = _DOUBLE_MARK.sub("", line)
    line = _SINGLE_STAR.sub("", line)
    line = _SINGLE_UNDERSCORE.sub("", line)
    return _ESCAPE.sub(r"\1", line)


def _skip_front_matter(lines: list[str]) -> list[str]:
    """A YAML/TOML header block (`---` ... `---`) is metadata, not article text."""
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0]):
        return lines
    for i in range(1, min(len(lines), _MAX_FRONT_MATTER_LINES)):
        if _FRONT_MATTER_FENCE.match(lines[i]):
            return lines[i + 1 :]
    return lines


def strip_markdown(text: str) -> tuple[str | None, str]:
    """(title, plain text): the title is the first non-blank line when it is a heading.

    Headings stay as lines of their own with a blank line after them, so the line mender never
    joins a subheading to the paragraph below it.
    """
    lines = _skip_front_matter(text.split("\n"))
    out: list[str] = []
    title: str | None = None
    seen_text = False
    in_code = False
    for i, raw in enumerate(lines):
        if _CODE_FENCE.match(raw):
            in_code = not in_code
            continue
        if in_code:
            out.append(raw)
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        heading = _ATX_HEADING.match(raw)
        setext = bool(raw.strip()) and bool(_SETEXT_UNDERLINE.match(following)) and not _BULLET.match(raw)
        if heading or setext:
            line = strip_inline((heading.group(1) or "") if heading else raw.strip())
            if not seen_text and title is None and line:
                title = line
            elif line:
                out.extend([line, ""])
            seen_text = seen_text or bool(line)
            continue
        if _SETEXT_UNDERLINE.match(raw) or _HORIZONTAL_RULE.match(raw) or _LINK_DEFINITION.match(raw):
            out.append("")
            continue
        line = _BULLET.sub("", _BLOCKQUOTE.sub("", raw))
        line = strip_inline(line)
        seen_text = seen_text or bool(line.strip())
        out.append(line)
    return title, "\n".join(out)
