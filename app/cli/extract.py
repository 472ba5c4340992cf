"""Placeholder until this subcommand lands."""

from __future__ import annotations

import typer


def register(cli: typer.Typer) -> None:
    return None
