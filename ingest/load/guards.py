"""Checks every input passes before it is parsed: size, binary content, UTF-8, emptiness.

They run on the raw bytes first, so a 2 GB log file or a JPEG is refused before anything reads it
into a parser, and each failure says what was wrong in words a user can act on.
"""

from __future__ import annotations

import re

from ingest.errors import BinaryInput, EmptyInput, FieldTooLong, LoneSurrogate, NotUtf8, TooLarge

DEFAULT_MAX_BYTES = 1_000_000
# Characters in an article's one-line fields, after cleaning (docs/limits.md). A headline rarely passes
# 200 characters and a URL 2,000 (browsers' practical limit); an outlet's name is short.
FIELD_LIMITS: dict[str, int] = {"title": 1_000, "url": 2_048, "source": 200}
_SURROGATE = re.compile("[\ud800-\udfff]")
# Text has next to no control characters; a sample with more than this share of them is not text.
MAX_CONTROL_SHARE = 0.05
SAMPLE_SIZE = 8192

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# C0 controls and DEL, except tab, line feed, vertical tab, form feed and carriage return.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def check_size(
    size: int, limit: int, *, what: str = "article", setting: str = "KG_MAX_ARTICLE_BYTES"
) -> None:
    if size > limit:
        raise TooLarge(size, limit, what=what, setting=setting)


def _check_control_share(controls: int, sample_len: int, unit: str) -> None:
    if sample_len and controls / sample_len > MAX_CONTROL_SHARE:
        raise BinaryInput(
            f"{controls / sample_len:.0%} of the first {sample_len:,} {unit} are control characters; "
            f"text has at most {MAX_CONTROL_SHARE:.0%}"
        )


def check_not_binary(data: bytes) -> None:
    """NUL bytes, or a high share of control bytes, mean an image, an archive or a PDF."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BinaryInput(f"it contains NUL bytes (the first at byte offset {nul:,})")
    sample = data[:SAMPLE_SIZE]
    _check_control_share(len(sample) - len(sample.translate(None, _CONTROL_BYTES)), len(sample), "bytes")


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8, with a leading byte-order mark allowed and dropped.

    Binary content is checked first so a PNG is called binary, not "bad UTF-8 at offset 0". UTF-16
    (a byte-order mark, then NUL bytes) is named as such: it is text, just in the wrong encoding.
    """
    if data.startswith(_UTF16_BOMS) and b"\x00" in data[:SAMPLE_SIZE]:
        raise NotUtf8(0, "it looks like UTF-16")
    check_not_binary(data)
    skip = len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        raise NotUtf8(offset, f"byte 0x{data[offset]:02x}: {exc.reason}") from None


def check_no_surrogate(text: str, field: str) -> None:
    """A `str` that came through JSON may hold lone surrogates, which nothing downstream can encode."""
    found = _SURROGATE.search(text)
    if found is not None:
        raise LoneSurrogate(field, found.start())


def check_field(field: str, value: str) -> None:
    """A one-line field once cleaned: valid Unicode, and within its limit in `FIELD_LIMITS`."""
    check_no_surrogate(value, field)
    if len(value) > FIELD_LIMITS[field]:
        raise FieldTooLong(field, len(value), FIELD_LIMITS[field])


def check_text(text: str) -> None:
    """The same guards for text that arrives as a `str` (over the API) rather than as bytes."""
    check_no_surrogate(text, "text")
    nul = text.find("\x00")
    if nul >= 0:
        raise BinaryInput(f"it contains NUL characters (the first at character offset {nul:,})")
    sample = text[:SAMPLE_SIZE]
    _check_control_share(len(_CONTROL_CHARS.findall(sample)), len(sample), "characters")


def check_not_blank(text: str, *, what: str = "article") -> None:
    if not text:
        raise EmptyInput("is empty", what=what)
    if text.isspace():
        raise EmptyInput("contains only whitespace", what=what)
