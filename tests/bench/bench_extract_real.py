"""Extraction cost on the real development set's texts: spaCy's `nlp.pipe` alone, the rules without the
pair model, and the full extractor, each over every text REPEAT times, the median of ROUNDS rounds.

    make bench-extract-real            # texts must be rebuilt first (tests/data/realdev/README.md)

No database. The ratios (full / nlp.pipe, full / rules - 1) are what to compare across machines; the
last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import spacy

from ingest.devset import DevSetError, load_index, texts_status
from ingest.extract import get_extractor
from ingest.extract.pipeline import DEFAULT_MODEL
from ingest.load import load_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=Path("tests/data/realdev"))
    parser.add_argument("--repeat", type=int, default=3, help="passes over the texts per timing (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="timings per variant, median kept (default 3)")
    args = parser.parse_args(argv)
    try:
        entries = load_index(args.folder)
    except DevSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    present, missing, changed = texts_status(args.folder, entries)
    if missing or changed:
        print(
            f"error: {len(missing)} texts missing and {len(changed)} changed in {args.folder}/texts; "
            "rebuild them first (tests/data/realdev/README.md)",
            file=sys.stderr,
        )
        return 2
    texts = [load_path(args.folder / "texts" / f"{e.id}.txt")[0].article.text for e in present]
    corpus = texts * args.repeat
    nlp = spacy.load(DEFAULT_MODEL)
    extractor = get_extractor()
    timings: dict[str, list[float]] = {"nlp_pipe": [], "rules": [], "full": []}
    for _ in range(args.rounds):
        began = time.perf_counter()
        for _doc in nlp.pipe(corpus, batch_size=32):
            pass
        timings["nlp_pipe"].append(time.perf_counter() - began)
        with extractor.nlp.select_pipes(disable=["kg_pairs"]):
            began = time.perf_counter()
            list(extractor.extract_many(corpus, batch_size=32))
            timings["rules"].append(time.perf_counter() - began)
        began = time.perf_counter()
        list(extractor.extract_many(corpus, batch_size=32))
        timings["full"].append(time.perf_counter() - began)
    median = {k: statistics.median(v) for k, v in timings.items()}
    result = {
        "texts": len(texts),
        "repeat": args.repeat,
        "seconds": {k: round(v, 2) for k, v in median.items()},
        "full_over_nlp_pipe": round(median["full"] / median["nlp_pipe"], 3),
        "model_overhead": round(median["full"] / median["rules"] - 1, 3),
    }
    print(
        f"{len(texts)} texts x {args.repeat}: nlp.pipe {median['nlp_pipe']:.1f} s, rules "
        f"{median['rules']:.1f} s, full {median['full']:.1f} s -> {result['full_over_nlp_pipe']}x nlp.pipe, "
        f"pair model +{result['model_overhead']:.1%}"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
