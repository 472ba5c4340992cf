"""`kg ingest PATH...`: files and folders into the graph, with a progress bar and a summary table."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.cli.runtime import local_neo4j, prepare_database
from app.config import Settings, get_settings
from app.ingest_service import IngestReport, ingest_paths
from app.ingest_service import Progress as ProgressCallback
from graph.driver import open_driver
from graph.errors import GraphError
from ingest.errors import IngestError
from ingest.jobs import JobKind
from ingest.load.frontmatter import parse_date

err = Console(stderr=True)
out = Console()


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files and folders (.txt .md .html .json .jsonl)")],
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="extraction processes [KG_INGEST_WORKERS]")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="the outlet, for every article given (over front matter)")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="the article's address (one file only)")] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="its publication date, ISO 8601: 2026-01-30 (one file only)"),
    ] = None,
    deltas: Annotated[
        bool,
        typer.Option("--deltas", help="the paths are `kg extract --deltas` files: written, not re-extracted"),
    ] = False,
) -> None:
    """Load articles into the graph; unchanged articles are skipped, bad files are reported.

    .txt and .md files may open with front matter (a --- block of title:, url:, source:, published:
    lines); --source, --url and --published override it. An unchanged article sent with a new url,
    source or date gets them (reported as metadata updated) and keeps its assertions. An unchanged
    article that an older extractor read is extracted again (reported as reextracted).
    """
    s = get_settings()
    if deltas and (source or url or published or workers):
        err.print("error: --deltas files carry their articles' metadata and need no extraction workers")
        raise typer.Exit(2)
    metadata = cli_metadata(paths, source=source, url=url, published=published)
    with local_neo4j(s):
        prepare_database(s)
        try:
            if deltas:
                from app.cli.backfill import run_ingest_deltas

                report = run_ingest_deltas(s, paths)
            else:
                report = run_ingest(s, paths, workers or s.ingest_workers, metadata)
        except GraphError as exc:
            err.print(f"error: {exc}", soft_wrap=True, markup=False)
            raise typer.Exit(1) from None
    print_report(report, out)
    if report.total == 0:
        err.print("error: no article files found in the given paths")
        raise typer.Exit(1)
    if report.all_failed:
        raise typer.Exit(1)


@contextmanager
def progress_bar(label: str, first: str = "loading ...") -> Iterator[ProgressCallback]:
    """The bar `kg ingest` and `kg reextract` draw on stderr; yields the callback the services call."""
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", style="dim"),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task(first, total=None)

        def progress(done: int, total: int | None, origin: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(origin).name)

        yield progress


def cli_metadata(
    paths: list[Path], *, source: str | None, url: str | None, published: str | None
) -> dict[str, Any]:
    """The metadata options as article fields; --url and --published name one article, so one file."""
    single = len(paths) == 1 and not paths[0].is_dir() and paths[0].suffix.lower() in {".txt", ".md", ".html"}
    for option, value in (("--url", url), ("--published", published)):
        if value is not None and not single:
            err.print(
                f"error: {option} applies to a single .txt, .md or .html file, not to {len(paths)} "
                "paths or a folder; use front matter in each file instead",
                markup=False,
            )
            raise typer.Exit(2)
    try:
        when = parse_date(published, "--published") if published is not None else None
    except IngestError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2) from None
    return {"source": source, "url": url, "published_at": when}


def run_ingest(
    s: Settings, paths: list[Path], workers: int, metadata: dict[str, Any] | None = None
) -> IngestReport:
    async def run() -> IngestReport:
        driver = open_driver(s.connection, connection_timeout=s.neo4j_connect_timeout_s)
        try:
            with progress_bar("ingest") as progress:
                return await ingest_paths(
                    driver, s, paths, workers=workers, progress=progress, metadata=metadata
                )
        finally:
            await driver.close()

    return asyncio.run(run())


NO_TEXT_ROW = "no stored text: re-ingest the source"


def print_report(report: IngestReport, console: Console) -> None:
    """The summary table of an ingest or a reextract job, then its failed inputs."""
    summary = Table(title=f"{report.kind.value} job {report.job_id}", show_header=False)
    summary.add_column("what")
    summary.add_column("count", justify="right")
    if report.kind is JobKind.INGEST:
        summary.add_row("articles ingested", str(report.ingested))
    summary.add_row("articles reextracted", str(report.reextracted))
    summary.add_row("articles unchanged", str(report.unchanged))
    if report.kind is JobKind.INGEST:
        summary.add_row("metadata updated", str(report.metadata_updated))
    if report.kind is JobKind.REEXTRACT:
        summary.add_row(
            NO_TEXT_ROW, str(report.without_text), style="yellow" if report.without_text else None
        )
    summary.add_row("inputs failed", str(report.failed), style="red" if report.failed else None)
    summary.add_row("entities written", str(report.entities_written))
    summary.add_row("relations written", str(report.relations_written))
    summary.add_row("seconds", f"{report.seconds:.1f}")
    console.print(summary)
    if report.errors:
        shown = len(report.errors)
        more = f" (the first {shown} of {report.failed})" if shown < report.failed else ""
        failures = Table(title=f"failed inputs{more}", title_style="red")
        failures.add_column("input", overflow="fold")
        failures.add_column("code")
        failures.add_column("reason", overflow="fold")
        for e in report.errors:
            failures.add_row(e.origin, e.code, e.message)
        console.print(failures)


def register(cli: typer.Typer) -> None:
    cli.command("ingest")(ingest)
