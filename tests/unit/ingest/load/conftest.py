"""Fixtures for the loader tests: the project's seed articles and small hand-written inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seed_text(seeds_dir: Path):
    """The raw text of a seed by its number: seed_text("001")."""

    def read(number: str) -> str:
        (path,) = seeds_dir.glob(f"{number}_*.txt")
        return path.read_text(encoding="utf-8")

    return read
