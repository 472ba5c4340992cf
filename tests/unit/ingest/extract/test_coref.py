"""CoreferenceResolver internals that a sentence case cannot reach. Sentence-level reference behaviour
(pronouns, "the commissioner", surnames, "the union") is in tests/data/extraction_cases.jsonl."""

from __future__ import annotations

from ingest.extract.coref import CoreferenceResolver


def test_a_bare_title_word_resolves_only_to_a_single_holder() -> None:
    titles: list[tuple[int, str, tuple[str, ...]]] = [
        (0, "Police Commissioner", ("person:a",)),
        (9, "Fire Commissioner", ("person:b",)),
    ]
    assert CoreferenceResolver._same_head(titles, "Commissioner") == []
    assert CoreferenceResolver._same_head(titles[:1], "Commissioner") == [(0, ("person:a",))]
    assert CoreferenceResolver._same_head(titles[:1], "Deputy Commissioner") == []
