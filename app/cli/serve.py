"""`kg serve`: the API on 127.0.0.1, with the local Neo4j started (and stopped) when NEO4J_URI is unset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from app.cli.runtime import local_neo4j, prepare_database
from app.config import get_settings

err = Console(stderr=True)


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on [KG_HOST]")] = "",
    port: Annotated[int, typer.Option(help="HTTP port [KG_PORT]")] = 0,
    load_seeds: Annotated[
        bool, typer.Option("--load-seeds/--no-load-seeds", help="ingest seeds/ when the graph is empty")
    ] = False,
) -> None:
    """Serve the API (GraphQL at /graphql, health at /health)."""
    s = get_settings()
    with local_neo4j(s):
        prepare_database(s)
        if load_seeds:
            _load_seeds_hook()
        from app.main import create_app

        uvicorn.run(create_app(s), host=host or s.host, port=port or s.port, log_level="info")


def _load_seeds_hook() -> None:
    """Replaced by the ingest command when it is present; see app/cli/ingest.py."""
    loader: Callable[[], None] | None = getattr(_load_seeds_hook, "loader", None)
    if loader is not None:
        loader()


def register(cli: typer.Typer) -> None:
    cli.command("serve")(serve)
