"""The extraction regression corpus: sentences the team writes, one case per line, each tagged with the
phenomenon it shows and the triples it must and must not give (`tests/data/extraction_cases.md`).

Reading, validating and checking cases lives here so that the parametrised test and the per-phenomenon
report (`python -m ingest.cases`, part of `make eval`) agree on what a case means.

    python -m ingest.cases tests/data    # pass rate per phenomenon, main corpus and to-do list
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from ingest.models import ENTITY_TYPES, RELATION_TYPES, Entity, GraphDelta, Relation

GUIDE_NAME = "extraction_cases.md"
CASES_NAME = "extraction_cases.jsonl"
TODO_NAME = "extraction_cases_todo.jsonl"

REQUIRED_KEYS = ("phenomenon", "text", "must", "must_not")
OPTIONAL_KEYS = ("entities", "no_entities", "note")
RELATION_ATTRS = ("status", "quote")
OFFICE_STATUSES = ("current", "former", "acting")
ENTITY_ATTRS = ("aliases", "mentions", "kind", "title", "jurisdiction")
ANY = "*"


def documented_tags(guide: Path) -> dict[str, str]:
    """Tag -> definition, from the `- `tag`: definition` bullets under the guide's "## Phenomena"."""
    tags: dict[str, str] = {}
    section = ""
    for line in guide.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
        elif section == "phenomena" and (m := re.match(r"- `([a-z][a-z-]*)`: (\S.*)$", line)):
            tags[m.group(1)] = m.group(2)
    return tags


# reading and validating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    path: Path
    line: int
    raw: str
    todo: bool = False

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


def read_cases(path: Path, todo: bool = False) -> list[Case]:
    """Every non-blank line, numbered as in the file so an id leads straight to its line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Case(path, n, line, todo) for n, line in enumerate(lines, start=1) if line.strip()]


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


def validate(data: Any, tags: dict[str, str]) -> list[str]:
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
        errors.append(f"phenomenon {tag!r} is not a tag documented in {GUIDE_NAME}")
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


# the per-phenomenon report ---------------------------------------------------------------------------


def phenomenon_report(folder: Path) -> str:
    """Pass rate per tag for the main corpus (which must all pass) and the to-do list (progress)."""
    from ingest.extract import get_extractor

    extractor = get_extractor()
    tags = documented_tags(folder / GUIDE_NAME)
    counts: dict[tuple[str, bool], Counter[str]] = {}
    for todo, name in ((False, CASES_NAME), (True, TODO_NAME)):
        for case in read_cases(folder / name, todo):
            data = case.data
            ok = (
                not validate(data, tags)
                and check(data, extractor.extract(data["text"], doc_id="case")) is None
            )
            counts.setdefault((data["phenomenon"], todo), Counter())["pass" if ok else "fail"] += 1
    lines = [f"{'phenomenon':32}{'corpus':>12}{'to-do':>12}"]
    for tag in sorted({t for t, _ in counts}):
        cells = []
        for todo in (False, True):
            c = counts.get((tag, todo), Counter())
            total = c["pass"] + c["fail"]
            cells.append(f"{c['pass']}/{total}" if total else "-")
        lines.append(f"{tag:32}{cells[0]:>12}{cells[1]:>12}")
    main = [c for (t, todo), c in counts.items() if not todo]
    todo_c = [c for (t, todo), c in counts.items() if todo]
    passed = sum(c["pass"] for c in main), sum(c["pass"] + c["fail"] for c in main)
    progress = sum(c["pass"] for c in todo_c), sum(c["pass"] + c["fail"] for c in todo_c)
    lines.append(f"{'all':32}{f'{passed[0]}/{passed[1]}':>12}{f'{progress[0]}/{progress[1]}':>12}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(phenomenon_report(Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data")))
