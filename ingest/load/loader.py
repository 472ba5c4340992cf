"""From files, folders or API text to `Article`s: guards, format readers, normalisation, hashing.

Every path into the graph goes through `build_article`, so a text from the API and the same text
from a file are normalised alike and get the same id. Batch loading never stops at a bad input:
each file or record yields a `LoadResult` carrying either the article or the reason it was refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ingest.errors import EmptyInput, FieldTooLong, IngestError, Unreadable, UnsupportedFormat
from ingest.load.guards import (
    DEFAULT_MAX_BYTES,
    FIELD_LIMITS,
    SAMPLE_SIZE,
    UTF8_BOM,
    check_field,
    check_no_surrogate,
    check_not_blank,
    check_size,
    check_text,
    decode_utf8,
)
from ingest.load.headline import split_headline
from ingest.load.language import check_english
from ingest.load.normalize import normalize_inline, normalize_text, remove_invisible
from ingest.load.readers import Draft, Reader, Rejected, read_markdown, read_plain_text
from ingest.load.records import iter_jsonl_lines, read_json, read_jsonl
from ingest.load.walk import walk_folder
from ingest.load.webpage import read_html
from ingest.models import Article

READERS: dict[str, Reader] = {
    ".txt": read_plain_text,
    ".md": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)

# The article limit applies to article text. A page carries markup around its text and a JSON file
# carries many articles, so their files get this many times the article limit.
FILE_ALLOWANCE: dict[str, tuple[int, str]] = {
    ".html": (10, "HTML page"),
    ".htm": (10, "HTML page"),
    ".json": (100, "JSON file"),
    ".jsonl": (100, "JSON Lines file"),
}
SIZE_SETTING = "KG_MAX_ARTICLE_BYTES"


@dataclass(frozen=True, slots=True)
class LoadResult:
    """One loaded article, or the reason one input was refused. Exactly one of the two is set."""

    origin: str  # the file path, plus "#n" for record n of a JSON or JSON Lines file
    article: Article | None = None
    error: IngestError | None = None

    def __post_init__(self) -> None:
        if (self.article is None) == (self.error is None):
            raise ValueError("a LoadResult holds either an article or an error")

    @property
    def ok(self) -> bool:
        return self.article is not None


def _drop_repeated_title(text: str, title: str) -> str:
    """HTML extraction often repeats the <h1> as the body's first line."""
    first, sep, rest = text.partition("\n")
    if sep and first.strip().casefold() == title.casefold():
        return rest.lstrip("\n")
    return text


def _clean_field(field: str, value: str | None) -> str | None:
    """A url or source: lone surrogates refused, invisible and control characters and line breaks
    dropped, then held to its limit (`FIELD_LIMITS`)."""
    if not value:
        return None
    check_no_surrogate(value, field)
    cleaned = remove_invisible(value).strip()
    if any(c.isspace() and c != " " for c in cleaned):
        cleaned = " ".join(cleaned.split())
    check_field(field, cleaned)
    return cleaned or None


def _clean_title(value: str | None) -> str | None:
    if not value:
        return None
    check_no_surrogate(value, "title")
    # Refuse an absurd title before normalising it: the limit is on the cleaned title, which is shorter.
    if len(value) > 4 * FIELD_LIMITS["title"]:
        raise FieldTooLong("title", len(value), FIELD_LIMITS["title"])
    title = normalize_inline(value) or None
    if title is not None:
        check_field("title", title)
    return title


def build_article(draft: Draft, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Guards, normalisation, title and hash for one draft; raises an `IngestError` subclass."""
    check_text(draft.text)
    check_size(len(draft.text.encode("utf-8")), max_bytes, setting=SIZE_SETTING)
    check_not_blank(draft.text)
    title = _clean_title(draft.title)
    url, source = _clean_field("url", draft.url), _clean_field("source", draft.source)
    text = normalize_text(draft.text)
    if title is None and draft.find_title:
        title, text = split_headline(text)
    elif title is not None:
        text = _drop_repeated_title(text, title)
    if not text:
        raise EmptyInput("has no text left once page furniture is removed")
    check_english(text)
    return Article(
        id=Article.content_hash(text, title),
        text=text,
        title=title,
        url=url,
        source=source,
        published_at=draft.published_at,
        name=draft.name,
    )


def _read(path: Path, max_bytes: int) -> list[Draft | Rejected]:
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise UnsupportedFormat(suffix, SUPPORTED_SUFFIXES)
    factor, what = FILE_ALLOWANCE.get(suffix, (1, "article"))
    limit = max_bytes * factor
    setting = f"{factor} × {SIZE_SETTING}" if factor > 1 else SIZE_SETTING
    try:
        if path.is_dir():
            raise Unreadable(str(path), "it is a folder; pass folders to iter_inputs")
        # Refuse before reading: a 2 GB file must not be pulled into memory to learn it is too big.
        check_size(path.stat().st_size, limit, what=what, setting=setting)
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(str(path), exc.strerror or str(exc)) from exc
    check_size(len(data), limit, what=what, setting=setting)
    text = decode_utf8(data)
    check_not_blank(text, what="file")
    return reader(text, path)


def _finish(parsed: Draft | Rejected, max_bytes: int) -> LoadResult:
    if isinstance(parsed, Rejected):
        return LoadResult(parsed.origin, error=parsed.error)
    try:
        return LoadResult(parsed.origin, article=build_article(parsed, max_bytes=max_bytes))
    except IngestError as exc:
        return LoadResult(parsed.origin, error=exc)


def load_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[LoadResult]:
    """Every article in one file: one for .txt/.md/.html, one per record for .json/.jsonl.

    Never raises `IngestError`: a refused file is a single result with the error.
    """
    return list(iter_path(path, max_bytes=max_bytes))


def _stream_jsonl(path: Path, max_bytes: int) -> Iterator[Draft | Rejected]:
    """A .jsonl file line by line, so a feed of many articles is never held whole in memory."""
    factor, what = FILE_ALLOWANCE[".jsonl"]
    try:
        if path.is_dir():
            raise Unreadable(str(path), "it is a folder; pass folders to iter_inputs")
        check_size(path.stat().st_size, max_bytes * factor, what=what, setting=f"{factor} × {SIZE_SETTING}")
        handle = path.open("rb")
    except OSError as exc:
        raise Unreadable(str(path), exc.strerror or str(exc)) from exc
    with handle:
        head = handle.read(SAMPLE_SIZE)
        check_not_blank(head.decode("utf-8", "replace"), what="file")
        decode_utf8(head[: len(head) - _partial_tail(head)])  # binary, UTF-16 and BOM checks on a sample
        handle.seek(len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0)
        yield from iter_jsonl_lines(handle, path)


def _partial_tail(data: bytes) -> int:
    """Bytes at the end of a sample that may be a UTF-8 sequence cut in two."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte or ASCII: cut before it if it starts a longer sequence
            return back if byte >= 0xC0 else 0
    return 0


def iter_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[LoadResult]:
    """`load_path` lazily: a JSON Lines file is read a line at a time, each article built when asked."""
    path = Path(path)
    try:
        parsed: Iterable[Draft | Rejected] = (
            _stream_jsonl(path, max_bytes) if path.suffix.lower() == ".jsonl" else _read(path, max_bytes)
        )
        for item in parsed:
            yield _finish(item, max_bytes)
    except IngestError as exc:
        yield LoadResult(str(path), error=exc)


def iter_inputs(paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[LoadResult]:
    """Files and folders in any mix; folders are walked recursively in sorted order.

    A file reached twice (named and inside a named folder, or through a symlink) loads once.
    """
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        found = walk_folder(given, SUPPORTED_SUFFIXES) if given.is_dir() else [given]
        for item in found:
            if isinstance(item, Unreadable):
                yield LoadResult(item.path, error=item)
                continue
            key = item.resolve()
            if key in seen:
                continue
            seen.add(key)
            yield from iter_path(item, max_bytes=max_bytes)


def load_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    published_at: datetime | None = None,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """An article that arrives as text (the API); raises an `IngestError` subclass when refused."""
    draft = Draft(
        origin=name or "<text>",
        text=text,
        title=title,
        url=url,
        source=source,
        published_at=published_at,
        name=name,
    )
    return build_article(draft, max_bytes=max_bytes)
