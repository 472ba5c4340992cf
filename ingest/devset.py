"""The real-text development set: an index of public articles, gold annotations, and texts rebuilt locally.

Third-party article text never enters the repository. `tests/data/realdev/index.jsonl` records, for each
article, the exact search query and rank that return it, its url, outlet, topic and split ("tune" rules
may be fitted on; "blind" nobody tunes on), and the SHA-256 of the text as annotated (folded: see
`text_hash`). The texts live in a
git-ignored folder, rebuilt on each machine from the same query (see `rebuild`), and a text whose hash
differs from the index is reported rather than silently scored.

    python -m ingest.devset check tests/data/realdev            # index, gold and texts agree
    python -m ingest.devset score tests/data/realdev            # tune and blind parts, side by side
    python -m ingest.devset queries tests/data/realdev          # the distinct queries to run
    python -m ingest.devset rebuild tests/data/realdev RESULTS  # texts from saved search results
    python -m ingest.devset folders seeds GOLD tests/data/heldout GOLD  # the team's written sets
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.evaluate import Report, load_jsonl, report_table, score

INDEX = "index.jsonl"
GOLD = "gold.jsonl"
TEXTS = "texts"
SPLITS = ("tune", "blind")
INDEX_FIELDS = {"id", "url", "query", "rank", "outlet", "country", "topic", "split", "sha256"}


class DevSetError(Exception):
    """The development set's files disagree; the message names the file, the article and the field."""


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    query: str
    rank: int
    outlet: str
    country: str
    topic: str
    split: str
    sha256: str


# typographic quotes and dashes as the loader writes them (ingest/load/normalize.py does the same)
QUOTE_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def text_hash(text: str) -> str:
    """SHA-256 of the text with Unicode compatibility forms, quote and dash styles and white space folded:
    a text rebuilt by copying a search answer by hand matches whatever the typing changed of that."""
    folded = " ".join(unicodedata.normalize("NFKC", text).translate(QUOTE_FOLD).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def load_index(folder: Path) -> list[Entry]:
    path = folder / INDEX
    entries = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            missing = INDEX_FIELDS - row.keys()
            unknown = row.keys() - INDEX_FIELDS
            if missing or unknown:
                raise DevSetError(f"{path}:{n}: missing {sorted(missing)}, unknown {sorted(unknown)}")
            if row["split"] not in SPLITS:
                raise DevSetError(f"{path}:{n}: split must be one of {SPLITS}, not {row['split']!r}")
            entries.append(Entry(**row))
    ids = Counter(e.id for e in entries)
    dupes = [i for i, c in ids.items() if c > 1]
    if dupes:
        raise DevSetError(f"{path}: duplicate ids {dupes}")
    return entries


def check(folder: Path) -> list[str]:
    """Problems with the committed files (index and gold agree, gold refers only to its own entities)."""
    problems: list[str] = []
    entries = load_index(folder)
    gold = load_jsonl(folder / GOLD)
    ids = {e.id for e in entries}
    problems += [f"gold has no index entry: {i}" for i in sorted(gold.keys() - ids)]
    problems += [f"index entry has no gold: {i}" for i in sorted(ids - gold.keys())]
    for doc_id, g in gold.items():
        names = {e["name"] for e in g["entities"]}
        for r in g["relations"]:
            for end in ("source", "target"):
                if r[end] not in names:
                    problems.append(f"{doc_id}: {r['type']} {end} {r[end]!r} is not an entity of the article")
        for neg in g.get("negatives", []):
            for end in ("source", "target"):
                if neg[end] != "*" and neg[end] not in names:
                    problems.append(f"{doc_id}: negative {end} {neg[end]!r} is not an entity of the article")
    return problems


def texts_status(folder: Path, entries: Iterable[Entry]) -> tuple[list[Entry], list[str], list[str]]:
    """(entries whose text is present and matches, ids missing, ids whose text differs from the index)."""
    present, missing, changed = [], [], []
    for e in entries:
        path = folder / TEXTS / f"{e.id}.txt"
        if not path.exists():
            missing.append(e.id)
        elif text_hash(path.read_text(encoding="utf-8")) != e.sha256:
            changed.append(e.id)
        else:
            present.append(e)
    return present, missing, changed


def rebuild(folder: Path, results: Path) -> tuple[int, list[str]]:
    """Write texts from saved search answers: JSON lines of {"query", "results": [{"url", "excerpt"}]}.

    The search tool is not a shell command, so whoever rebuilds runs each index entry's query through it
    (corpus `pages`) and saves the answers; here the result whose url matches the entry becomes its text.
    Returns (texts written, ids still missing).
    """
    by_url: dict[str, str] = {}
    with results.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                answer = json.loads(line)
                for r in answer.get("results", []):
                    by_url.setdefault(r["url"], r["excerpt"])
    (folder / TEXTS).mkdir(exist_ok=True)
    written, missing = 0, []
    for e in load_index(folder):
        excerpt = by_url.get(e.url)
        if excerpt is None:
            missing.append(e.id)
            continue
        (folder / TEXTS / f"{e.id}.txt").write_text(excerpt, encoding="utf-8")
        written += 1
    return written, missing


def predict(paths: Mapping[str, Path]) -> dict[str, dict[str, Any]]:
    """Extract every text file as `kg extract` does (same loader and cleaning), in the scorer's format."""
    from ingest.extract import get_extractor
    from ingest.load import load_path

    articles = []
    for doc_id, path in paths.items():
        loaded = [r.article for r in load_path(path) if r.article is not None]
        if len(loaded) != 1:
            raise DevSetError(f"{path}: the loader refused the text")
        articles.append(loaded[0].model_copy(update={"name": doc_id}))
    return {d.id: d.to_contract() for d in get_extractor().extract_many(articles)}


def score_parts(folder: Path) -> dict[str, Report]:
    entries = load_index(folder)
    present, missing, changed = texts_status(folder, entries)
    if missing or changed:
        raise DevSetError(
            f"{len(missing)} of {len(entries)} texts are missing and {len(changed)} differ from the index "
            f"under {folder / TEXTS}: rebuild them first (python -m ingest.devset --help)"
        )
    gold = load_jsonl(folder / GOLD)
    predicted = predict({e.id: folder / TEXTS / f"{e.id}.txt" for e in present})
    reports = {}
    for split in SPLITS:
        ids = {e.id for e in present if e.split == split}
        reports[split] = score({i: gold[i] for i in ids}, {i: predicted[i] for i in ids})
    return reports


def score_folders(pairs: list[tuple[Path, Path]]) -> dict[str, Report]:
    """Score folders of articles written and annotated by the team (the seeds, tests/data/heldout)
    against their gold files, one report per folder, named by the folder."""
    reports = {}
    for texts, gold_path in pairs:
        gold = load_jsonl(gold_path)
        paths = {p.stem: p for p in sorted(texts.glob("*.txt")) if p.stem in gold}
        reports[texts.name] = score(gold, predict(paths))
    return reports


def describe(folder: Path) -> str:
    entries = load_index(folder)
    outlets = {e.outlet for e in entries}
    countries = Counter(e.country for e in entries)
    topics = Counter(e.topic for e in entries)
    splits = Counter(e.split for e in entries)
    return (
        f"{len(entries)} articles, {len(outlets)} outlets, countries {dict(countries)}, "
        f"splits {dict(splits)}\ntopics {dict(topics)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.devset", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check").add_argument("folder", type=Path)
    sub.add_parser("queries", help="the distinct search queries that rebuild the texts").add_argument(
        "folder", type=Path
    )
    p = sub.add_parser("score")
    p.add_argument("folder", type=Path)
    p.add_argument("--details", action="store_true", help="list misses and false positives (tune part only)")
    p = sub.add_parser("folders", help="score folders of written articles: TEXTS GOLD [TEXTS GOLD ...]")
    p.add_argument("pairs", nargs="+", type=Path)
    p = sub.add_parser("rebuild")
    p.add_argument("folder", type=Path)
    p.add_argument("results", type=Path, help="saved search answers, one JSON object per line")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            problems = check(args.folder)
            print(describe(args.folder))
            for problem in problems:
                print("problem:", problem)
            return 1 if problems else 0
        if args.command == "queries":
            for query in dict.fromkeys(e.query for e in load_index(args.folder)):
                print(query)
            return 0
        if args.command == "folders":
            if len(args.pairs) % 2:
                print("error: folders takes TEXTS GOLD pairs", file=sys.stderr)
                return 2
            pairs = list(zip(args.pairs[::2], args.pairs[1::2], strict=True))
            print(report_table(score_folders(pairs)))
            return 0
        if args.command == "rebuild":
            written, missing = rebuild(args.folder, args.results)
            print(f"{written} texts written; {len(missing)} not in the saved answers: {missing}")
            return 1 if missing else 0
        reports = score_parts(args.folder)
    except (DevSetError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(describe(args.folder))
    print(report_table(reports))
    if args.details:
        r = reports["tune"]
        for m in r.misses:
            print("missed:", m)
        for f in r.false_positives:
            print("false positive:", f)
        for v in r.violations:
            print("NEGATIVE VIOLATED:", v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
