"""The `kg` command. Each subcommand is a few lines over a library function."""

from __future__ import annotations

import typer

cli = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    # A traceback's local variables would show settings, the API token and the Neo4j password among them.
    pretty_exceptions_show_locals=False,
    help="Political news knowledge graph: ingest articles into Neo4j, re-extract them when the "
    "extractor improves, serve the GraphQL API. Commands that use the graph start a local Neo4j "
    "when NEO4J_URI is unset.",
)


def _register() -> None:
    # Imported here so `kg --help` stays fast and a broken optional part cannot break the others.
    from app.cli import backfill, extract, ingest, neo4j, reextract, serve

    cli.add_typer(neo4j.cli, name="neo4j")
    for module in (serve, ingest, reextract, extract, backfill):
        module.register(cli)


def main() -> None:
    from pydantic import ValidationError

    _register()
    try:
        cli()
    except ValidationError as exc:
        # Settings refused (production without a token, a malformed variable): the reasons, never the values.
        reasons = "; ".join(
            ": ".join([*(str(part) for part in e["loc"]), str(e["msg"]).removeprefix("Value error, ")])
            for e in exc.errors(include_input=False)
        )
        typer.echo(f"configuration error: {reasons}", err=True)
        raise SystemExit(2) from None
