"""Where the person look-up's database hits go, at two sizes of the bench-scale graph.

`tests/with_neo4j.sh .venv/bin/python tests/bench/bench_scale_lookup.py --steps 1000,4000` writes the
bench-scale corpus (`tests/bench/bench_scale.py`: same generator, same seed) and at each step PROFILEs
the person look-up (`graph.resolver.LOOKUP_PEOPLE`) of the same probe articles in a rolled-back
transaction. It prints, per step, the median look-up hits, the median number of candidates returned and
how many of them the rules' answer (`ResolutionRules.match`) chose, how many candidates the decisions
(each mention's node, and the bare nodes `plan_absorptions` folds) do not change without, and the
operators with the most hits summed over the probes, so growth can be traced to a part of the statement.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import Population, synthesize, templates  # noqa: E402

from app.config import Settings  # noqa: E402
from app.ingest_service import PERSON_RULES  # noqa: E402
from graph.driver import open_driver, wait_until_ready  # noqa: E402
from graph.resolver import (  # noqa: E402
    LOOKUP_PEOPLE,
    PersonRecord,
    Resolution,
    _profile,
    delta_people,
    lookup_params,
    plan_absorptions,
)
from graph.schema import migrate  # noqa: E402
from graph.writer import write_article  # noqa: E402


def _operators(profile: dict[str, Any], into: Counter[str]) -> None:
    details = str(profile.get("args", {}).get("Details", ""))[:110]
    into[f"{str(profile.get('operatorType', '')).split('@')[0]} {details}"] += int(profile.get("dbHits", 0))
    for child in profile.get("children", []):
        _operators(child, into)


def answer(mentions: list[PersonRecord], people: list[PersonRecord]) -> tuple[Any, ...]:
    """What the rules decide on these candidates: each mention's node, and the bare nodes folded."""
    ids = {m.id: PERSON_RULES.match(m, people) for m in mentions}
    written = {ids.get(m.id, m.id): s for m in mentions if (s := PERSON_RULES.surname(m.name))}
    after = Resolution(ids, tuple(mentions), tuple(people)).people_after_write()
    folds = plan_absorptions(written, PERSON_RULES, after)
    return tuple(sorted(ids.items())), tuple((a.bare, a.into) for a in folds)


def unneeded(mentions: list[PersonRecord], people: list[PersonRecord]) -> Counter[str]:
    """Candidates whose absence alone changes no decision, by kind (a bare-surname node or not)."""
    whole = answer(mentions, people)
    kinds: Counter[str] = Counter()
    for person in people:
        if answer(mentions, [p for p in people if p.id != person.id]) == whole:
            kinds["bare" if PERSON_RULES.is_bare(person.name) else "full name"] += 1
    return kinds


async def profile_lookup(
    driver: Any, db: str, delta: Any
) -> tuple[int, int, int, Counter[str], Counter[str]]:
    mentions = delta_people(delta)
    params = lookup_params(mentions, PERSON_RULES)
    async with driver.session(database=db, notifications_min_severity="OFF") as session:
        tx = await session.begin_transaction()
        try:
            result = await tx.run(
                "PROFILE " + LOOKUP_PEOPLE, params, locks=params["surnames"], now=datetime.now(UTC)
            )
            people = [_profile(r.data()) async for r in result]
            summary = await result.consume()
        finally:
            await tx.rollback()
    ops: Counter[str] = Counter()
    _operators(summary.profile or {}, ops)
    chosen = {PERSON_RULES.match(m, people) for m in mentions}
    used = sum(1 for p in people if p.id in chosen)
    return sum(ops.values()), len(people), used, ops, unneeded(mentions, people)


async def run(args: argparse.Namespace) -> None:
    steps = sorted({int(s) for s in args.steps.split(",")})
    settings = Settings(KG_ENV="test")  # type: ignore[call-arg]
    db = settings.neo4j_database
    driver = open_driver(settings.connection, notifications_min_severity="OFF")
    await wait_until_ready(driver, settings.bolt_uri, timeout=60)
    await migrate(driver, db)
    shapes = templates()
    people = Population(args.people, args.seed)
    rng = random.Random(args.seed)
    probe_rng = random.Random(args.seed + 1)
    probes = [synthesize(k, shapes[k % len(shapes)], people, probe_rng, "probe") for k in range(args.probes)]
    written = 0
    try:
        for step in steps:
            while written < step:
                art, delta = synthesize(written, shapes[rng.randrange(len(shapes))], people, rng, "bench")
                await write_article(driver, db, art, delta, rules=PERSON_RULES, extractor_version="bench")
                written += 1
            hits, found, used = [], [], []
            ops: Counter[str] = Counter()
            spare: Counter[str] = Counter()
            for _, delta in probes:
                h, n, u, o, k = await profile_lookup(driver, db, delta)
                hits.append(h)
                found.append(n)
                used.append(u)
                ops.update(o)
                spare.update(k)
            print(
                f"{written:,} articles: look-up db hits median {statistics.median(hits)}, candidates median "
                f"{statistics.median(found)} (chosen by the rules: median {statistics.median(used)}), "
                f"{len(probes)} probes; candidates whose absence alone changes no decision, summed over "
                f"the probes: {dict(spare)} of {sum(found)}",
                flush=True,
            )
            for name, n in ops.most_common(args.top):
                print(f"  {n:>6} {name}", flush=True)
    finally:
        await driver.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="1000,4000")
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--probes", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--seed", type=int, default=11)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
