"""One extraction pipeline per test session: loading spaCy takes seconds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.evaluate import Report, load_jsonl, score
from ingest.extract import Extractor, get_extractor
from ingest.load import load_path
from ingest.models import Entity, GraphDelta


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return get_extractor()


Triples = set[tuple[str, str, str]]


def triples(delta: GraphDelta) -> Triples:
    """(type, source name, target name) of every relation."""
    names = {e.id: e.name for e in delta.entities}
    return {(r.type, names[r.source], names[r.target]) for r in delta.relations}


@pytest.fixture(scope="session")
def relations(extractor: Extractor) -> Callable[[str], Triples]:
    return lambda text: triples(extractor.extract(text, doc_id="t"))


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[[str], GraphDelta]:
    return lambda text: extractor.extract(text, doc_id="t")


def _entity(delta: GraphDelta, type_: str, name: str) -> Entity | None:
    return next((e for e in delta.entities if e.type == type_ and e.name == name), None)


@pytest.fixture(scope="session")
def entity() -> Callable[[GraphDelta, str, str], Entity | None]:
    """entity(delta, type, name): the extracted entity with that canonical name, or None."""
    return _entity


@pytest.fixture(scope="session")
def score_folder(extractor: Extractor) -> Callable[[Path, Path, int], Report]:
    """Load every .txt article in a folder as `kg extract` does, extract, and score against the gold."""

    def run(folder: Path, gold: Path, expected: int) -> Report:
        loaded = [r.article for p in sorted(folder.glob("*.txt")) for r in load_path(p)]
        articles = [a for a in loaded if a is not None]
        assert len(articles) == expected, f"{folder} should hold {expected} articles"
        predicted = {d.id: d.to_contract() for d in extractor.extract_many(articles)}
        return score(load_jsonl(gold), predicted)

    return run
