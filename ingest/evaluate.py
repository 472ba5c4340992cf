"""The project's own scoring of extracted graphs against gold annotations.

Same metric as the shared evaluation (DESIGN.md "Extraction contract"): a predicted relation counts when
its type matches and both ends denote the gold ends, where an entity denotes a gold entity when its
canonical name, or failing that any of its aliases, equals one of the gold entity's surface forms after
normalisation (case, punctuation, quote style, a leading "the" and "'s" ignored); relations are counted
once per (type, source, target); optional gold ("core": false) is never a miss but is a hit when found;
negatives list assertions that must never appear (target "*" means any).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STANCE = frozenset({"CRITICIZED", "ENDORSED", "RESPONDED_TO"})
SCORED_ENTITY_TYPES = ("Person", "Office", "Organization", "Bill", "Event")


QUOTES = str.maketrans("‘’`´“”", "''''\"\"")


def normalise(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.translate(QUOTES)
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"^\s*the\s+", "", text)
    return " ".join(text.split())


def surface_forms(entity: Mapping[str, Any]) -> set[str]:
    forms = [entity.get("name", "")] + list(entity.get("aliases") or [])
    return {n for n in map(normalise, forms) if n}


def denoted(entity: Mapping[str, Any], gold: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The gold entity a predicted one stands for: by canonical name, then by any alias; same type first."""
    for forms in ({normalise(entity.get("name", ""))}, surface_forms(entity)):
        hits = [g for g in gold if forms & surface_forms(g)]
        if hits:
            return next((g for g in hits if g["type"] == entity.get("type")), hits[0])
    return None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self


@dataclass
class Report:
    by_type: dict[str, Counts] = field(default_factory=dict)
    by_rule: dict[str, Counts] = field(default_factory=dict)  # predictions only: tp and fp per rule
    entity_found: dict[str, int] = field(default_factory=dict)
    entity_core: dict[str, int] = field(default_factory=dict)
    violations: list[tuple[str, str, str, str]] = field(default_factory=list)
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str, str]] = field(default_factory=list)

    def total(self, types: Iterable[str] | None = None) -> Counts:
        out = Counts()
        for t, c in self.by_type.items():
            if types is None or t in types:
                out += c
        return out

    @property
    def relations(self) -> Counts:
        return self.total()

    @property
    def stance(self) -> Counts:
        return self.total(STANCE)

    def entity_recall(self, type_: str) -> float | None:
        core = self.entity_core.get(type_, 0)
        return self.entity_found.get(type_, 0) / core if core else None


def score(gold: Mapping[str, dict[str, Any]], predicted: Mapping[str, dict[str, Any]]) -> Report:
    report = Report()
    for doc_id, g in gold.items():
        p = predicted.get(doc_id, {})
        pred_entities = p.get("entities", [])
        gold_entities = g["entities"]
        for ge in gold_entities:
            if ge["type"] in SCORED_ENTITY_TYPES and ge.get("core", True):
                report.entity_core[ge["type"]] = report.entity_core.get(ge["type"], 0) + 1
                if any(
                    surface_forms(ge) & surface_forms(pe)
                    for pe in pred_entities
                    if pe.get("type") == ge["type"]
                ):
                    report.entity_found[ge["type"]] = report.entity_found.get(ge["type"], 0) + 1
        by_id = {e.get("id"): e for e in pred_entities}
        wanted = {(r["type"], r["source"], r["target"]): r.get("core", True) for r in g["relations"]}
        found: set[tuple[str, str, str]] = set()
        for rel in p.get("relations", []):
            ends = []
            for end in (rel.get("source"), rel.get("target")):
                entity = by_id.get(end)
                match = denoted(entity, gold_entities) if entity else None
                ends.append(match["name"] if match else (entity or {}).get("name"))
            key = (str(rel.get("type")), ends[0] or "", ends[1] or "")
            if key in found:
                continue
            found.add(key)
            counts = report.by_type.setdefault(key[0], Counts())
            rule = report.by_rule.setdefault(str(rel.get("rule") or "?"), Counts())
            if key in wanted:
                counts.tp += 1
                rule.tp += 1
            else:
                counts.fp += 1
                rule.fp += 1
                report.false_positives.append((doc_id, *key))
            for neg in g.get("negatives", []):
                if neg["type"] == key[0] and neg["source"] == key[1] and neg["target"] in ("*", key[2]):
                    report.violations.append((doc_id, *key))
        for key, core in wanted.items():
            if core and key not in found:
                report.by_type.setdefault(key[0], Counts()).fn += 1
                report.misses.append((doc_id, *key))
    return report


def load_jsonl(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        rows = (json.loads(line) for line in fh if line.strip())
        return {row["id"]: row for row in rows}


def summary(report: Report) -> str:
    lines = []
    for label, c in (("relations", report.relations), ("stance", report.stance)):
        lines.append(
            f"{label:10} P={c.precision:.2f} R={c.recall:.2f} F1={c.f1:.2f} (tp={c.tp} fp={c.fp} fn={c.fn})"
        )
    for t in SCORED_ENTITY_TYPES:
        lines.append(f"entity {t:12} recall={report.entity_recall(t)}")
    lines += [f"NEGATIVE VIOLATED: {v}" for v in report.violations]
    lines += [f"missed: {m}" for m in report.misses]
    lines += [f"false positive: {f}" for f in report.false_positives]
    return "\n".join(lines)


def report_table(reports: Mapping[str, Report]) -> str:
    """Several reports side by side (for example the tuned and the blind part of a development set):
    relations and stance P/R/F1, each relation type, entity recall, and precision per extraction rule."""
    names = list(reports)
    width = max(30, *(len(n) + 24 for n in names))

    def row(label: str, cells: Iterable[str]) -> str:
        return f"{label:26}" + "".join(f"{c:>{width}}" for c in cells)

    def prf(c: Counts) -> str:
        return f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f} ({c.tp}/{c.fp}/{c.fn})"

    lines = [row("", [f"{n}: P/R/F1 (tp/fp/fn)" for n in names])]
    lines.append(row("relations", [prf(r.relations) for r in reports.values()]))
    lines.append(row("stance", [prf(r.stance) for r in reports.values()]))
    types = sorted({t for r in reports.values() for t in r.by_type})
    lines += [row(f"  {t}", [prf(r.by_type.get(t, Counts())) for r in reports.values()]) for t in types]
    for t in SCORED_ENTITY_TYPES:
        cells = []
        for r in reports.values():
            rec = r.entity_recall(t)
            cells.append("-" if rec is None else f"{rec:.2f} ({r.entity_found.get(t, 0)}/{r.entity_core[t]})")
        lines.append(row(f"entity recall {t}", cells))
    lines.append(row("negatives violated", [str(len(r.violations)) for r in reports.values()]))
    rules = sorted({k for r in reports.values() for k in r.by_rule})
    lines.append("precision per rule (tp/fp)")
    for k in rules:
        cells = []
        for r in reports.values():
            c = r.by_rule.get(k, Counts())
            cells.append(f"{c.precision:.2f} ({c.tp}/{c.fp})" if c.tp + c.fp else "-")
        lines.append(row(f"  {k}", cells))
    return "\n".join(lines)
