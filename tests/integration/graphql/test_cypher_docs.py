"""Every ```cypher example in docs/cypher.md runs through `POST /cypher` on the seeds and returns rows."""

from __future__ import annotations

import json
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


def documented_statuses() -> set[int]:
    """The status codes in the doc's error table."""
    table = DOC.read_text().split("**Errors.**", 1)[1].split("\n\n", 2)[1]
    return {int(m) for m in re.findall(r"^\| (\d{3}) \|", table, flags=re.M)}


@pytest.mark.parametrize(
    ("status", "headers", "body", "says"),
    [
        (401, {}, {"query": "RETURN 1"}, "Bearer"),
        (401, {"authorization": "Bearer wrong"}, {"query": "RETURN 1"}, "Bearer"),
        (400, None, b"MATCH (n) RETURN n", "not JSON"),
        (422, None, {}, "query"),
        (422, None, {"query": ""}, "query"),
        (422, None, {"query": "RETURN 1", "limit": 5}, "limit"),
        (422, None, {"query": "RETURN 1", "params": [1]}, "params"),
        (403, None, {"query": "CREATE (n:Scratch) RETURN n"}, "only read queries"),
        (400, None, {"query": "MATCH (n RETURN n"}, "SyntaxError"),
    ],
    ids=[
        "no-token",
        "wrong-token",
        "not-json",
        "no-query",
        "empty-query",
        "extra-key",
        "params",
        "write",
        "syntax",
    ],
)
async def test_every_error_body_is_the_documented_one(
    api: Api, status: int, headers: dict[str, str] | None, body: object, says: str
) -> None:
    sent = {"authorization": f"Bearer {API_TOKEN}", "content-type": "application/json"}
    if headers is not None:
        sent = {**headers, "content-type": "application/json"}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = await api.client.post("/cypher", content=content, headers=sent)
    assert r.status_code == status, r.text
    assert status in documented_statuses()
    assert list(r.json()) == ["error"] and says in r.json()["error"], r.json()
    if status == 401:
        assert r.headers["www-authenticate"] == "Bearer"
