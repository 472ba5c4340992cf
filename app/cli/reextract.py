"""`kg reextract`: articles an older extractor read, extracted again from the text stored with each."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.cli.ingest import NO_TEXT_ROW, print_report, progress_bar
from app.cli.runtime import local_neo4j, prepare_database
from app.config import Settings, get_settings
from app.reextract_service import ReextractResult, preview_reextraction, reextract
from graph.driver import open_driver
from graph.errors import GraphError
from ingest.errors import IngestError

err = Console(stderr=True)
out = Console()


def reextract_cli(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="count what would be redone; read no text, write nothing")
    ] = False,
    everything: Annotated[
        bool, typer.Option("--all", help="redo every article with a stored text, current ones too")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="extraction processes [KG_INGEST_WORKERS]")
    ] = None,
) -> None:
    """Re-extract the articles an older extractor read, from the text stored with each.

    Each article's own assertions and mentions are replaced in one transaction.

    Articles stored before texts were kept are counted and left as they are: ingest their source again.
    """
    s = get_settings()
    with local_neo4j(s):
        prepare_database(s)
        try:
            result = run_reextract(
                s, dry_run=dry_run, everything=everything, workers=workers or s.ingest_workers
            )
        except (GraphError, IngestError) as exc:
            err.print(f"error: {exc}", soft_wrap=True, markup=False)
            raise typer.Exit(1) from None
    print_result(result, out)
    if result.report is not None and result.report.all_failed:
        raise typer.Exit(1)


def run_reextract(s: Settings, *, dry_run: bool, everything: bool, workers: int) -> ReextractResult:
    async def run() -> ReextractResult:
        driver = open_driver(s.connection, connection_timeout=s.neo4j_connect_timeout_s)
        try:
            if dry_run:
                return await preview_reextraction(driver, s, everything=everything)
            with progress_bar("reextract", "loading the extractor ...") as progress:
                return await reextract(driver, s, everything=everything, workers=workers, progress=progress)
        finally:
            await driver.close()

    return asyncio.run(run())


def print_result(result: ReextractResult, console: Console) -> None:
    """The job's summary (as `kg ingest` prints it), or for a dry run and for nothing to do, the plan."""
    plan = result.plan
    if result.report is not None:
        print_report(result.report, console)
    else:
        title = "reextract --dry-run: nothing written" if result.dry_run and plan.to_redo else "reextract"
        summary = Table(title=title, show_header=False)
        summary.add_column("what")
        summary.add_column("count", justify="right")
        summary.add_row("articles to reextract", str(plan.to_redo))
        summary.add_row(NO_TEXT_ROW, str(plan.without_text), style="yellow" if plan.without_text else None)
        summary.add_row("articles already current", str(plan.up_to_date))
        console.print(summary)
        groups = Table(title="articles by extractor", title_justify="left")
        for column in ("extractor", "version", "articles", "text stored", "verdict"):
            groups.add_column(column, overflow="fold")
        for group in (*plan.redo, *plan.no_text, *plan.current):
            reason = plan.reasons.get((group.extractor, group.version))
            verdict = reason.value.replace("_", " ") if reason is not None else ""
            if group in plan.redo:
                verdict = f"redo ({verdict})"
            elif group in plan.no_text:
                verdict = f"cannot redo ({verdict}): {NO_TEXT_ROW}"
            groups.add_row(
                group.extractor or "(none)",
                group.version or "(none)",
                str(group.articles),
                "yes" if group.has_text else "no",
                verdict,
            )
        if plan.redo or plan.no_text or plan.current:
            console.print(groups)
        if plan.to_redo == 0 and not result.dry_run:
            console.print(
                f"nothing to reextract: every article with a stored text is current ({plan.current_name})"
            )
    if result.without_text:
        missing = Table(
            title=f"articles with {NO_TEXT_ROW} (first {len(result.without_text)})", title_style="yellow"
        )
        for column in ("id", "url", "title"):
            missing.add_column(column, overflow="fold")
        for ref in result.without_text:
            missing.add_row(ref.id, ref.url or "", ref.title or "")
        console.print(missing)


def register(cli: typer.Typer) -> None:
    cli.command("reextract")(reextract_cli)
