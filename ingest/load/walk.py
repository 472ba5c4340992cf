"""Finding the article files in a folder tree.

Sorted, depth-first order makes a batch reproducible (the same folder always yields the same
sequence, so `kg extract DIR --json` output diffs cleanly); hidden entries are editor and VCS
droppings, never articles.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from pathlib import Path

from ingest.errors import Unreadable


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_folder(root: Path, suffixes: Collection[str]) -> Iterator[Path | Unreadable]:
    """Files under `root` with one of `suffixes`, by name, recursively.

    A folder that cannot be listed is yielded as an `Unreadable` error in its place, so the caller
    reports it and goes on. Symlinked folders are followed once; a link loop is not a hang.
    """
    visited: set[Path] = set()

    def walk(folder: Path) -> Iterator[Path | Unreadable]:
        real = folder.resolve()
        if real in visited:
            return
        visited.add(real)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda entry: entry.name)
        except OSError as exc:
            yield Unreadable(str(folder), exc.strerror or str(exc))
            return
        for entry in entries:
            if _is_hidden(entry.name):
                continue
            path = folder / entry.name
            if entry.is_dir():
                yield from walk(path)
            elif entry.is_file() and path.suffix.lower() in suffixes:
                yield path

    yield from walk(root)
