"""`kg backfill PATH...`: an archive into the graph on Dask, and `kg ingest --deltas`'s runner."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.cli.runtime import local_neo4j, prepare_database
from app.config import Settings, get_settings
from app.ingest_service import IngestReport
from graph.driver import open_driver
from graph.errors import GraphError

err = Console(stderr=True)
out = Console()


def run_ingest_deltas(s: Settings, paths: list[Path]) -> IngestReport:
    """`kg ingest --deltas`: the deltas files' articles written without extracting them again."""
    from app.backfill.local import ingest_deltas
    from app.cli.ingest import progress_bar

    async def run() -> IngestReport:
        driver = open_driver(s.connection, connection_timeout=s.neo4j_connect_timeout_s)
        try:
            with progress_bar("ingest deltas") as progress:
                return await ingest_deltas(driver, s, paths, progress=progress)
        finally:
            await driver.close()

    try:
        return asyncio.run(run())
    except FileNotFoundError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        raise typer.Exit(2) from None


def backfill(
    paths: Annotated[list[Path], typer.Argument(help="files and folders (.txt .md .html .json .jsonl)")],
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="local Dask worker processes (one core each)")
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="a Dask scheduler address (tcp://host:8786) instead of a local one"),
    ] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="write transactions at once")] = 4,
    chunk_files: Annotated[
        int, typer.Option("--chunk-files", min=1, help="input files per extraction task")
    ] = 4,
    slice_files: Annotated[
        int,
        typer.Option(
            "--slice-files",
            min=1,
            help="input files planned and written together at most, while the next ones are extracted",
        ),
    ] = 2000,
    work_dir: Annotated[
        Path | None, typer.Option("--work-dir", help="where the deltas shards go (shared by the workers)")
    ] = None,
) -> None:
    """Load an archive through Dask: extraction and writes run as tasks, resolution block by block.

    The graph is the one `kg ingest` of the same files in the same order gives; the job is recorded
    the same way. Needs the optional engine: pip install -e '.[backfill]'."""
    try:
        from app.backfill.engine import run_backfill
    except ImportError as exc:
        err.print(f"error: the backfill needs Dask ({exc.name} is missing): pip install -e '.[backfill]'")
        raise typer.Exit(2) from None
    from app.cli.ingest import print_report, progress_bar

    s = get_settings()
    with local_neo4j(s):
        prepare_database(s)

        async def run() -> object:
            driver = open_driver(s.connection, connection_timeout=s.neo4j_connect_timeout_s)
            try:
                with progress_bar("backfill") as progress:
                    return await run_backfill(
                        driver,
                        s,
                        paths,
                        workers=workers,
                        scheduler=scheduler,
                        chunk_files=chunk_files,
                        concurrency=concurrency,
                        slice_files=slice_files,
                        work_dir=work_dir,
                        progress=progress,
                    )
            finally:
                await driver.close()

        try:
            result = asyncio.run(run())
        except (GraphError, FileNotFoundError, ValueError) as exc:
            err.print(f"error: {exc}", soft_wrap=True, markup=False)
            raise typer.Exit(1) from None
    report = result.report  # type: ignore[attr-defined]
    print_report(report, out)
    f = result.figures  # type: ignore[attr-defined]
    out.print(
        f"stages: start {f.start_s:.1f} s; extract {f.extract_s:.1f} s, then {f.tail_s:.1f} s to write the "
        f"last slice; in {f.slices} slices, look-up {f.lookup_s:.1f} s, resolve {f.plan_s:.1f} s "
        f"({f.blocks} blocks), write {f.write_s:.1f} s (while extracting); "
        f"{f.retried_transactions} transactions retried",
        markup=False,
    )
    if report.total == 0:
        err.print("error: no article files found in the given paths")
        raise typer.Exit(1)
    if report.all_failed:
        raise typer.Exit(1)


def register(cli: typer.Typer) -> None:
    cli.command("backfill")(backfill)
