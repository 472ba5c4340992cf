"""The extraction regression corpus: one written sentence per line, tagged with the phenomenon it shows
and the triples it must and must not give, run by one parametrised test.

`tests/data/extraction_cases.md` documents the format and the tag vocabulary; the vocabulary is read
from it, so a tag cannot be used before it is defined there. Ids are `<tag>:<line>` for the main file
and `<tag>:todo-<line>` for the to-do file, so `pytest -k stance-from-quote-content` runs one phenomenon
and `-k "not todo"` leaves out what the extractor does not handle yet.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest

from ingest.extract import Extractor
from ingest.models import ENTITY_TYPES, RELATION_TYPES, Entity, GraphDelta, Relation

DATA = Path(__file__).resolve().parents[4] / "tests" / "data"
CASES = DATA / "extraction_cases.jsonl"
TODO = DATA / "extraction_cases_todo.jsonl"
GUIDE = DATA / "extraction_cases.md"

REQUIRED_KEYS = ("phenomenon", "text", "must", "must_not")
OPTIONAL_KEYS = ("entities", "no_entities", "note")
RELATION_ATTRS = ("status", "quote")
OFFICE_STATUSES = ("current", "former", "acting")
ENTITY_ATTRS = ("aliases", "mentions", "kind", "title", "jurisdiction")
ANY = "*"


def documented_tags(guide: Path = GUIDE) -> dict[str, str]:
    """Tag -> definition, from the `- `tag`: definition` bullets under the guide's "## Phenomena"."""
    tags: dict[str, str] = {}
    section = ""
    for line in guide.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
        elif section == "phenomena" and (m := re.match(r"- `([a-z][a-z-]*)`: (\S.*)$", line)):
            tags[m.group(1)] = m.group(2)
    return tags


TAGS = documented_tags()


# reading and validating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    path: Path
    line: int
    raw: str

    @property
    def todo(self) -> bool:
        return self.path == TODO

    @property
    def data(self) -> Any:
        return json.loads(self.raw)

    @property
    def id(self) -> str:
        try:
            tag = str(self.data.get("phenomenon", "untagged"))
        except (json.JSONDecodeError, AttributeError):
            tag = "unparsable"
        return f"{tag}:{'todo-' if self.todo else ''}{self.line}"


def read_cases(path: Path) -> list[Case]:
    """Every non-blank line, numbered as in the file so an id leads straight to its line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Case(path, n, line) for n, line in enumerate(lines, start=1) if line.strip()]


def _triple_errors(key: str, triple: Any, wildcard_type: bool) -> list[str]:
    if not isinstance(triple, list) or len(triple) not in (3, 4):
        return [f"{key}: {triple!r} is not [type, source, target] or [type, source, target, {{attrs}}]"]
    errors = []
    type_, source, target, *rest = triple
    allowed = (*RELATION_TYPES, ANY) if wildcard_type else RELATION_TYPES
    if type_ not in allowed:
        errors.append(f"{key}: relation type {type_!r} is not one of {', '.join(allowed)}")
    for name in (source, target):
        if not isinstance(name, str) or not name:
            errors.append(f"{key}: {triple!r} needs non-empty source and target names")
    if rest:
        attrs = rest[0]
        if not isinstance(attrs, dict) or not attrs:
            return [*errors, f"{key}: the 4th element of {triple!r} must be a non-empty object"]
        unknown = sorted(set(attrs) - set(RELATION_ATTRS))
        if unknown:
            known = ", ".join(RELATION_ATTRS)
            errors.append(f"{key}: unknown relation attribute(s) {unknown} (known: {known})")
        if "status" in attrs and attrs["status"] not in OFFICE_STATUSES:
            errors.append(f"{key}: status {attrs['status']!r} is not one of {', '.join(OFFICE_STATUSES)}")
        if "status" in attrs and type_ != "HOLDS_OFFICE":
            errors.append(f"{key}: only HOLDS_OFFICE carries a status")
        if "quote" in attrs and not (isinstance(attrs["quote"], str) and attrs["quote"]):
            errors.append(f"{key}: quote must be a non-empty string")
    return errors


def _entity_errors(key: str, item: Any, attrs_allowed: bool) -> list[str]:
    shape = "[type, name] or [type, name, {attrs}]" if attrs_allowed else "[type, name]"
    if not isinstance(item, list) or len(item) not in ((2, 3) if attrs_allowed else (2,)):
        return [f"{key}: {item!r} is not {shape}"]
    errors = []
    if item[0] not in ENTITY_TYPES:
        errors.append(f"{key}: entity type {item[0]!r} is not one of {', '.join(ENTITY_TYPES)}")
    if not isinstance(item[1], str) or not item[1]:
        errors.append(f"{key}: {item!r} needs a non-empty name")
    if len(item) == 3:
        attrs = item[2]
        if not isinstance(attrs, dict) or not attrs:
            return [*errors, f"{key}: the 3rd element of {item!r} must be a non-empty object"]
        unknown = sorted(set(attrs) - set(ENTITY_ATTRS))
        if unknown:
            known = ", ".join(ENTITY_ATTRS)
            errors.append(f"{key}: unknown entity attribute(s) {unknown} (known: {known})")
        aliases = attrs.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            errors.append(f"{key}: aliases must be a list of non-empty strings")
        mentions = attrs.get("mentions", 1)
        if not isinstance(mentions, int) or isinstance(mentions, bool) or mentions < 1:
            errors.append(f"{key}: mentions must be a positive integer")
    return errors


def validate(data: Any, tags: dict[str, str] = TAGS) -> list[str]:
    """Everything wrong with one case, as messages naming the field; empty when the case is well formed."""
    if not isinstance(data, dict):
        return [f"a case is a JSON object, not {type(data).__name__}"]
    errors = []
    unknown = sorted(set(data) - {*REQUIRED_KEYS, *OPTIONAL_KEYS})
    if unknown:
        errors.append(f"unknown key(s) {unknown} (known: {', '.join((*REQUIRED_KEYS, *OPTIONAL_KEYS))})")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        errors.append(f"missing key(s) {missing}")
    tag = data.get("phenomenon")
    if "phenomenon" in data and tag not in tags:
        errors.append(f"phenomenon {tag!r} is not a tag documented in {GUIDE.name}")
    if "text" in data and not (isinstance(data["text"], str) and data["text"].strip()):
        errors.append("text must be a non-empty string")
    if "note" in data and not isinstance(data["note"], str):
        errors.append("note must be a string")
    for key in ("must", "must_not", "entities", "no_entities"):
        value = data.get(key, [])
        if not isinstance(value, list):
            errors.append(f"{key} must be a list")
            continue
        for item in value:
            if key in ("must", "must_not"):
                errors.extend(_triple_errors(key, item, wildcard_type=key == "must_not"))
            else:
                errors.extend(_entity_errors(key, item, attrs_allowed=key == "entities"))
    if not any(data.get(k) for k in ("must", "must_not", "entities", "no_entities")):
        errors.append("the case expects nothing: give must, must_not, entities or no_entities")
    return errors


# checking ------------------------------------------------------------------------------------------


def _rel_matches(pattern: list[Any], rel: Relation, names: dict[str, str]) -> bool:
    type_, source, target, *rest = pattern
    if type_ != ANY and rel.type != type_:
        return False
    if not (fnmatchcase(names[rel.source], source) and fnmatchcase(names[rel.target], target)):
        return False
    attrs = rest[0] if rest else {}
    got = {"status": rel.properties.get("status"), "quote": rel.quote}
    return all(got[key] == want for key, want in attrs.items())


def _entity_matches(pattern: list[Any], entity: Entity) -> bool:
    type_, name, *rest = pattern
    if entity.type != type_ or not fnmatchcase(entity.name, name):
        return False
    attrs = rest[0] if rest else {}
    for key, want in attrs.items():
        if key == "aliases" and not set(want) <= set(entity.aliases):
            return False
        if key == "mentions" and entity.mentions < want:
            return False
        if key not in ("aliases", "mentions") and entity.properties.get(key) != want:
            return False
    return True


def as_triple(rel: Relation, names: dict[str, str]) -> list[Any]:
    """A relation written the way a case writes it, so a report line can be pasted into the corpus."""
    attrs = {k: v for k, v in (("status", rel.properties.get("status")), ("quote", rel.quote)) if v}
    return [rel.type, names[rel.source], names[rel.target], *([attrs] if attrs else [])]


def _show(item: Any) -> str:
    return json.dumps(item, ensure_ascii=False)


def check(data: dict[str, Any], delta: GraphDelta) -> str | None:
    """None when the extraction meets the case; otherwise a report of what is missing or forbidden,
    with the text and everything that was extracted."""
    names = {e.id: e.name for e in delta.entities}
    problems = []
    for pattern in data.get("must", []):
        if not any(_rel_matches(pattern, r, names) for r in delta.relations):
            problems.append(f"missing:   {_show(pattern)}")
    for pattern in data.get("must_not", []):
        found = [_show(as_triple(r, names)) for r in delta.relations if _rel_matches(pattern, r, names)]
        if found:
            problems.append(f"forbidden: {_show(pattern)} extracted as {', '.join(found)}")
    for pattern in data.get("entities", []):
        if not any(_entity_matches(pattern, e) for e in delta.entities):
            problems.append(f"missing entity:   {_show(pattern)}")
    for pattern in data.get("no_entities", []):
        named = [f"{e.type}:{e.name}" for e in delta.entities if _entity_matches(pattern, e)]
        if named:
            problems.append(f"forbidden entity: {_show(pattern)} extracted as {', '.join(named)}")
    if not problems:
        return None
    extracted = [_show(as_triple(r, names)) for r in delta.relations] or ["(none)"]
    entities = [
        f"{e.type}:{e.name}" + (f" aliases={e.aliases}" if e.aliases else "") + f" mentions={e.mentions}"
        for e in delta.entities
    ] or ["(none)"]
    return "\n".join(
        [
            f"[{data.get('phenomenon')}] {data.get('text')!r}",
            *(["note: " + data["note"]] if data.get("note") else []),
            *problems,
            "extracted relations:",
            *("  " + line for line in extracted),
            "extracted entities:",
            *("  " + line for line in entities),
        ]
    )


# the corpus ----------------------------------------------------------------------------------------


def _params() -> list[Any]:
    todo = pytest.mark.xfail(reason="not handled yet", strict=False)
    return [pytest.param(c, id=c.id) for c in read_cases(CASES)] + [
        pytest.param(c, id=c.id, marks=todo) for c in read_cases(TODO)
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
