"""Every ```cypher example in docs/cypher.md runs through `POST /cypher` on the seeds and returns rows."""

from __future__ import annotations

import re

import pytest
from kg_fixture import API_TOKEN, Api

from app.config import PROJECT_ROOT

pytestmark = pytest.mark.integration

DOC = PROJECT_ROOT / "docs" / "cypher.md"
EXAMPLES = re.findall(r"```cypher\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_doc_has_at_least_ten_examples_and_links_the_model() -> None:
    assert len(EXAMPLES) >= 10
    assert "(graph-model.md)" in DOC.read_text()


@pytest.mark.parametrize("query", EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))])
async def test_example_returns_rows(api: Api, seeded: None, query: str) -> None:
    r = await api.client.post(
        "/cypher", json={"query": query}, headers={"authorization": f"Bearer {API_TOKEN}"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["rows"], f"no rows for:\n{query}"
