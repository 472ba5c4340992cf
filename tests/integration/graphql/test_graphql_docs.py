"""Every ```graphql example in docs/graphql.md runs against the seeds as printed (with the ```json
variables that follow it), and together they cover every root field and mutation of the schema."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

import graphql
import pytest
from kg_fixture import API_TOKEN, Api

from app.config import PROJECT_ROOT

pytestmark = pytest.mark.integration

DOC = PROJECT_ROOT / "docs" / "graphql.md"
AUTH = {"authorization": f"Bearer {API_TOKEN}"}
BLOCK = re.compile(r"```(graphql|json)\n(.*?)```\n?", re.S)


@dataclass(frozen=True)
class Example:
    name: str
    query: str
    variables: dict[str, Any]

    @property
    def is_mutation(self) -> bool:
        return self.query.lstrip().startswith("mutation")


def examples() -> dict[str, Example]:
    text = DOC.read_text()
    found: dict[str, Example] = {}
    blocks = list(BLOCK.finditer(text))
    for i, block in enumerate(blocks):
        if block.group(1) != "graphql":
            continue
        variables: dict[str, Any] = {}
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if after and after.group(1) == "json" and not text[block.end() : after.start()].strip():
            variables = json.loads(after.group(2))
        name = re.match(r"\s*(?:query|mutation)\s+(\w+)", block.group(2))
        assert name, f"every example is a named operation:\n{block.group(2)}"
        assert name.group(1) not in found, f"two examples named {name.group(1)}"
        found[name.group(1)] = Example(name.group(1), block.group(2), variables)
    return found


EXAMPLES = examples()
QUERIES = [e for e in EXAMPLES.values() if not e.is_mutation and e.name != "Job"]


def root_fields_used(kind: str) -> set[str]:
    used: set[str] = set()
    for e in EXAMPLES.values():
        for op in graphql.parse(e.query).definitions:
            if isinstance(op, graphql.OperationDefinitionNode) and op.operation.value == kind:
                used |= {sel.name.value for sel in op.selection_set.selections}  # type: ignore[attr-defined]
    return used


def test_the_examples_cover_every_root_field_and_mutation() -> None:
    schema = graphql.build_schema((PROJECT_ROOT / "schema.graphql").read_text())
    assert schema.query_type and schema.mutation_type
    assert set(schema.query_type.fields) - root_fields_used("query") == set()
    assert set(schema.mutation_type.fields) - root_fields_used("mutation") == set()
    # and each one is valid against the schema as exported
    for e in EXAMPLES.values():
        assert not graphql.validate(schema, graphql.parse(e.query)), e.name


def _has_content(value: Any) -> bool:
    if value is None or value == [] or value == {}:
        return False
    if isinstance(value, dict) and "nodes" in value:
        return bool(value["nodes"])
    return True


@pytest.mark.parametrize("example", QUERIES, ids=[e.name for e in QUERIES])
async def test_query_example_answers_on_the_seeds(api: Api, seeded: None, example: Example) -> None:
    body = await api.gql(example.query, example.variables)
    assert "errors" not in body, body["errors"]
    for field, value in body["data"].items():
        assert _has_content(value), f"{example.name}: {field} is empty on the seeds: {value}"


async def _run(api: Api, name: str, **variables: Any) -> dict[str, Any]:
    example = EXAMPLES[name]
    body = await api.gql(example.query, variables or example.variables, **AUTH)
    assert "errors" not in body, (name, body["errors"])
    return body["data"]


async def _finished_job(api: Api, job_id: str) -> dict[str, Any]:
    async with asyncio.timeout(120):
        while True:
            job = (await _run(api, "Job", id=job_id))["ingestJob"]
            if job["status"] in ("SUCCEEDED", "FAILED"):
                return job
            await asyncio.sleep(0.3)


async def test_mutation_examples_ingest_follow_and_delete(api: Api, seeded: None, clean_graph: Any) -> None:
    one = (await _run(api, "IngestOne"))["ingestArticle"]
    job = await _finished_job(api, one["id"])
    assert (job["status"], job["ingested"], job["failed"]) == ("SUCCEEDED", 1, 0), job
    two = (await _run(api, "IngestTwo"))["ingestArticles"]
    batch = await _finished_job(api, two["id"])
    assert (batch["status"], batch["ingested"]) == ("SUCCEEDED", 2), batch

    recent = (await _run(api, "RecentJobs"))["ingestJobs"]["nodes"]
    assert {one["id"], two["id"]} <= {j["id"] for j in recent}

    ingested = [a["id"] for a in (*job["articles"], *batch["articles"])]
    assert len(ingested) == 3
    for article_id in ingested:
        deleted = (await _run(api, "Delete", id=article_id))["deleteArticle"]
        assert deleted["deleted"] is True and deleted["id"] == article_id
