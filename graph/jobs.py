"""Persistence of ingest jobs: the `IngestJob` node and its `PROCESSED` relationships (docs/graph-model.md).

The job's state model and its transitions are `ingest.jobs`'s. A save writes the job's counts and its
bounded error list (a small node whatever the job's size) plus the outcomes of the articles processed
since the previous save, as `(:IngestJob)-[:PROCESSED {outcome, seq}]->(:Article)`: a save never
rewrites what an earlier one wrote, so its cost does not grow with the job. An article met twice in
one job has one relationship, with the outcome that did something (`ingested` over `unchanged`).
`unfinished_jobs` + `save_job_if_unfinished` are the sweep that fails jobs whose runner is gone.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

# The outcomes an article can have in a job; `failed` inputs have no article and are on the job itself.
OUTCOMES = ("ingested", "reextracted", "unchanged", "metadata_updated")

SAVE_JOB = """
MERGE (j:IngestJob {id: $id}) SET j += $props
WITH j
UNWIND $outcomes AS o
MATCH (a:Article {id: o.id})
MERGE (j)-[p:PROCESSED]->(a)
SET p.outcome = CASE WHEN p.outcome IS NULL OR o.outcome <> 'unchanged' THEN o.outcome ELSE p.outcome END,
    p.seq = coalesce(p.seq, o.seq)
"""

GET_JOB = "MATCH (j:IngestJob {id: $id}) RETURN properties(j) AS props"

# Outcomes in the order the job processed them (`seq`); the job's article count bounds the scan.
JOB_ARTICLES = """
MATCH (:IngestJob {id: $id})-[p:PROCESSED]->(a:Article)
WHERE $after IS NULL OR p.seq > $after
RETURN a.id AS id, p.outcome AS outcome, p.seq AS seq
ORDER BY seq
LIMIT $limit
"""

UNFINISHED_JOBS = "MATCH (j:IngestJob) WHERE j.status IN ['queued', 'running'] RETURN properties(j) AS props"

# Only a job that is still unfinished is overwritten, so a job that finished meanwhile keeps its outcome.
SAVE_IF_UNFINISHED = """
MATCH (j:IngestJob {id: $id})
WHERE j.status IN ['queued', 'running']
SET j += $props
RETURN count(j) AS saved
"""


async def save_job(
    driver: AsyncDriver, database: str, props: dict[str, Any], outcomes: list[dict[str, Any]] | None = None
) -> None:
    """Create or overwrite a job node with a full `JobState.to_properties()`, and add `outcomes`
    (`{id, outcome, seq}` per article processed since the last save) as PROCESSED relationships."""
    await driver.execute_query(
        SAVE_JOB, id=props["id"], props=props, outcomes=outcomes or [], database_=database
    )


async def get_job(driver: AsyncDriver, database: str, job_id: str) -> dict[str, Any] | None:
    records, _, _ = await driver.execute_query(GET_JOB, id=job_id, database_=database, routing_="r")
    return dict(records[0]["props"]) if records else None


async def job_articles(
    driver: AsyncDriver, database: str, job_id: str, *, limit: int, after: int | None = None
) -> list[tuple[str, str, int]]:
    """(article id, outcome, seq) of up to `limit` articles the job processed, in order, after `seq`."""
    records, _, _ = await driver.execute_query(
        JOB_ARTICLES, id=job_id, after=after, limit=limit, database_=database, routing_="r"
    )
    return [(r["id"], r["outcome"], r["seq"]) for r in records]


async def unfinished_jobs(driver: AsyncDriver, database: str) -> list[dict[str, Any]]:
    records, _, _ = await driver.execute_query(UNFINISHED_JOBS, database_=database, routing_="r")
    return [dict(r["props"]) for r in records]


async def save_job_if_unfinished(driver: AsyncDriver, database: str, props: dict[str, Any]) -> bool:
    records, _, _ = await driver.execute_query(
        SAVE_IF_UNFINISHED, id=props["id"], props=props, database_=database
    )
    return bool(records and records[0]["saved"])
