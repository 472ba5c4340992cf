"""The lossless `GraphDelta` form: what extraction hands to the writer, as JSON Lines.

`kg extract --json` prints the scoring format (DESIGN.md), which leaves out what the writer needs:
mention counts, entity and relation properties, the rule, the extractor and its comparable version, and
the article itself (its cleaned text and metadata are stored on the `Article` node). One line of this form
holds all of it, so `kg ingest --deltas` and the backfill write exactly what `kg ingest` would have written
from the text, without extracting again.

A line is a `DeltaRecord`; the models forbid unknown fields, and reading checks what the models cannot:
the article id is the content hash of its text and title, the delta is that article's, and every relation
joins entities of the same delta. A bad line is a `BadDelta` naming the file, the line and what was wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, ClassVar, Literal

from pydantic import ValidationError

from ingest.errors import IngestError
from ingest.models import Article, GraphDelta, _Strict

DELTA_FORMAT: Literal["kg-delta/1"] = "kg-delta/1"
# A line holds an article's cleaned text plus what was extracted from it; the text is at most
# `max_article_bytes`, and the extraction of a long article is several times that (evidence sentences).
LINE_BYTES_PER_ARTICLE_BYTE = 6
MIN_LINE_BYTES = 1_000_000


class BadDelta(IngestError):
    """A line of a deltas file that cannot be loaded: the file, the line and the reason."""

    code: ClassVar[str] = "bad_delta"

    def __init__(self, origin: str, line_no: int, reason: str) -> None:
        super().__init__(f"{origin}, line {line_no}: {reason}")
        self.origin, self.line_no, self.reason = origin, line_no, reason


class DeltaRecord(_Strict):
    """One article and everything extracted from it: one line of `kg extract --deltas`."""

    format: Literal["kg-delta/1"] = DELTA_FORMAT
    origin: str
    article: Article
    delta: GraphDelta
    # The extractor's comparable version (`ingest.extract.EXTRACTOR_VERSION`), stored on the article so
    # `kg ingest` and `kg reextract` can tell whether a newer extractor would read it differently.
    extractor_version: str

    def to_line(self) -> str:
        return self.model_dump_json() + "\n"


def make_record(origin: str, article: Article, delta: GraphDelta, extractor_version: str) -> DeltaRecord:
    """The record of one extracted article; the delta takes the article's id, as the writer expects."""
    return DeltaRecord(
        origin=origin,
        article=article,
        delta=delta.model_copy(update={"id": article.id}),
        extractor_version=extractor_version,
    )


def max_line_bytes(max_article_bytes: int) -> int:
    return max(MIN_LINE_BYTES, LINE_BYTES_PER_ARTICLE_BYTE * max_article_bytes)


def parse_line(line: str | bytes, origin: str, line_no: int, *, max_bytes: int) -> DeltaRecord:
    """One line as a checked `DeltaRecord`; raises `BadDelta` saying what was wrong."""
    size = len(line) if isinstance(line, bytes) else len(line.encode("utf-8"))
    if size > max_bytes:
        raise BadDelta(origin, line_no, f"the line is {size:,} bytes, over the limit of {max_bytes:,}")
    try:
        raw = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadDelta(origin, line_no, f"not JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise BadDelta(origin, line_no, f"a line must be a JSON object, not {type(raw).__name__}")
    if raw.get("format") != DELTA_FORMAT:
        found = raw.get("format")
        raise BadDelta(origin, line_no, f"format is {found!r}; this version reads {DELTA_FORMAT!r}")
    try:
        record = DeltaRecord.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise BadDelta(origin, line_no, f"field {where}: {first['msg']}{more}") from None
    check_record(record, origin, line_no)
    return record


def check_record(record: DeltaRecord, origin: str, line_no: int) -> None:
    """What the models cannot check: the id is the content hash, the delta is this article's."""
    article = record.article
    expected = Article.content_hash(article.text, article.title)
    if article.id != expected:
        raise BadDelta(
            origin, line_no, f"article.id {article.id!r} is not the content hash of its text and title"
        )
    if record.delta.id != article.id:
        raise BadDelta(origin, line_no, f"delta.id {record.delta.id!r} is not article.id {article.id!r}")
    ids = {e.id for e in record.delta.entities}
    for n, rel in enumerate(record.delta.relations):
        for end in (rel.source, rel.target):
            if end not in ids:
                raise BadDelta(origin, line_no, f"delta.relations.{n} names entity {end!r}, not in entities")


def read_records(path: Path, *, max_article_bytes: int) -> Iterator[DeltaRecord | BadDelta]:
    """The records of one deltas file, lazily, in file order; a bad line comes as its `BadDelta`.

    Blank lines are skipped. A line over the limit is not read into memory whole."""
    limit = max_line_bytes(max_article_bytes)
    origin = str(path)
    with path.open("rb") as handle:
        for line_no, line in enumerate(_bounded_lines(handle, limit), start=1):
            if line is None:
                yield BadDelta(origin, line_no, f"the line is over the limit of {limit:,} bytes")
                continue
            if not line.strip():
                continue
            try:
                yield parse_line(line, origin, line_no, max_bytes=limit)
            except BadDelta as exc:
                yield exc


def _bounded_lines(handle: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Lines of at most `limit` bytes; a longer one is skipped to its end and given as None."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def delta_files(paths: Iterable[Path]) -> list[Path]:
    """The deltas files named, folders walked in sorted order for `*.jsonl` (the order is the corpus's)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.jsonl") if not p.name.startswith(".")))
        else:
            out.append(path)
    return out


def write_records(records: Iterable[DeltaRecord], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(record.to_line())
        n += 1
    return n
