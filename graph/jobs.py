"""Persistence of ingest jobs: the `IngestJob` node (docs/graph-model.md).

The job's state model and its transitions are `ingest.jobs`'s; here a state is saved whole (a job is one
small node, written by the one task that runs it) and read back. `unfinished_jobs` + `save_job_if_unfinished`
are the recovery step run at start-up: a job still queued or running then was cut off by a crash or a restart.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

SAVE_JOB = "MERGE (j:IngestJob {id: $id}) SET j += $props"

GET_JOB = "MATCH (j:IngestJob {id: $id}) RETURN properties(j) AS props"

UNFINISHED_JOBS = "MATCH (j:IngestJob) WHERE j.status IN ['queued', 'running'] RETURN properties(j) AS props"

# Only a job that is still unfinished is overwritten, so a job that finished meanwhile keeps its outcome.
SAVE_IF_UNFINISHED = """
MATCH (j:IngestJob {id: $id})
WHERE j.status IN ['queued', 'running']
SET j += $props
RETURN count(j) AS saved
"""


async def save_job(driver: AsyncDriver, database: str, props: dict[str, Any]) -> None:
    """Create or overwrite a job node with a full `JobState.to_properties()`."""
    await driver.execute_query(SAVE_JOB, id=props["id"], props=props, database_=database)


async def get_job(driver: AsyncDriver, database: str, job_id: str) -> dict[str, Any] | None:
    records, _, _ = await driver.execute_query(GET_JOB, id=job_id, database_=database, routing_="r")
    return dict(records[0]["props"]) if records else None


async def unfinished_jobs(driver: AsyncDriver, database: str) -> list[dict[str, Any]]:
    records, _, _ = await driver.execute_query(UNFINISHED_JOBS, database_=database, routing_="r")
    return [dict(r["props"]) for r in records]


async def save_job_if_unfinished(driver: AsyncDriver, database: str, props: dict[str, Any]) -> bool:
    records, _, _ = await driver.execute_query(
        SAVE_IF_UNFINISHED, id=props["id"], props=props, database_=database
    )
    return bool(records and records[0]["saved"])
