"""`kg extract --deltas` -> `kg ingest --deltas`, and the Dask backfill, give the graph `kg ingest` gives.

The corpus is the project's synthetic generator (tests/bench/bench_ingest.py): seed sentences with other
people's names, so surnames repeat across articles and bare surnames must be resolved. Each way of
loading is compared on the articles' footprint (their entities, mentions and every relationship of
those entities, timestamps left out), the rest of the graph being the same for each.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest
from neo4j import AsyncDriver

from app.backfill.local import ingest_deltas
from app.config import Settings
from app.ingest_service import delete_article, get_job, ingest_paths
from graph.census import footprint
from ingest.deltas import DeltaRecord, read_records

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
KG = str(ROOT / ".venv" / "bin" / "kg")
ARTICLES = 14


def generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "bench_ingest", ROOT / "tests" / "bench" / "bench_ingest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """Texts, their deltas file (made by `kg extract --deltas`, a real subprocess) and the article ids."""
    folder = tmp_path_factory.mktemp("backfill-texts")
    for i, (title, body) in enumerate(generator().build_corpus(ARTICLES, 20261130)):
        (folder / f"article-{i:03d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    deltas = tmp_path_factory.mktemp("backfill-deltas") / "corpus.jsonl"
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    with deltas.open("w") as out:
        done = subprocess.run(
            [KG, "extract", str(folder), "--deltas"], stdout=out, stderr=subprocess.PIPE, text=True, env=env
        )
    assert done.returncode == 0, done.stderr
    ids = [
        r.article.id for r in read_records(deltas, max_article_bytes=1_000_000) if isinstance(r, DeltaRecord)
    ]
    assert len(ids) == ARTICLES
    return folder, deltas, ids


def fold_scenario() -> tuple[str, DeltaRecord, list[DeltaRecord]]:
    """A bare mayor 'Whit<tok>' already in the graph (the first record), then a slice in which Ann
    Whit<tok> takes the bare node (same office); once Bo is known a bare name is ambiguous (a new node
    under the old id, in the same slice); Ann again. A random surname keeps runs apart."""
    from ingest.deltas import make_record
    from ingest.models import Article, Entity, GraphDelta, Relation, entity_id

    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(6)).capitalize()
    office = Entity(
        id=f"office:mayor-of-{tok.lower()}",
        type="Office",
        name=f"Mayor of {tok}",
        properties={"title": "Mayor", "jurisdiction": tok},
    )

    def record(n: int, name: str, *, mayor: bool = False) -> DeltaRecord:
        text = f"{name} spoke in {tok} ({n})."
        art = Article(id=Article.content_hash(text), text=text, title=text)
        who = Entity(id=entity_id("Person", name), type="Person", name=name)
        holds = [Relation(type="HOLDS_OFFICE", source=who.id, target=office.id, evidence=text)]
        delta = GraphDelta(
            id=art.id,
            extractor="t/1",
            entities=[who, office] if mayor else [who],
            relations=holds if mayor else [],
        )
        return make_record(f"a{n}", art, delta, "1")

    bare = f"Whit{tok}"
    names = [(f"Ann {bare}", True), (f"Bo {bare}", False), (bare, False), (f"Ann {bare}", False)]
    batch = [record(n, name, mayor=mayor) for n, (name, mayor) in enumerate(names, start=1)]
    return bare, record(0, bare, mayor=True), batch


async def remove(driver: AsyncDriver, database: str, ids: list[str]) -> None:
    for article_id in ids:
        await delete_article(driver, database, article_id)


@pytest.fixture(scope="module")
async def by_text(driver: AsyncDriver, settings: Settings, corpus: tuple[Path, Path, list[str]]) -> Any:
    """The footprint of `kg ingest` of the texts (then removed again)."""
    folder, _, ids = corpus
    db = settings.neo4j_database
    await remove(driver, db, ids)
    report = await ingest_paths(driver, settings, [folder], workers=1)
    assert report.ingested == ARTICLES, report
    try:
        return await footprint(driver, db, ids)
    finally:
        await remove(driver, db, ids)


async def test_deltas_round_trip_gives_the_graph_of_ingesting_the_text(
    driver: AsyncDriver, settings: Settings, corpus: tuple[Path, Path, list[str]], by_text: Any
) -> None:
    _, deltas, ids = corpus
    db = settings.neo4j_database
    try:
        report = await ingest_deltas(driver, settings, [deltas])
        assert (report.ingested, report.failed) == (ARTICLES, 0)
        assert await footprint(driver, db, ids) == by_text
        people = [e for e in by_text["entities"] if e.startswith("person:")]
        assert len(people) > ARTICLES, "the corpus names many people; the comparison must cover them"

        job = await get_job(driver, db, report.job_id)
        assert job is not None and job.status.value == "succeeded"
        assert (job.ingested, job.total) == (ARTICLES, ARTICLES)

        again = await ingest_deltas(driver, settings, [deltas])
        assert (again.ingested, again.unchanged) == (0, ARTICLES)
        assert await footprint(driver, db, ids) == by_text
    finally:
        await remove(driver, db, ids)


async def test_a_bad_deltas_line_is_reported_and_the_rest_is_written(
    driver: AsyncDriver, settings: Settings, corpus: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    _, deltas, ids = corpus
    lines = deltas.read_text().splitlines()
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\n".join([lines[0], '{"format": "kg-delta/1", "origin": "x"}', lines[1]]) + "\n")
    db = settings.neo4j_database
    try:
        report = await ingest_deltas(driver, settings, [damaged])
        assert (report.ingested, report.failed) == (2, 1)
        assert report.errors[0].code == "bad_delta"
        assert "line 2" in report.errors[0].message and "article" in report.errors[0].message
    finally:
        await remove(driver, db, ids)


async def test_backfill_on_dask_gives_the_graph_of_kg_ingest(
    driver: AsyncDriver,
    settings: Settings,
    corpus: tuple[Path, Path, list[str]],
    by_text: Any,
    tmp_path: Path,
) -> None:
    pytest.importorskip("dask.distributed")
    from app.backfill.engine import run_backfill

    folder, _, ids = corpus
    db = settings.neo4j_database
    try:
        # Slices of one chunk: the 14 articles are planned and written in five slices, each against
        # the graph the slices before it left, while the next ones are extracted.
        result = await run_backfill(
            driver,
            settings,
            [folder],
            workers=1,
            chunk_files=3,
            concurrency=3,
            slice_files=3,
            work_dir=tmp_path,
        )
        assert (result.report.ingested, result.report.failed) == (ARTICLES, 0), result.report
        assert (result.figures.chunks, result.figures.slices) == (5, 5) and result.figures.blocks > 0
        assert await footprint(driver, db, ids) == by_text
        job = await get_job(driver, db, result.report.job_id)
        assert job is not None and job.status.value == "succeeded" and job.ingested == ARTICLES
    finally:
        await remove(driver, db, ids)


def test_kg_ingest_refuses_deltas_with_extraction_options(corpus: tuple[Path, Path, list[str]]) -> None:
    _, deltas, _ = corpus
    done = subprocess.run(
        [KG, "ingest", "--deltas", "--workers", "2", str(deltas)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "--deltas" in done.stderr


async def test_a_presolved_write_runs_no_look_up_and_folds_only_its_planned_bare_node(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    """A backfill's write decides nothing (its plan did): it reads only the bare nodes the plan folds into
    its people, by id, with no person look-up and no resolution lock."""
    import secrets
    from datetime import UTC, datetime

    from app.backfill.resolution import PresolvedRules
    from app.ingest_service import PERSON_RULES
    from graph.profiling import PlanLog
    from graph.writer import _write_tx, write_article
    from ingest.models import Article, Entity, GraphDelta, entity_id

    db = settings.neo4j_database
    tok = "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))

    def article(*names: str) -> tuple[Article, GraphDelta]:
        text = f"{' and '.join(names)} spoke ({tok})."
        art = Article(id=Article.content_hash(text), text=text, title=text)
        people = [Entity(id=entity_id("Person", n), type="Person", name=n) for n in names]
        return art, GraphDelta(id=art.id, extractor="t/1", entities=people, relations=[])

    bare, ann, bob = f"Quill{tok}", f"Ann Quill{tok}", f"Bob Marsh{tok}"
    for names in ((bare,), (f"Marsh{tok}",)):
        art, delta = article(*names)
        await write_article(clean_graph, db, art, delta, rules=PERSON_RULES, extractor_version="1")
    plan = PresolvedRules(PERSON_RULES, [(entity_id("Person", bare), entity_id("Person", ann))])
    log = PlanLog()
    art, delta = article(ann, bob)
    await log.transaction(clean_graph, db, _write_tx, art, delta, "1", datetime.now(UTC), plan)

    statements = " ".join(p.query for p in log.plans)
    assert "ResolutionLock" not in statements and "entity_names" not in statements
    records, _, _ = await clean_graph.execute_query(
        "MATCH (p:Person) WHERE p.id CONTAINS $tok RETURN p.id AS id, p.aliases AS aliases",
        tok=tok,
        database_=db,
    )
    people = {r["id"]: r["aliases"] for r in records}
    # The planned fold happened; "Marsh", which the plan does not fold into Bob Marsh, stays.
    assert entity_id("Person", bare) not in people and bare in people[entity_id("Person", ann)]
    assert set(people) == {entity_id("Person", n) for n in (ann, bob, f"Marsh{tok}")}


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_planned_writes_give_one_graph_whatever_order_they_run_in(
    clean_graph: AsyncDriver, settings: Settings, concurrency: int
) -> None:
    """A slice's writes in corpus order, reversed, and one by one as `kg ingest` writes them, give the
    same graph, also when a fold of a bare node already in the graph frees its id for a new bare node
    later in the same slice (session 7's demo run with one person fewer)."""

    from app.backfill.resolution import items_of
    from app.backfill.writing import group_items, plan_blocks, write_planned
    from app.ingest_service import PERSON_RULES
    from graph.writer import write_article
    from ingest.models import entity_id

    db = settings.neo4j_database
    bare, first, batch = fold_scenario()
    tok = bare.removeprefix("Whit")
    ids = [first.article.id, *(r.article.id for r in batch)]

    async def fresh() -> None:
        await remove(clean_graph, db, ids)
        await write_article(
            clean_graph, db, first.article, first.delta, rules=PERSON_RULES, extractor_version="1"
        )

    async def people() -> list[str]:
        rows, _, _ = await clean_graph.execute_query(
            "MATCH (p:Person) WHERE p.id CONTAINS $tok RETURN p.id AS id ORDER BY id",
            tok=tok.lower(),
            database_=db,
        )
        return [r["id"] for r in rows]

    await fresh()  # the reference: one write after the other, each resolving against the graph
    for rec in batch:
        await write_article(
            clean_graph, db, rec.article, rec.delta, rules=PERSON_RULES, extractor_version="1"
        )
    expected, expected_people = await footprint(clean_graph, db, ids), await people()
    assert expected_people == sorted(entity_id("Person", n) for n in (f"Ann {bare}", f"Bo {bare}", bare))

    for order in (batch, batch[::-1], [batch[2], batch[0], batch[3], batch[1]]):
        await fresh()
        items = [
            kv for seq, rec in enumerate(batch, start=1) for kv in items_of(seq, rec.delta, PERSON_RULES)
        ]
        plan = await plan_blocks(clean_graph, db, group_items(items), PERSON_RULES)
        seqs = {rec.article.id: seq for seq, rec in enumerate(batch, start=1)}
        outcomes = [
            o
            async for o in write_planned(
                clean_graph,
                db,
                [(seqs[r.article.id], r) for r in order],
                plan,
                PERSON_RULES,
                concurrency=concurrency,
            )
        ]
        assert sorted(o.status for o in outcomes) == ["ingested"] * 4
        assert await people() == expected_people, [r.origin for r in order]
        assert await footprint(clean_graph, db, ids) == expected
    await remove(clean_graph, db, ids)


async def test_a_slice_planned_while_the_one_before_is_written_gets_the_plan_made_after_it(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    """The backfill plans slice k while slice k-1 is written, taking slice k-1's surnames' people from
    its plan (`Plan.people`) instead of the graph: that plan must be the one made against the graph
    once slice k-1 is written, here across a fold of a bare node already in the graph whose id a later
    bare mention takes again (the case where the order of writes mattered), and the graph the same."""

    from app.backfill.resolution import items_of
    from app.backfill.writing import group_items, plan_blocks, write_planned
    from app.ingest_service import PERSON_RULES
    from graph.writer import write_article

    db = settings.neo4j_database
    _, first, batch = fold_scenario()
    ids = [first.article.id, *(r.article.id for r in batch)]
    seqs = {rec.article.id: seq for seq, rec in enumerate(batch, start=1)}

    def items(part: list[DeltaRecord]) -> Any:
        return group_items(kv for r in part for kv in items_of(seqs[r.article.id], r.delta, PERSON_RULES))

    async def write(part: list[DeltaRecord], plan: Any) -> None:
        rows = [(seqs[r.article.id], r) for r in part]
        async for o in write_planned(clean_graph, db, rows, plan, PERSON_RULES, concurrency=2):
            assert o.status == "ingested", o

    async def fresh() -> None:
        await remove(clean_graph, db, ids)
        await write_article(
            clean_graph, db, first.article, first.delta, rules=PERSON_RULES, extractor_version="1"
        )

    await fresh()  # the reference: kg ingest's writer, one article after another
    for rec in batch:
        await write_article(
            clean_graph, db, rec.article, rec.delta, rules=PERSON_RULES, extractor_version="1"
        )
    expected = await footprint(clean_graph, db, ids)

    for cut in (1, 2, 3):
        one, two = batch[:cut], batch[cut:]
        await fresh()
        plan_one = await plan_blocks(clean_graph, db, items(one), PERSON_RULES)
        # Planned before slice one is written, as the backfill does while its writes run.
        carried = await plan_blocks(clean_graph, db, items(two), PERSON_RULES, carried=plan_one.people)
        await write(one, plan_one)
        read_back = await plan_blocks(clean_graph, db, items(two), PERSON_RULES)
        assert (carried.patches, carried.merges, carried.after) == (
            read_back.patches,
            read_back.merges,
            read_back.after,
        ), cut
        surname = next(iter(plan_one.people))
        assert {p.id for p in carried.people[surname]} == {p.id for p in read_back.people[surname]}
        await write(two, carried)
        assert await footprint(clean_graph, db, ids) == expected, cut
    await remove(clean_graph, db, ids)


async def test_a_surname_planned_two_slices_before_is_planned_from_its_plan_as_from_the_graph(
    clean_graph: AsyncDriver, settings: Settings
) -> None:
    """The backfill keeps each plan's people by surname across slices (`KnownPeople`) and does not
    read a surname it planned before again: slice three, whose surname slice one planned and slice two
    (another surname) did not, must get the plan made against the graph once slices one and two are
    written (slice one folds a bare node already in the graph, which changes how slice three resolves),
    and the graph of `kg ingest`."""

    from app.backfill.resolution import items_of
    from app.backfill.writing import KnownPeople, group_items, plan_blocks, write_planned
    from app.ingest_service import PERSON_RULES
    from graph.writer import write_article

    db = settings.neo4j_database
    _, first_a, batch_a = fold_scenario()
    _, first_b, batch_b = fold_scenario()  # another surname
    one, two, three = batch_a[:1], batch_b, batch_a[1:]
    corpus = [*one, *two, *three]
    ids = [first_a.article.id, first_b.article.id, *(r.article.id for r in corpus)]
    seqs = {rec.article.id: seq for seq, rec in enumerate(corpus, start=1)}

    def items(part: list[DeltaRecord]) -> Any:
        return group_items(kv for r in part for kv in items_of(seqs[r.article.id], r.delta, PERSON_RULES))

    async def write(part: list[DeltaRecord], plan: Any) -> None:
        rows = [(seqs[r.article.id], r) for r in part]
        async for o in write_planned(clean_graph, db, rows, plan, PERSON_RULES, concurrency=2):
            assert o.status == "ingested", o

    async def fresh() -> None:
        await remove(clean_graph, db, ids)
        for rec in (first_a, first_b):
            await write_article(
                clean_graph, db, rec.article, rec.delta, rules=PERSON_RULES, extractor_version="1"
            )

    await fresh()  # the reference: kg ingest's writer, one article after another
    for rec in corpus:
        await write_article(
            clean_graph, db, rec.article, rec.delta, rules=PERSON_RULES, extractor_version="1"
        )
    expected = await footprint(clean_graph, db, ids)

    await fresh()
    # The plan the graph gives before slice one is written (its fold of the bare node not yet made).
    stale = await plan_blocks(clean_graph, db, items(three), PERSON_RULES)
    known = KnownPeople()
    plan_one = await plan_blocks(clean_graph, db, items(one), PERSON_RULES, carried=known.people)
    known.update(plan_one.people)
    plan_two = await plan_blocks(clean_graph, db, items(two), PERSON_RULES, carried=known.people)
    known.update(plan_two.people)
    # Planned before slice one is written: had it read the graph, it would be `stale`.
    plan_three = await plan_blocks(clean_graph, db, items(three), PERSON_RULES, carried=known.people)
    await write(one, plan_one)
    await write(two, plan_two)
    read_back = await plan_blocks(clean_graph, db, items(three), PERSON_RULES)
    assert plan_one.merges and stale.patches != read_back.patches
    assert (plan_three.patches, plan_three.merges, plan_three.after) == (
        read_back.patches,
        read_back.merges,
        read_back.after,
    )
    await write(three, plan_three)
    assert await footprint(clean_graph, db, ids) == expected
    await remove(clean_graph, db, ids)
