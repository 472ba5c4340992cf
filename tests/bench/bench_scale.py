"""Growth bench: does an article cost the same to write into a big graph as into a small one?

`make bench-scale` (STEPS=1000,5000,20000) writes a generated corpus into an empty Neo4j, one article per
transaction through the production writer (`graph.writer.write_article` with the resolution rules, as
`kg ingest` runs it), and at each step prints:
- per-article write time: median and mean over the last articles written before the step;
- write-path database hits per article: the same 20 probe articles PROFILEd through the writer's
  transaction function (`graph.profiling.PlanLog`) and rolled back, so every step measures the same work;
- peak RSS of this process;
- p50 of `responses` (the most written-about person), unfiltered `relations` (first 20), `articles`
  (first 20, newest first) and a depth-2 `subgraph`, through the HTTP API (`kg serve` in a
  subprocess), 15 requests each;
- the graph's size: people, nodes, relationships.
The last line is one JSON object with every figure and the ratios of the last step to the first.

Extraction is left out on purpose: it is a pure function of the text, runs in worker processes ahead
of the writer (issue 10 measured the loop waiting 6-27 ms per article on it), and its cost does not
depend on the graph. The corpus is extraction-shaped: the deltas of the seeds and the team's held-out
articles, extracted once, with their people replaced by people drawn from a population whose names
follow census-shaped frequencies (the most common US surnames and given names with their approximate
frequencies, then a Zipf tail), and who appear in articles with Zipf popularity, so a few people are in
thousands of articles, surnames repeat as they do in real life, and new people keep arriving. Some hold
an office, which the articles mention. Same seed, same corpus.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.ingest_service import PERSON_RULES  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.launcher import free_port  # noqa: E402
from graph.profiling import PlanLog  # noqa: E402
from graph.schema import migrate, migrate_data  # noqa: E402
from graph.writer import _write_tx, write_article  # noqa: E402
from ingest.models import Article, Entity, GraphDelta, Relation, entity_id  # noqa: E402

# The most common US surnames with their approximate counts in the 2010 census (rounded), then a tail.
SURNAMES = """Smith 2443 Johnson 1933 Williams 1625 Brown 1437 Jones 1425 Garcia 1166 Miller 1161 Davis 1116
Rodriguez 1095 Martinez 1060 Hernandez 1043 Lopez 875 Gonzalez 841 Wilson 802 Anderson 784 Thomas 756
Taylor 751 Moore 724 Jackson 708 Martin 703 Lee 693 Perez 682 Thompson 665 White 660 Harris 624
Sanchez 613 Clark 563 Ramirez 557 Lewis 532 Robinson 530 Walker 523 Young 484 Allen 483 King 465
Wright 459 Scott 440 Torres 438 Nguyen 438 Hill 435 Flores 434 Green 430 Adams 428 Nelson 425
Baker 420 Hall 407 Rivera 420 Campbell 372 Mitchell 367 Carter 363 Roberts 361"""
# Given names with approximate shares per 10,000 people (census-era frequency lists, both sexes).
GIVEN = """James 166 John 161 Robert 157 Michael 131 William 121 Mary 131 David 118 Richard 84 Charles 82
Joseph 80 Thomas 76 Patricia 56 Linda 52 Barbara 49 Elizabeth 47 Jennifer 46 Maria 42 Susan 40
Margaret 38 Dorothy 36 Christopher 51 Daniel 49 Paul 45 Mark 44 Donald 44 George 43 Kenneth 41
Steven 39 Edward 37 Brian 37 Ronald 36 Anthony 35 Kevin 34 Jason 33 Lisa 35 Nancy 34 Karen 33
Betty 33 Helen 32 Sandra 31 Donna 29 Carol 29 Ruth 28 Sharon 27 Michelle 27 Laura 26 Sarah 26
Kimberly 26 Deborah 25 Jessica 25 Shirley 24 Cynthia 23 Angela 23 Melissa 23 Brenda 22 Amy 22
Anna 22 Rebecca 21 Virginia 21 Kathleen 21 Pamela 21 Martha 20 Debra 20 Amanda 20 Stephanie 20
Carolyn 19 Christine 19 Marie 19 Janet 19 Catherine 19 Frances 19 Ann 18 Joyce 18 Diane 18 Kendra 5
Larry 30 Jeffrey 30 Frank 30 Scott 30 Eric 29 Stephen 29 Andrew 28 Raymond 28 Gregory 26 Joshua 26
Jerry 25 Dennis 24 Walter 24 Patrick 23 Peter 23 Harold 22 Douglas 22 Henry 22 Carl 22 Arthur 21
Ryan 21 Roger 21 Rochelle 4 Cherelle 1 Brandon 18 Todd 12 Tom 10 Rue 1 Abigail 8 Jarrett 2"""
OFFICE_TITLES = (
    "Mayor",
    "Senator",
    "Governor",
    "District Attorney",
    "Sheriff",
    "Council Member",
    "Commissioner",
)
SYLLABLES = (
    "ka lo ven dra mor tel si ban quo rey hal fen dus pri ow gar lin stro be mack ner wy zo tam".split()
)


def _table(text: str) -> tuple[list[str], list[float]]:
    words = text.split()
    return words[0::2], [float(w) for w in words[1::2]]


@dataclass(frozen=True)
class Someone:
    given: str
    surname: str
    office: tuple[str, str] | None  # (title, jurisdiction)

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"


class Population:
    """People with census-shaped names; who appears in an article follows Zipf popularity."""

    def __init__(self, size: int, seed: int) -> None:
        rng = random.Random(seed)
        top, counts = _table(SURNAMES)
        tail = [self._coined(rank, rng) for rank in range(len(top) + 1, 40_001)]
        # Continue the census curve past its head: the count at rank r falls as 1/r.
        last = counts[-1] * len(top)
        weights = counts + [last / rank for rank in range(len(top) + 1, 40_001)]
        surnames = top + tail
        given, given_w = _table(GIVEN)
        places = [f"{self._coined(k, rng).capitalize()}ton" for k in range(300)]
        cum_s = list(itertools.accumulate(weights))
        cum_g = list(itertools.accumulate(given_w))
        self.people = [
            Someone(
                given[bisect.bisect(cum_g, rng.random() * cum_g[-1])],
                surnames[bisect.bisect(cum_s, rng.random() * cum_s[-1])],
                (rng.choice(OFFICE_TITLES), rng.choice(places)) if rng.random() < 0.3 else None,
            )
            for _ in range(size)
        ]
        rng.shuffle(self.people)
        self._cum = list(itertools.accumulate(1 / (i + 1) for i in range(size)))

    @staticmethod
    def _coined(rank: int, rng: random.Random) -> str:
        parts = [rng.choice(SYLLABLES) for _ in range(2 + rank % 2)]
        return "".join(parts).capitalize() + ("s" if rank % 5 == 0 else "")

    def draw(self, rng: random.Random) -> Someone:
        return self.people[bisect.bisect(self._cum, rng.random() * self._cum[-1])]


def templates() -> list[tuple[Article, GraphDelta]]:
    """The seeds' and held-out articles' extractions: the shape every synthetic article copies."""
    from ingest.extract import get_extractor
    from ingest.load import iter_inputs

    articles = [
        r.article
        for r in iter_inputs([ROOT / "seeds", ROOT / "tests" / "data" / "heldout"])
        if r.article is not None
    ]
    extractor = get_extractor(Settings().spacy_model)  # type: ignore[call-arg]
    deltas = list(extractor.extract_many(articles, batch_size=8))
    return [
        (a, d) for a, d in zip(articles, deltas, strict=True) if any(e.type == "Person" for e in d.entities)
    ]


def _surname(name: str) -> str:
    return name.split()[-1]


def synthesize(
    i: int, template: tuple[Article, GraphDelta], people: Population, rng: random.Random, tag: str
) -> tuple[Article, GraphDelta]:
    """Article `i`: the template with each of its people replaced by someone drawn from the population."""
    art, delta = template
    swaps: list[tuple[str, str]] = []
    chosen: dict[str, Someone] = {}
    for e in delta.entities:
        if e.type == "Person":
            who = people.draw(rng)
            chosen[e.id] = who
            bare = len(e.name.split()) == 1
            swaps.append((e.name, who.surname if bare else who.name))
            if not bare:
                swaps.append((_surname(e.name), who.surname))

    def swap(text: str) -> str:
        for old, new in sorted(swaps, key=lambda s: -len(s[0])):
            text = text.replace(old, new)
        return text

    ids: dict[str, str] = {}
    entities: dict[str, Entity] = {}
    for e in delta.entities:
        if e.type == "Person":
            name = swap(e.name)
            new = e.model_copy(
                update={
                    "id": entity_id("Person", name),
                    "name": name,
                    "aliases": [swap(a) for a in e.aliases],
                    "properties": {},  # the template person's gender is not the new one's
                }
            )
        else:
            new = e
        ids[e.id] = new.id
        entities.setdefault(new.id, new)
    relations: list[Relation] = []
    for r in delta.relations:
        source, target = ids[r.source], ids[r.target]
        if r.type == "HOLDS_OFFICE":
            office = chosen[r.source].office if r.source in chosen else None
            if office is None:
                continue
            title, place = office
            name = f"{title} of {place}"
            target = entity_id("Office", name)
            entities.setdefault(
                target,
                Entity(
                    id=target, type="Office", name=name, properties={"title": title, "jurisdiction": place}
                ),
            )
        relations.append(
            r.model_copy(
                update={
                    "source": source,
                    "target": target,
                    "evidence": swap(r.evidence),
                    "quote": r.quote and swap(r.quote),
                }
            )
        )
    text = swap(art.text)
    title = f"{tag} report {i}"
    published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=17 * i)
    new_art = Article(id=Article.content_hash(text, title), text=text, title=title, published_at=published)
    return new_art, GraphDelta(
        id=new_art.id, entities=list(entities.values()), relations=relations, extractor=delta.extractor
    )


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def p50(values: list[float]) -> float:
    return round(statistics.median(values), 2) if values else 0.0


RESPONSES = (
    "query($to: String!) { responses(to: $to, first: 20) { type responder { name } evidence { sentence } } }"
)
RELATIONS = "{ relations(first: 20) { nodes { type source { name } target { name } } } }"
SUBGRAPH = "query($c: String!) { subgraph(center: $c, depth: 2, limit: 200) { nodes { id } edges { id } } }"
ARTICLES = "{ articles(first: 20) { nodes { id title publishedAt } } }"


async def api_p50(client: httpx.AsyncClient, star: str, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, query, variables in (
        ("responses", RESPONSES, {"to": star}),
        ("relations", RELATIONS, {}),
        ("articles", ARTICLES, {}),
        ("subgraph_depth2", SUBGRAPH, {"c": star}),
    ):
        times, errors = [], 0
        for _ in range(repeat):
            began = time.perf_counter()
            answer = await client.post("/graphql", json={"query": query, "variables": variables})
            times.append((time.perf_counter() - began) * 1000)
            body = (
                answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
            )
            if answer.status_code != 200 or body.get("errors"):
                errors += 1
                if errors == 1:
                    print(f"  {key}: {answer.status_code} {str(body.get('errors'))[:300]}")
        out[key] = {"p50_ms": p50(times), "errors": errors}
    return out


async def graph_size(driver: Any, db: str) -> dict[str, int]:
    records, _, _ = await driver.execute_query(
        "CALL () { MATCH (p:Person) RETURN count(p) AS people } "
        "CALL () { MATCH (n) WHERE n:Entity OR n:Article RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } "
        "CALL () { MATCH ()-[r:HOLDS_OFFICE]->() RETURN count(r) AS holds_office } "
        "RETURN people, nodes, relationships, holds_office",
        database_=db,
    )
    return dict(records[0])


def spawn_api(port: int) -> subprocess.Popen[bytes]:
    """The service as users run it (`kg serve`), minus the access log."""
    kg = str(Path(sys.executable).with_name("kg"))
    return subprocess.Popen(
        [kg, "serve", "--port", str(port), "--no-access-log", "--no-load-seeds"],
        cwd=ROOT,
        env={**os.environ, "KG_ENV": "test"},
        stdout=subprocess.DEVNULL,
    )


async def start_api(port: int) -> subprocess.Popen[bytes]:
    proc = spawn_api(port)
    async with httpx.AsyncClient() as client:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit("the API server exited during start-up")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/health", timeout=2)).status_code == 200:
                    return proc
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
    proc.terminate()
    raise SystemExit("the API did not answer within 120 s")


def statement_names() -> dict[str, str]:
    """The write path's named statements (module constants of the writer, the resolver and
    `graph.holdings`), by their text as `PlanLog` keeps it."""
    import graph.holdings
    import graph.resolver
    import graph.writer

    names: dict[str, str] = {}
    for module in (graph.writer, graph.resolver, graph.holdings):
        short = module.__name__.split(".")[-1]
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and ("MATCH" in value or "MERGE" in value):
                names.setdefault(" ".join(value.split()), f"{short}.{name}")
    return names


def per_statement(plans: list[Any], names: dict[str, str]) -> dict[str, int]:
    """One probe's db hits per named statement (the rest as `other`)."""
    hits: dict[str, int] = {}
    for plan in plans:
        name = names.get(plan.query)
        if name is None:
            name = next((n for text, n in names.items() if plan.query.endswith(text)), "other")
        hits[name] = hits.get(name, 0) + plan.db_hits
    return hits


async def migration_ms(driver: Any, db: str) -> dict[str, float]:
    """What a start-up's migration costs on this graph (`graph.schema.migrate`, which finds the graph
    marked as migrated), and what the data migrations it skips cost when run anyway (`migrate_data`)."""
    t0 = time.perf_counter()
    await migrate(driver, db)
    t1 = time.perf_counter()
    await migrate_data(driver, db)
    t2 = time.perf_counter()
    return {
        "start_up_migration_ms": round((t1 - t0) * 1000, 1),
        "data_migrations_ms": round((t2 - t1) * 1000, 1),
    }


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    steps = sorted({int(s) for s in args.steps.split(",")})
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    db = settings.neo4j_database
    driver = open_driver(settings.connection, notifications_min_severity="OFF")
    await wait_until_ready(driver, settings.bolt_uri, timeout=60)
    await migrate(driver, db)
    if (await graph_size(driver, db))["nodes"] and not args.allow_data:
        raise SystemExit("the graph is not empty: run through tests/with_neo4j.sh (or pass --allow-data)")

    began = time.perf_counter()
    shapes = templates()
    people = Population(args.people, args.seed)
    rng = random.Random(args.seed)
    probe_rng = random.Random(args.seed + 1)
    probes = [synthesize(k, shapes[k % len(shapes)], people, probe_rng, "probe") for k in range(args.probes)]
    star = people.people[0].name  # the most popular person: the hub a reader asks about
    print(
        f"corpus: {len(shapes)} extracted templates, a population of {args.people:,} people, steps {steps}; "
        f"set-up {time.perf_counter() - began:.1f} s; hub: {star}"
    )
    version = "bench"
    names = statement_names()
    port = free_port()
    api = await start_api(port)
    results: list[dict[str, Any]] = []
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            written = 0
            times: list[float] = []
            for step in steps:
                while written < step:
                    art, delta = synthesize(written, shapes[rng.randrange(len(shapes))], people, rng, "bench")
                    t0 = time.perf_counter()
                    await write_article(driver, db, art, delta, rules=PERSON_RULES, extractor_version=version)
                    times.append((time.perf_counter() - t0) * 1000)
                    written += 1
                window = times[-min(args.window, len(times)) :]
                hits = []
                by_statement: list[dict[str, int]] = []
                for art, delta in probes:
                    log = PlanLog()
                    now = datetime.now(UTC)
                    await log.transaction(
                        driver, db, _write_tx, art, delta, version, now, PERSON_RULES, commit=False
                    )
                    hits.append(log.db_hits)
                    by_statement.append(per_statement(log.plans, names))
                row: dict[str, Any] = {
                    "articles": written,
                    "write_ms_median": round(statistics.median(window), 2),
                    "write_ms_mean": round(statistics.fmean(window), 2),
                    "db_hits_per_article_median": statistics.median(hits),
                    "db_hits_per_article_mean": round(statistics.fmean(hits), 1),
                    # Median over the probes of each statement's hits (0 for a probe that ran none).
                    "db_hits_by_statement_median": {
                        name: statistics.median(h.get(name, 0) for h in by_statement)
                        for name in sorted({n for h in by_statement for n in h})
                    },
                    "peak_rss_mb": peak_rss_mb(),
                    **await migration_ms(driver, db),
                    **await graph_size(driver, db),
                    "api": await api_p50(client, star, args.repeat),
                }
                results.append(row)
                api_line = "  ".join(f"{k} p50 {v['p50_ms']} ms" for k, v in row["api"].items())
                print(
                    f"{written:>7,} articles: write {row['write_ms_median']} ms median "
                    f"({row['write_ms_mean']} mean, last {len(window)}); db hits/article "
                    f"{row['db_hits_per_article_median']} median ({row['db_hits_per_article_mean']} mean, "
                    f"{len(probes)} probes); peak RSS {row['peak_rss_mb']} MB; {row['people']:,} people, "
                    f"{row['nodes']:,} nodes, {row['relationships']:,} rels "
                    f"({row['holds_office']:,} HOLDS_OFFICE); "
                    f"{api_line}",
                    flush=True,
                )
                print(
                    f"  start-up migration {row['start_up_migration_ms']} ms (the data migrations, which a "
                    f"marked graph skips: {row['data_migrations_ms']} ms)",
                    flush=True,
                )
                print(
                    "  db hits per statement (median of the probes): "
                    + ", ".join(f"{k} {v}" for k, v in row["db_hits_by_statement_median"].items() if v),
                    flush=True,
                )
    finally:
        api.terminate()
        api.wait(timeout=30)
        await driver.close()
    first, last = results[0], results[-1]
    ratios = {
        "write_ms_median": round(last["write_ms_median"] / first["write_ms_median"], 3),
        "db_hits_per_article_median": round(
            last["db_hits_per_article_median"] / first["db_hits_per_article_median"], 3
        ),
        **{
            f"api_{k}_p50": round(last["api"][k]["p50_ms"] / first["api"][k]["p50_ms"], 3)
            for k in first["api"]
            if first["api"][k]["p50_ms"]
        },
    }
    reads = ", ".join(
        f"{k} x{ratios[f'api_{k}_p50']}"
        for k in ("responses", "relations", "articles")
        if f"api_{k}_p50" in ratios
    )
    print(
        f"last step / first step: write time x{ratios['write_ms_median']} (target <= 1.2), "
        f"db hits x{ratios['db_hits_per_article_median']} (target within 0.9-1.1); "
        f"p50 {reads} (target <= 1.5 each); subgraph depth 2 x{ratios.get('api_subgraph_depth2_p50')}"
    )
    return {"steps": results, "ratios_last_to_first": ratios, "people": args.people, "seed": args.seed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="1000,5000,20000", help="article counts to measure at")
    parser.add_argument("--people", type=int, default=30_000, help="size of the population drawn from")
    parser.add_argument("--window", type=int, default=300, help="last writes timed at each step")
    parser.add_argument("--probes", type=int, default=20, help="probe articles PROFILEd at each step")
    parser.add_argument("--repeat", type=int, default=15, help="API requests per query at each step")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--allow-data", action="store_true", help="run on a graph that has data already")
    figures = asyncio.run(bench(parser.parse_args()))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
