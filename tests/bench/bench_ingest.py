"""Ingest throughput on a synthetic corpus: `make bench-ingest` (ARTICLES=1000 WORKERS=2).

The corpus recombines the seed articles' sentences and swaps in other people's names, deterministically
(a fixed random seed), so each article is new text with the seeds' grammar. Measured, in this order:
1. spaCy's `nlp.pipe` alone (the model, no rules), one process;
2. the extraction without the learned pair model, then the full extraction (spaCy + rules + model),
   one process; the ratio to 1 and the model's share are printed;
3. `ingest_paths`: load + extraction on WORKERS processes + resolution + one write transaction per article;
4. the same corpus again, unchanged: a content-hash look-up per batch, plus one load of the extractor to
   learn its full name (an article an older one read would be re-extracted) (target: < 1/10 of 3).
Then peak memory (RSS), and as the last line one JSON object with every figure. The articles it wrote
are deleted afterwards (`--keep` keeps them), so a shared Neo4j is left as it was found.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.ingest_service import delete_article, ingest_paths  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.jobs import job_articles  # noqa: E402
from graph.schema import migrate  # noqa: E402

# People in the seeds, replaced in every synthetic article (full name first, then the bare surname).
SEED_PEOPLE = [
    "Larry Krasner",
    "Todd Lyons",
    "Pete Hegseth",
    "Tom Homan",
    "Kendra Brooks",
    "Rue Landau",
    "George Soros",
    "Jarrett Coleman",
    "Abigail Jackson",
    "Rochelle Bilal",
    "Cherelle Parker",
    "Brandon Johnson",
    "Donald Trump",
]
FIRST_NAMES = """Alicia Marcus Denise Tobias Renee Victor Helena Desmond Priya Gareth Lucinda Omar Sabrina
Franklin Ingrid Malcolm Yvonne Reginald Tamara Cornelius Beatrice Rafael Simone Harold Imani Leopold
Gwendolyn Ernesto Noreen Augustin Fiona Percival Marisol Wendell Octavia Bernard Celeste Dmitri Rosalind
Thaddeus""".split()
SURNAMES = """Abernathy Okafor Lindqvist Castellano Whitfield Marchetti Oyelaran Haverford Delacroix Brennan
Nakamura Petrovic Fairbanks Quintero Ellsworth Mbeki Tanaka Ashworth Villanueva Kowalczyk Blackwood
Rutherford Esposito Gallagher Montague Achterberg Szabo Holloway Ferreira Lockhart Iwasaki Drummond
Castillo Pemberton Novak Okonkwo Sinclair Valdez Hargreaves Lindholm""".split()


def seed_sentences() -> list[str]:
    from ingest.load import iter_inputs

    sentences: list[str] = []
    for result in iter_inputs([ROOT / "seeds"]):
        if result.article is None:
            continue
        for paragraph in result.article.text.split("\n"):
            parts = re.split(r"(?<=[.!?’'\"])\s+(?=[A-Z‘'\"])", paragraph.strip())
            sentences.extend(p for p in parts if len(p.split()) >= 6)
    return sentences


def swap_names(text: str, mapping: dict[str, str]) -> str:
    for old, new in mapping.items():
        text = text.replace(old, new)
        text = text.replace(old.split()[-1], new.split()[-1])
    return text


def build_corpus(n: int, seed: int) -> list[tuple[str, str]]:
    """(title, body) pairs; same n and seed, same corpus."""
    rng = random.Random(seed)
    pool = seed_sentences()
    corpus = []
    for i in range(n):
        mapping = {old: f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for old in SEED_PEOPLE}
        start = rng.randrange(len(pool))
        window = [pool[(start + k) % len(pool)] for k in range(rng.randint(6, 10))]
        extra = rng.sample(pool, rng.randint(3, 6))
        body = " ".join(swap_names(s, mapping) for s in window + extra)
        lead = mapping[rng.choice(SEED_PEOPLE)]
        corpus.append((f"Report {i}: {lead} in the news", body))
    return corpus


def rate(n: int, words: int, seconds: float) -> dict[str, float]:
    return {
        "seconds": round(seconds, 2),
        "articles_per_s": round(n / seconds, 2) if seconds else 0.0,
        "words_per_s": round(words / seconds, 1) if seconds else 0.0,
    }


def peak_rss_mb() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mb": round(own, 1), "peak_rss_children_mb": round(children, 1)}


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from ingest.extract import get_extractor
    from ingest.load import iter_inputs

    settings = Settings()
    corpus = build_corpus(args.articles, args.seed)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        folder = Path(tmp)
        for i, (title, body) in enumerate(corpus):
            (folder / f"article-{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        articles = [r.article for r in iter_inputs([folder]) if r.article is not None]
        n = len(articles)
        words = sum(len(a.text.split()) for a in articles)
        print(f"corpus: {n} articles, {words:,} words ({args.articles - n} refused by the loader)")
        figures: dict[str, Any] = {"articles": n, "words": words, "workers": args.workers}

        nlp = spacy.load(settings.spacy_model)
        began = time.perf_counter()
        for _ in nlp.pipe((a.text for a in articles), batch_size=32):
            pass
        figures["nlp_pipe"] = rate(n, words, time.perf_counter() - began)
        print(f"nlp.pipe alone:     {figures['nlp_pipe']}")
        del nlp

        extractor = get_extractor(settings.spacy_model)
        # The learned pair model's share (target: at most 20% on top of the rules): rules alone first.
        with extractor.nlp.select_pipes(disable=["kg_pairs"]):
            began = time.perf_counter()
            for _ in extractor.extract_many(articles, batch_size=32):
                pass
            figures["extract_without_model"] = rate(n, words, time.perf_counter() - began)
        print(f"rules, no model:    {figures['extract_without_model']}")
        began = time.perf_counter()
        relations = sum(len(d.relations) for d in extractor.extract_many(articles, batch_size=32))
        figures["extract"] = {**rate(n, words, time.perf_counter() - began), "relations": relations}
        # The target: extraction costs at most 1.5x spaCy's nlp.pipe on the same texts.
        figures["extract_to_pipe_ratio"] = round(
            figures["extract"]["seconds"] / figures["nlp_pipe"]["seconds"], 3
        )
        figures["model_overhead"] = round(
            figures["extract"]["seconds"] / figures["extract_without_model"]["seconds"] - 1, 3
        )
        print(
            f"full extraction:    {figures['extract']} ({figures['extract_to_pipe_ratio']}x nlp.pipe, "
            f"pair model +{figures['model_overhead']:.0%})"
        )

        driver = open_driver(settings.connection, connection_timeout=settings.neo4j_connect_timeout_s)
        try:
            await wait_until_ready(driver, settings.bolt_uri, timeout=60)
            await migrate(driver, settings.neo4j_database)
            began = time.perf_counter()
            first = await ingest_paths(driver, settings, [folder], workers=args.workers)
            first_s = time.perf_counter() - began
            figures["ingest"] = {
                **rate(n, words, first_s),
                "ingested": first.ingested,
                "unchanged": first.unchanged,
                "failed": first.failed,
                "entities_written": first.entities_written,
                "relations_written": first.relations_written,
            }
            print(f"extraction + write: {figures['ingest']}")

            began = time.perf_counter()
            second = await ingest_paths(driver, settings, [folder], workers=args.workers)
            second_s = time.perf_counter() - began
            figures["reingest_unchanged"] = {
                "seconds": round(second_s, 2),
                "unchanged": second.unchanged,
                "ingested": second.ingested,
                "ratio_to_first": round(second_s / first_s, 4) if first_s else None,
            }
            print(f"unchanged again:    {figures['reingest_unchanged']}")

            if not args.keep:
                began = time.perf_counter()
                db, after = settings.neo4j_database, None
                while rows := await job_articles(driver, db, first.job_id, limit=500, after=after):
                    after = rows[-1][2]
                    for article_id, outcome, _ in rows:
                        if outcome == "ingested":
                            await delete_article(driver, db, article_id)
                figures["cleanup_seconds"] = round(time.perf_counter() - began, 2)
        finally:
            await driver.close()
    figures.update(peak_rss_mb())
    own, workers = figures["peak_rss_mb"], figures["peak_rss_children_mb"]
    print(f"peak memory: {own} MB (this process), {workers} MB (largest worker)")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic articles (default 1000)")
    parser.add_argument(
        "--workers", type=int, default=2, help="extraction processes for the ingest (default 2)"
    )
    parser.add_argument("--seed", type=int, default=20240601, help="corpus random seed")
    parser.add_argument("--keep", action="store_true", help="leave the articles in the graph")
    figures = asyncio.run(bench(parser.parse_args()))
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
