"""Train the pair model (`ingest/extract/pairs.py`) on the tuned part of the real-text development set.

    python -m ingest.train_pairs tests/data/realdev            # cross-validate, fit, write the weights
    python -m ingest.train_pairs tests/data/realdev --dry-run  # cross-validate only

Only the "tune" articles are read; the blind part stays unseen and is scored by `make eval-real`. The
regularisation and the decision threshold are chosen by five-fold cross-validation grouped by article
(three fixed shuffles, averaged),
on the stance F1 of the whole extractor (rules plus model) as `ingest.evaluate` scores it, at a
precision of at least MIN_PRECISION, and the
cross-validated figures are printed: they, not a fit on the same articles, say how the model does on the
tuned part. Needs scikit-learn (a dev dependency); the shipped model is plain JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.devset import DevSetError, load_index, texts_status
from ingest.evaluate import Counts, Report, denoted, load_jsonl, score
from ingest.extract.pairs import MODEL_PATH, STANCE, Candidate, PairFeatures, choose, ruled_pairs

C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
FOLDS = 5
REPEATS = 3
# A wrong stance edge costs a reader more than a missing one: the threshold is the best F1 among those
# whose cross-validated precision stays at or above this. On 108 articles 0.55 gave a slightly better
# cross-validated F1 (0.346 against 0.323) but the model it chose cut the team-written set's stance
# precision from 0.86 to 0.76 and broke two of its negatives, so the bar stays here.
MIN_PRECISION = 0.65
NONE = "NONE"


@dataclass
class ArticleData:
    id: str
    contract: dict[str, Any]  # what the rules extract, in the scorer's format
    graph: Any  # the article's ArticleGraph after the rules
    candidates: list[Candidate]
    features: list[dict[str, float]]
    labels: list[str]


def tune_articles(folder: Path) -> tuple[list[tuple[str, Path]], dict[str, dict[str, Any]]]:
    """The tuned part of the development set: (id, text file) and the gold."""
    entries = [e for e in load_index(folder) if e.split == "tune"]
    present, missing, changed = texts_status(folder, entries)
    if missing or changed:
        raise DevSetError(f"texts missing {missing} or changed {changed}: rebuild them first")
    return [(e.id, folder / "texts" / f"{e.id}.txt") for e in present], load_jsonl(folder / "gold.jsonl")


def build(items: list[tuple[str, Path]], gold: dict[str, dict[str, Any]]) -> list[ArticleData]:
    from ingest.extract import get_extractor
    from ingest.extract.lexicons import load_lexicons
    from ingest.load import load_path

    extractor = get_extractor()
    pipe: Any = extractor.nlp.get_pipe("kg_pairs")
    saved, pipe.model = pipe.model, None  # the rules alone: the model must not see its own output
    features = PairFeatures(load_lexicons())
    data = []
    try:
        for doc_id, path in items:
            article = load_path(path)[0].article
            assert article is not None
            doc = extractor.nlp(article.text)
            graph = doc._.kg
            contract = extractor.to_delta(doc, doc_id).to_contract()
            features.reset()
            cands = features.candidates(graph, ruled_pairs(graph))
            g = gold[doc_id]
            wanted = {(r["type"], r["source"], r["target"]) for r in g["relations"]}

            def gold_name(key: str, graph: Any = graph, g: dict[str, Any] = g) -> str | None:
                rec = graph.entities[key]
                found = denoted(
                    {"name": rec.name, "aliases": list(rec.aliases), "type": rec.type}, g["entities"]
                )
                return found["name"] if found else None

            labels = []
            for c in cands:
                s, t = gold_name(c.source), gold_name(c.target)
                labels.append(next((k for k in STANCE if (k, s, t) in wanted), NONE))
            feats = [features.features(graph, c) for c in cands]
            data.append(ArticleData(doc_id, contract, graph, cands, feats, labels))
    finally:
        pipe.model = saved
    return data


def fit(data: list[ArticleData], c: float) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [f for a in data for f in a.features]
    labels = [y for a in data for y in a.labels]
    vec = DictVectorizer(sparse=True)
    x = vec.fit_transform(rows)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    model.fit(x, labels)
    return vec, model


def predict(vec: Any, model: Any, article: ArticleData, threshold: float) -> dict[str, Any]:
    """The article's contract with the model's relations added, as the component would add them."""
    relations = list(article.contract["relations"])
    if article.features:
        classes = [str(c) for c in model.classes_]
        rows = model.predict_proba(vec.transform(article.features))
        probs = [dict(zip(classes, (float(x) for x in row), strict=True)) for row in rows]
        for cand, type_, _ in choose(article.graph, article.candidates, article.features, probs, threshold):
            relations.append(
                {"type": type_, "source": cand.source, "target": cand.target, "rule": "pairs.model"}
            )
    return {**article.contract, "relations": relations}


def cross_validate(
    data: list[ArticleData], gold: dict[str, dict[str, Any]], min_precision: float = MIN_PRECISION
) -> tuple[float, float, Report, float]:
    """(best C, best threshold, the first shuffle's report at those, the mean F1): five folds grouped
    by article, repeated over REPEATS fixed shuffles of the articles, F1 averaged over the repeats."""
    splits = []
    for r in range(REPEATS):
        order = sorted(data, key=lambda a: hashlib.sha256(f"{r}:{a.id}".encode()).hexdigest())
        splits.append([order[i::FOLDS] for i in range(FOLDS)])
    results: list[tuple[float, float, float, Report]] = []
    for c in C_GRID:
        fitted = [
            [fit([a for j, fold in enumerate(folds) if j != k for a in fold], c) for k in range(FOLDS)]
            for folds in splits
        ]
        for threshold in THRESHOLDS:
            f1s, reports = [], []
            for folds, models in zip(splits, fitted, strict=True):
                predicted = {}
                for k, fold in enumerate(folds):
                    vec, model = models[k]
                    for a in fold:
                        predicted[a.id] = predict(vec, model, a, threshold)
                report = score({a.id: gold[a.id] for a in data}, predicted)
                f1s.append(report.stance.f1 if report.stance.precision >= min_precision else 0.0)
                reports.append(report)
            results.append((sum(f1s) / len(f1s), c, threshold, reports[0]))
    f1, c, threshold, report = max(results, key=lambda r: r[0])
    return c, threshold, report, f1


def export(vec: Any, model: Any, threshold: float, trained_on: str) -> dict[str, Any]:
    names = vec.get_feature_names_out()
    weights = {
        cls: {str(n): round(float(w), 6) for n, w in zip(names, row, strict=True) if abs(w) > 1e-6}
        for cls, row in zip(model.classes_, model.coef_, strict=True)
    }
    return {
        "version": "1",
        "classes": [str(c) for c in model.classes_],
        "weights": weights,
        "threshold": threshold,
        "trained_on": trained_on,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest.train_pairs", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only; write nothing")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument(
        "--min-precision",
        type=float,
        default=MIN_PRECISION,
        help=f"lowest cross-validated stance precision a threshold may have (default {MIN_PRECISION})",
    )
    args = parser.parse_args(argv)
    try:
        items, gold = tune_articles(args.folder)
    except DevSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    data = build(items, gold)
    rules_only = score({a.id: gold[a.id] for a in data}, {a.id: a.contract for a in data})
    c, threshold, report, mean_f1 = cross_validate(data, gold, args.min_precision)
    n = sum(len(a.labels) for a in data)
    pos = sum(1 for a in data for y in a.labels if y != NONE)
    print(f"{len(data)} tune articles, {n} candidate pairs, {pos} labelled with a stance")
    for label, r in (
        ("rules only", rules_only),
        (f"rules + model, 5-fold CV (C={c}, p>={threshold})", report),
    ):
        s, rel = r.stance, r.relations
        print(f"{label}: stance {_prf(s)}  relations {_prf(rel)}")
    print(f"mean cross-validated stance F1 over {REPEATS} shuffles: {mean_f1:.3f}")
    if args.dry_run:
        return 0
    vec, model = fit(data, c)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trained_on = f"{len(data)} tune articles of {args.folder}"
    args.out.write_text(
        json.dumps(export(vec, model, threshold, trained_on), indent=1, sort_keys=True) + "\n"
    )
    print(f"wrote {args.out}")
    return 0


def _prf(c: Counts) -> str:
    return f"P={c.precision:.2f} R={c.recall:.2f} F1={c.f1:.2f}"


if __name__ == "__main__":
    sys.exit(main())
