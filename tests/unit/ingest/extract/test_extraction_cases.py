"""The extraction regression corpus: one written sentence per line, tagged with the phenomenon it shows
and the triples it must and must not give, run by one parametrised test (the reading, validating and
checking are `ingest.cases`).

`tests/data/extraction_cases.md` documents the format and the tag vocabulary; the vocabulary is read
from it, so a tag cannot be used before it is defined there. Ids are `<tag>:<line>` for the main file
and `<tag>:todo-<line>` for the to-do file, so `pytest -k stance-from-quote-content` runs one phenomenon
and `-k "not todo"` leaves out what the extractor does not handle yet.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ingest.cases import (
    CASES_NAME,
    GUIDE_NAME,
    TODO_NAME,
    Case,
    check,
    documented_tags,
    read_cases,
)
from ingest.cases import (
    validate as validate_with,
)
from ingest.extract import Extractor
from ingest.models import Entity, GraphDelta, Relation

DATA = Path(__file__).resolve().parents[4] / "tests" / "data"
CASES = DATA / CASES_NAME
TODO = DATA / TODO_NAME
GUIDE = DATA / GUIDE_NAME
TAGS = documented_tags(GUIDE)


def validate(data: Any) -> list[str]:
    return validate_with(data, TAGS)


# the corpus ----------------------------------------------------------------------------------------


def _params() -> list[Any]:
    todo = pytest.mark.xfail(reason="not handled yet", strict=False)
    return [pytest.param(c, id=c.id) for c in read_cases(CASES)] + [
        pytest.param(c, id=c.id, marks=todo) for c in read_cases(TODO, todo=True)
    ]


@pytest.mark.parametrize("case", _params())
def test_case(case: Case, extractor: Extractor) -> None:
    data = case.data
    errors = validate(data)
    if errors:
        pytest.fail(f"{case.path.name}:{case.line} is malformed: " + "; ".join(errors), pytrace=False)
    report = check(data, extractor.extract(data["text"], doc_id=f"case-{case.line}"))
    if report is not None:
        pytest.fail(f"{case.path.name}:{case.line}\n{report}", pytrace=False)


def test_both_files_are_well_formed_and_distinct() -> None:
    main, todo = read_cases(CASES), read_cases(TODO)
    assert main and todo
    errors = []
    for case in (*main, *todo):
        try:
            data = case.data
        except json.JSONDecodeError as err:
            errors.append(f"{case.path.name}:{case.line}: not JSON ({err})")
            continue
        errors.extend(f"{case.path.name}:{case.line}: {e}" for e in validate(data))
    assert not errors, "\n".join(errors)
    seen = Counter((c.data["phenomenon"], c.data["text"]) for c in (*main, *todo))
    assert not [key for key, n in seen.items() if n > 1], "the same case appears twice"


def test_every_documented_tag_is_used_and_selectable_on_its_own() -> None:
    used = {c.data["phenomenon"] for c in (*read_cases(CASES), *read_cases(TODO))}
    assert sorted(set(TAGS) - used) == [], "documented tags with no case"
    # `pytest -k <tag>` matches substrings, so no tag may sit inside another
    assert not [(a, b) for a in TAGS for b in TAGS if a != b and a in b]


# the checker itself: a case that should fail does ----------------------------------------------------


def _delta() -> GraphDelta:
    """Ortiz criticised Voss, quoting her; Voss is the mayor; no endorsement anywhere."""
    return GraphDelta(
        id="t",
        entities=[
            Entity(id="person:ray-ortiz", type="Person", name="Ray Ortiz"),
            Entity(id="person:lena-voss", type="Person", name="Lena Voss", aliases=["Voss"], mentions=3),
            Entity(
                id="office:mayor-of-reno",
                type="Office",
                name="Mayor of Reno",
                properties={"title": "Mayor"},
            ),
        ],
        relations=[
            Relation(
                type="CRITICIZED",
                source="person:ray-ortiz",
                target="person:lena-voss",
                evidence="...",
                quote="never read the budget",
            ),
            Relation(
                type="HOLDS_OFFICE",
                source="person:lena-voss",
                target="office:mayor-of-reno",
                evidence="...",
                properties={"status": "current"},
            ),
        ],
    )


def _case(**fields: Any) -> dict[str, Any]:
    return {"phenomenon": "reply-verb", "text": "Ortiz shot back.", "must": [], "must_not": [], **fields}


def test_checker_accepts_a_case_the_extraction_meets() -> None:
    case = _case(
        must=[
            ["CRITICIZED", "Ray Ortiz", "Lena Voss", {"quote": "never read the budget"}],
            ["HOLDS_OFFICE", "Lena Voss", "Mayor of *", {"status": "current"}],
        ],
        must_not=[["ENDORSED", "*", "*"], ["*", "Lena Voss", "Ray Ortiz"]],
        entities=[["Person", "Lena Voss", {"aliases": ["Voss"], "mentions": 2}], ["Office", "Mayor of Reno"]],
        no_entities=[["Person", "Voss"], ["Organization", "*"]],
    )
    assert validate(case) == []
    assert check(case, _delta()) is None


def test_checker_reports_a_missing_triple_with_the_text_and_what_was_extracted() -> None:
    report = check(_case(must=[["ENDORSED", "Ray Ortiz", "Lena Voss"]]), _delta())
    assert report is not None
    assert "'Ortiz shot back.'" in report
    assert 'missing:   ["ENDORSED", "Ray Ortiz", "Lena Voss"]' in report
    assert '["CRITICIZED", "Ray Ortiz", "Lena Voss", {"quote": "never read the budget"}]' in report


def test_checker_reports_a_forbidden_triple_matched_by_a_wildcard() -> None:
    report = check(_case(must_not=[["CRITICIZED", "Ray Ortiz", "*"]]), _delta())
    assert report is not None
    assert 'forbidden: ["CRITICIZED", "Ray Ortiz", "*"] extracted as ["CRITICIZED", "Ray Ortiz"' in report


@pytest.mark.parametrize(
    "wrong",
    [
        {"must": [["HOLDS_OFFICE", "Lena Voss", "Mayor of Reno", {"status": "former"}]]},
        {"must": [["CRITICIZED", "Ray Ortiz", "Lena Voss", {"quote": "a different quote"}]]},
        {"must": [["CRITICIZED", "Lena Voss", "Ray Ortiz"]]},
        {"entities": [["Person", "Lena Voss", {"mentions": 4}]]},
        {"entities": [["Person", "Lena Voss", {"aliases": ["Mayor Voss"]}]]},
        {"entities": [["Office", "Mayor of Reno", {"title": "Governor"}]]},
        {"entities": [["Place", "Reno"]]},
        {"no_entities": [["Person", "*Voss"]]},
    ],
    ids=["status", "quote", "direction", "mentions", "aliases", "property", "entity", "no-entity"],
)
def test_checker_fails_a_deliberately_wrong_case(wrong: dict[str, Any]) -> None:
    case = _case(**wrong)
    assert validate(case) == []
    assert check(case, _delta()) is not None


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"phenomenon": "round-5"}, "not a tag documented"),
        ({"extra": 1}, "unknown key(s) ['extra']"),
        ({"must": [["PRAISED", "A", "B"]]}, "relation type 'PRAISED'"),
        ({"must": [["*", "A", "B"]]}, "relation type '*'"),
        ({"must": [["CRITICIZED", "A"]]}, "is not [type, source, target]"),
        ({"must": [["CRITICIZED", "A", "B", {"status": "acting"}]]}, "only HOLDS_OFFICE carries a status"),
        ({"must": [["HOLDS_OFFICE", "A", "B", {"status": "retired"}]]}, "status 'retired'"),
        ({"must_not": [["CRITICIZED", "A", "B", {"date": "x"}]]}, "unknown relation attribute(s) ['date']"),
        ({"entities": [["Politician", "A"]]}, "entity type 'Politician'"),
        ({"entities": [["Person", "A", {"age": 3}]]}, "unknown entity attribute(s) ['age']"),
        ({"no_entities": [["Person", "A", {"mentions": 2}]]}, "is not [type, name]"),
        ({"must": []}, "expects nothing"),
    ],
)
def test_validate_names_what_is_wrong(bad: dict[str, Any], message: str) -> None:
    case = {**_case(must=[["CRITICIZED", "A", "B"]]), **bad}
    assert any(message in error for error in validate(case)), validate(case)


def test_validate_wants_the_required_keys() -> None:
    assert validate({"phenomenon": "reply-verb"}) == [
        "missing key(s) ['text', 'must', 'must_not']",
        "the case expects nothing: give must, must_not, entities or no_entities",
    ]
