"""`kg extract FILE_OR_DIR [--json]`: what the extractor finds, without touching the database."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.config import get_settings
from ingest.deltas import make_record
from ingest.models import Article, GraphDelta

err = Console(stderr=True)
out = Console()

BATCH = 16


def extract(
    path: Annotated[Path, typer.Argument(help="a file, or a folder (one JSON line per file)")],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help=(
                "one JSON object per article, one line each (JSON Lines for a folder): "
                '{"id", "entities": [{"id", "type", "name", "aliases", ...}], '
                '"relations": [{"type", "source", "target", "evidence", "quote", "confidence", '
                '"char_start", "char_end", "rule", ...}]}. '
                "`id` is the file name without its extension; `source` and `target` are entity ids "
                "(person:larry-krasner); `evidence` is the sentence, `quote` the words attributed (or null), "
                "`char_start`/`char_end` the sentence's offsets in the cleaned text; types are those of "
                "docs/graph-model.md"
            ),
        ),
    ] = False,
    as_deltas: Annotated[
        bool,
        typer.Option(
            "--deltas",
            help="the lossless GraphDelta form, one JSON line per article, that `kg ingest --deltas` loads",
        ),
    ] = False,
) -> None:
    """Print the entities and relations extracted from articles; bad files are reported on stderr."""
    s = get_settings()
    if as_json and as_deltas:
        err.print("error: --json and --deltas are two formats; give one")
        raise typer.Exit(2)
    ok = failed = 0
    for item in _extracted(path, s.max_article_bytes, s.spacy_model):
        if isinstance(item, str):
            failed += 1
            err.print(f"skipped {item}", soft_wrap=True, markup=False)
            continue
        ok += 1
        origin, article, delta = item
        if as_deltas:
            sys.stdout.write(make_record(origin, article, delta, extractor_version()).to_line())
            sys.stdout.flush()
        elif as_json:
            sys.stdout.write(json.dumps(delta.to_contract(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            print_delta(delta, out)
    if ok == 0:
        if failed == 0:
            err.print(f"error: no article files found in {path}")
        raise typer.Exit(1)


def extraction_id(origin: str, article: Article) -> str:
    """The `id` of a JSON line: the file name without its extension (a record's key, when it has one)."""
    return article.name or Path(origin.split("#", 1)[0]).stem


def extractor_version() -> str:
    from ingest.extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def _extracted(path: Path, max_bytes: int, model: str) -> Iterator[tuple[str, Article, GraphDelta] | str]:
    """(origin, article, delta) in input order; a refused input comes as "origin: reason"."""
    from ingest.extract import get_extractor
    from ingest.load import iter_inputs

    extractor = None
    pending: list[tuple[str, Article]] = []

    def flush() -> Iterator[tuple[str, Article, GraphDelta]]:
        nonlocal extractor
        if not pending:
            return
        extractor = extractor or get_extractor(model)
        articles = [a.model_copy(update={"name": extraction_id(o, a)}) for o, a in pending]
        deltas = extractor.extract_many(articles, batch_size=BATCH)
        yield from ((o, a, d) for (o, _), a, d in zip(pending, articles, deltas, strict=True))
        pending.clear()

    for result in iter_inputs([path], max_bytes=max_bytes):
        if result.error is not None or result.article is None:
            yield from flush()
            code = getattr(result.error, "code", "error")
            yield f"{result.origin}: [{code}] {result.error}"
            continue
        pending.append((result.origin, result.article))
        if len(pending) >= BATCH:
            yield from flush()
    yield from flush()


def print_delta(delta: GraphDelta, console: Console) -> None:
    names = {e.id: e.name for e in delta.entities}
    entities = Table(title=f"{delta.id}: entities", title_justify="left")
    for column in ("type", "name", "aliases", "id"):
        entities.add_column(column, overflow="fold")
    for e in delta.entities:
        entities.add_row(e.type, e.name, ", ".join(e.aliases), e.id)
    relations = Table(title=f"{delta.id}: relations", title_justify="left")
    for column in ("source", "type", "target", "quote / evidence", "conf."):
        relations.add_column(column, overflow="fold")
    for r in delta.relations:
        said = f"“{r.quote}”" if r.quote else r.evidence
        relations.add_row(
            names.get(r.source, r.source), r.type, names.get(r.target, r.target), said, f"{r.confidence:.2f}"
        )
    console.print(entities)
    console.print(relations)


def register(cli: typer.Typer) -> None:
    cli.command("extract")(extract)
