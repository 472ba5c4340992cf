"""Errors raised by `ingest`: one root, `IngestError`, and one subclass per way an input can be wrong.

A batch load reports every bad file and carries on, and the API turns these into user-facing errors,
so each subclass builds its own message (naming the field, the offset or the limit that was broken)
and carries a short, stable `code` that clients can branch on without parsing English.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "es": "Spanish",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


def _record(record_no: int | None) -> str:
    return f"record #{record_no}: " if record_no is not None else ""


class IngestError(Exception):
    """Root of every error `ingest` raises on purpose; catch this to report bad input and go on."""

    code: ClassVar[str] = "ingest_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyInput(IngestError):
    """Nothing to extract from: an empty file, only whitespace, or only page furniture."""

    code = "empty"

    def __init__(self, reason: str = "is empty", *, what: str = "article") -> None:
        self.reason = reason
        super().__init__(f"{what} {reason}")


class BinaryInput(IngestError):
    """The bytes are not text at all (an image, a PDF, a zip): better said plainly than as bad UTF-8."""

    code = "binary"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"input looks like binary data, not text: {reason}")


class NotUtf8(IngestError):
    """Text that does not decode as UTF-8; guessing another encoding would silently corrupt names."""

    code = "not_utf8"

    def __init__(self, offset: int, detail: str = "", *, unit: str = "byte") -> None:
        self.offset = offset
        self.unit = unit
        message = f"input is not valid UTF-8 at {unit} offset {offset:,}"
        if detail:
            message += f" ({detail})"
        if unit == "byte":
            message += "; save the file as UTF-8 and try again"
        super().__init__(message)


class TooLarge(IngestError):
    """Over the configured size limit; the limit keeps one article from starving an ingest worker."""

    code = "too_large"

    def __init__(
        self, size: int, limit: int, *, what: str = "article", setting: str = "KG_MAX_ARTICLE_BYTES"
    ) -> None:
        self.size = size
        self.limit = limit
        self.setting = setting
        super().__init__(f"{what} is {size:,} bytes; the limit is {limit:,} ({setting})")


class LoneSurrogate(IngestError):
    """A UTF-16 surrogate on its own (JSON's "\\ud800" escape, say): no character at all, and nothing
    can store or encode it, so it is refused rather than guessed at."""

    code = "lone_surrogate"

    def __init__(self, field: str, offset: int) -> None:
        self.field = field
        self.offset = offset
        super().__init__(
            f"{field} holds a lone surrogate (a half of a UTF-16 pair, not a character) at character "
            f"offset {offset:,}; send the text as valid Unicode"
        )


class FieldTooLong(IngestError):
    """A title, url or source over its documented limit (docs/limits.md), after cleaning."""

    code = "too_long"

    def __init__(self, field: str, length: int, limit: int) -> None:
        self.field = field
        self.length = length
        self.limit = limit
        super().__init__(f"{field} is {length:,} characters; the limit is {limit:,} characters")


class NotEnglish(IngestError):
    """The extractor's rules and model are English-only; other languages would yield a garbage graph."""

    code = "not_english"

    def __init__(self, lang: str, confidence: float) -> None:
        self.lang = lang
        self.confidence = confidence
        name = _LANGUAGE_NAMES.get(lang, f"language '{lang}'")
        super().__init__(
            f"article looks like {name} ({lang}, confidence {confidence:.2f}); only English is supported"
        )


class NoArticleContent(IngestError):
    """An HTML page without an article in it (a section front, a login wall, a bare navigation page)."""

    code = "no_article"

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        message = "the HTML page has no article text to extract"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class MissingField(IngestError):
    """A JSON record without the field an article cannot do without (its `text`)."""

    code = "missing_field"

    def __init__(self, field: str, record_no: int | None = None, *, empty: bool = False) -> None:
        self.field = field
        self.record_no = record_no
        what = f"an empty '{field}' field" if empty else f"no '{field}' field"
        super().__init__(f"{_record(record_no)}the record has {what}; every record needs a non-empty text")


class InvalidField(IngestError):
    """A JSON field with the wrong type or an unreadable value, e.g. a date that is not ISO 8601."""

    code = "invalid_field"

    def __init__(self, field: str, value: object, expected: str, record_no: int | None = None) -> None:
        self.field = field
        self.value = value
        self.record_no = record_no
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{_record(record_no)}'{field}' is {shown}; expected {expected}")


class InvalidRecord(IngestError):
    """A JSON record that is not an object, or a JSON Lines line that is not JSON."""

    code = "invalid_record"

    def __init__(self, record_no: int | None, reason: str) -> None:
        self.record_no = record_no
        self.reason = reason
        super().__init__(f"{_record(record_no)}{reason}")


class InvalidJson(IngestError):
    """A .json file that does not parse; no record in it can be trusted."""

    code = "invalid_json"

    def __init__(self, reason: str, line: int, column: int) -> None:
        self.line = line
        self.column = column
        super().__init__(f"file is not valid JSON: {reason} at line {line}, column {column}")


class UnsupportedFormat(IngestError):
    """A file type the loader has no reader for; named so the user knows what to convert to."""

    code = "unsupported"

    def __init__(self, suffix: str, supported: Iterable[str]) -> None:
        self.suffix = suffix
        self.supported = tuple(supported)
        shown = f"'{suffix}' files are" if suffix else "files without an extension are"
        super().__init__(f"{shown} not supported; use one of {', '.join(self.supported)}")


class Unreadable(IngestError):
    """The operating system refused the file (missing, a permission problem, a folder in disguise)."""

    code = "unreadable"

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot read {path}: {reason}")


class ExtractorUnavailable(IngestError):
    """The extractor cannot be loaded (a missing spaCy model, a broken lexicon): nothing can be extracted."""

    code = "extractor_unavailable"

    def __init__(self, model: str, reason: str) -> None:
        self.model = model
        self.reason = reason
        super().__init__(f"cannot load the extractor (spaCy model '{model}', KG_SPACY_MODEL): {reason}")
