"""`POST /cypher`: read-only Cypher for analysts, token-guarded, time- and row-limited."""

from __future__ import annotations

import pytest
from kg_fixture import API_TOKEN, Api, KrasnerGraph

pytestmark = pytest.mark.integration
AUTH = {"authorization": f"Bearer {API_TOKEN}"}


async def _cypher(api: Api, query: str, params: dict | None = None, headers: dict | None = None):
    return await api.client.post(
        "/cypher", json={"query": query, "params": params or {}}, headers=AUTH if headers is None else headers
    )


async def test_returns_columns_rows_and_json_values(api: Api, kg: KrasnerGraph) -> None:
    r = await _cypher(
        api,
        "MATCH p = (s:Person {id: $id})-[r:CRITICIZED]->(t) "
        "RETURN s, r, p, r.observed_at AS at, t.name AS target",
        {"id": kg.ids["lyons"]},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == ["s", "r", "p", "at", "target"] and body["truncated"] is False
    s, rel, path, at, target = body["rows"][0]
    assert (
        s["id"] == kg.ids["lyons"]
        and "Person" in s["labels"]
        and s["properties"]["name"] == kg.name("Todd Lyons")
    )
    assert rel["type"] == "CRITICIZED" and rel["start"] == kg.ids["lyons"] and rel["end"] == kg.ids["krasner"]
    assert len(path["nodes"]) == 2 and len(path["relationships"]) == 1
    assert at.startswith("2025-06-01T12:00:00")
    assert target == kg.name("Larry Krasner")


async def test_writes_are_refused(api: Api, kg: KrasnerGraph) -> None:
    for query in (
        "CREATE (n:Entity {id: 'x-' + $t})",
        "MATCH (n:Entity {id: $t}) SET n.name = 'hacked'",
        "MATCH (n:Entity {id: $t}) DETACH DELETE n",
        "CREATE INDEX hack IF NOT EXISTS FOR (n:X) ON (n.y)",
    ):
        r = await _cypher(api, query, {"t": kg.ids["lyons"]})
        assert r.status_code == 403, (query, r.text)
        assert "only read queries" in r.json()["error"]
    r = await _cypher(api, "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line LIMIT 1")
    assert r.status_code == 403 and "LoadCSV is not allowed" in r.json()["error"]
    r = await _cypher(api, "MATCH (n:Entity {id: $t}) RETURN n.name AS name", {"t": kg.ids["lyons"]})
    assert r.json()["rows"] == [[kg.name("Todd Lyons")]]


async def test_server_commands_are_refused(api: Api) -> None:
    # EXPLAIN calls these reads, but they kill or spy on other clients' transactions, or read the config.
    for query, operator in (
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-0'", "TerminateTransactions"),
        ("SHOW TRANSACTIONS YIELD currentQuery, parameters", "ShowTransactions"),
        ("SHOW SETTINGS", "ShowSettings"),
    ):
        r = await _cypher(api, query)
        assert r.status_code == 403, (query, r.text)
        assert r.json()["error"] == f"{operator} is not allowed here"


async def test_needs_the_token(api: Api) -> None:
    r = await _cypher(api, "RETURN 1", headers={})
    assert r.status_code == 401 and "Bearer" in r.json()["detail"]
    r = await _cypher(api, "RETURN 1", headers={"authorization": "Bearer nope"})
    assert r.status_code == 401


async def test_rows_are_capped_and_errors_are_messages(api: Api) -> None:
    api.app.state.settings.cypher_max_rows, old = 5, api.app.state.settings.cypher_max_rows
    try:
        r = await _cypher(api, "UNWIND range(1, 100) AS i RETURN i")
    finally:
        api.app.state.settings.cypher_max_rows = old
    assert r.json()["truncated"] is True and len(r.json()["rows"]) == 5
    bad = await _cypher(api, "MATCH (n RETURN n")
    assert bad.status_code == 400
    assert "SyntaxError" in bad.json()["error"] and "Traceback" not in bad.text


async def test_slow_queries_time_out(api: Api) -> None:
    api.app.state.settings.cypher_timeout_s, old = 0.5, api.app.state.settings.cypher_timeout_s
    try:
        r = await _cypher(api, "UNWIND range(1, 100000000) AS i WITH i WHERE i % 7 = 123 RETURN count(i)")
    finally:
        api.app.state.settings.cypher_timeout_s = old
    assert r.status_code == 408, r.text
    assert "KG_CYPHER_TIMEOUT" in r.json()["error"]
