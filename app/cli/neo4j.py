"""`kg neo4j start|status|stop`: the local Neo4j, one instance per data folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.cli.runtime import browser_port, start_local_neo4j
from app.config import get_settings
from graph import launcher
from graph.errors import AlreadyRunning, LauncherError

cli = typer.Typer(no_args_is_help=True, help="Run the local Neo4j (Maven jars + a JVM, no Docker).")
err = Console(stderr=True)
out = Console()

PortOpt = Annotated[int | None, typer.Option("--port", help="Bolt port on 127.0.0.1 [KG_NEO4J_PORT]")]
DataOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="instance folder: store, log, pid [KG_NEO4J_DATA_DIR]")
]


def _data_dir(data_dir: Path | None) -> Path:
    return data_dir or get_settings().local_neo4j_data_dir


HttpOpt = Annotated[
    int | None,
    typer.Option(
        "--http-port",
        help="Neo4j Browser and HTTP API on 127.0.0.1 (0: off); default KG_NEO4J_HTTP_PORT (7474), "
        "none with --port",
    ),
]


@cli.command()
def start(port: PortOpt = None, data_dir: DataOpt = None, http_port: HttpOpt = None) -> None:
    """Start Neo4j and return once Bolt answers (and Neo4j Browser, at the printed address)."""
    s = get_settings()
    folder = _data_dir(data_dir)
    before = launcher.status(folder)
    if before.stale:
        err.print(f"note: removed a stale pid file in {folder} (pid {before.pid} is not running)")
    try:
        # An explicit Bolt port (the test scripts' throwaway instances) gets no HTTP port unless asked.
        http = http_port if http_port is not None else (0 if port else browser_port(s))
        st = start_local_neo4j(s, folder, port or s.local_neo4j_port, http)
    except AlreadyRunning as exc:
        out.print(f"already running: {exc.uri} (pid {exc.pid})")
        return
    except LauncherError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    out.print(st.uri)
    if st.browser_url:
        err.print(f"Neo4j Browser: {st.browser_url} (connect to {st.uri} as {s.neo4j_user})")


@cli.command()
def status(data_dir: DataOpt = None) -> None:
    """Say whether Neo4j runs for this data folder (exit 0 running, 3 not running)."""
    st = launcher.status(_data_dir(data_dir))
    if st.running:
        browser = f", Neo4j Browser {st.browser_url}" if st.browser_url else ""
        out.print(f"running: {st.uri} (pid {st.pid}, data {st.data_dir}{browser})")
        return
    if st.stale:
        out.print(
            f"not running: stale pid file in {st.data_dir} (pid {st.pid} is gone); `kg neo4j start` clears it"
        )
    else:
        out.print(f"not running (data {st.data_dir})")
    raise typer.Exit(3)


@cli.command()
def stop(data_dir: DataOpt = None) -> None:
    """Stop Neo4j cleanly (SIGTERM) and free its port."""
    try:
        st = launcher.stop(_data_dir(data_dir))
    except LauncherError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    out.print(f"stopped (pid {st.pid})" if st.running else "not running")


@cli.command()
def install() -> None:
    """Resolve the Neo4j jars from Maven Central once (reused afterwards)."""
    s = get_settings()
    try:
        folder = launcher.ensure_jars(s.local_neo4j_jars_dir, s.mvn_bin)
    except LauncherError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    out.print(f"Neo4j jars ready in {folder} ({len(list(folder.glob('*.jar')))} jars)")
