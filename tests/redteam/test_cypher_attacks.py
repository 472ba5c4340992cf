"""`/cypher` attacked (issue 11, failures 1-3, and the checks that held): one read-only query must not
kill Neo4j, leak other clients' queries, overrun its time or byte limits, or change the database."""

from __future__ import annotations

import time

import pytest
from live_server import Server

pytestmark = [pytest.mark.integration, pytest.mark.redteam]

COUNT_ALL = "MATCH (n) RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels"


def test_failure_1_a_list_of_100_million_built_in_one_expression_is_refused_and_neo4j_stays_up(
    server: Server,
) -> None:
    r = server.cypher("RETURN size([x IN range(1, 100000000) | x * 2]) AS n")
    assert r.status_code in (400, 403, 422), r.text
    assert "range" in r.json()["error"] and "100,000,000 elements" in r.json()["error"]
    assert server.cypher("RETURN 1 AS one").json()["rows"] == [[1]]  # Neo4j still answers


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("CALL db.stats.retrieve('QUERIES')", "db.stats.retrieve"),
        ("CALL db.stats.stop('QUERIES')", "db.stats.stop"),
        ("CALL db.stats.clear('QUERIES')", "db.stats.clear"),
        ("CALL db.prepareForReplanning()", "db.prepareForReplanning"),
        ("CALL db.resampleIndex('entity_id')", "db.resampleIndex"),
        ("CYPHER debug=tostring RETURN 1", "CYPHER"),
        ("CALL dbms.listQueries()", "dbms.listQueries"),
        ("SHOW TRANSACTIONS", "SHOW"),
    ],
)
def test_failure_2_procedures_that_spy_on_or_steer_other_clients_are_refused_by_name(
    server: Server, query: str, named: str
) -> None:
    r = server.cypher(query)
    assert r.status_code in (400, 403), r.text
    assert named.lower() in r.json()["error"].lower()


@pytest.mark.slow  # timing: on a machine shared with other heavy jobs, HTTP alone can take the second
def test_failure_3_the_wall_clock_cut_holds_within_a_second_of_the_limit(server: Server) -> None:
    # The server runs with KG_CYPHER_TIMEOUT=3; this query would take hours (10^10 rows: a single range of
    # 10^8 was counted within the 3 s on this machine when it was idle).
    began = time.perf_counter()
    r = server.cypher(
        "UNWIND range(1, 100000000) AS i UNWIND range(1, 100) AS j WITH i, j WHERE (i + j) % 7 = 123 "
        "RETURN count(i)",
        timeout=30,
    )
    took = time.perf_counter() - began
    assert r.status_code == 408, r.text
    assert took < 3 + 1, f"cut after {took:.1f} s; the limit is 3 s"


def test_failure_3_a_32_mb_single_row_answer_is_capped_by_bytes(server: Server) -> None:
    # 10,000 copies of a 3,300-byte string: a 33 MB single row, cheap for Neo4j to build.
    r = server.cypher("RETURN [x IN range(1, 10000) | $pad] AS big", {"pad": "p" * 3300})
    # Refused by the byte cap, or by the 3 s limit when a loaded machine decodes 33 MB slower than that.
    assert r.status_code in (408, 422), r.status_code
    assert "KG_CYPHER_MAX_BYTES" in r.json()["error"] or r.status_code == 408
    assert len(r.content) < 10_000


WRITE_ATTEMPTS = [
    "CREATE (n:Entity {id: 'redteam:x'})",
    "MERGE (n:Person {id: 'redteam:y'}) RETURN n",
    "MATCH (n) SET n.hacked = true",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) REMOVE n.name",
    "MATCH ()-[r]->() DELETE r",
    "CREATE INDEX redteam IF NOT EXISTS FOR (n:X) ON (n.y)",
    "CREATE CONSTRAINT redteam IF NOT EXISTS FOR (n:X) REQUIRE n.y IS UNIQUE",
    "DROP INDEX entity_names IF EXISTS",
    "CREATE DATABASE redteam",
    "CREATE USER redteam SET PASSWORD 'redteam-password'",
    "ALTER USER neo4j SET PASSWORD 'redteam-password'",
    "GRANT ROLE admin TO neo4j",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV FROM 'http://127.0.0.1:1/x.csv' AS line CREATE (:X {v: line[0]})",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "CALL db.createLabel('Redteam')",
    "CALL db.createProperty('redteam')",
    "CALL apoc.cypher.runWrite('CREATE (:X)', {})",
    "CALL { CREATE (:X) } IN TRANSACTIONS",
    "FOREACH (i IN [1] | CREATE (:X))",
    "RETURN 1 AS one UNION CALL { CREATE (:X) RETURN 2 AS one } RETURN one",
    "MATCH (n) WITH n LIMIT 1 CALL (n) { SET n.x = 1 } RETURN n",
    "RETURN 1; CREATE (:X)",
    "MATCH (n) WHERE n.id = '' OR 1=1 WITH n LIMIT 1 SET n.x = 1 RETURN n",
    "USE system CREATE USER evil SET PASSWORD 'x'",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "STOP DATABASE neo4j",
    "CALL db.clearQueryCaches()",
]


def test_held_write_schema_user_and_load_csv_attempts_change_nothing(server: Server) -> None:
    before = server.cypher(COUNT_ALL).json()["rows"]
    for query in WRITE_ATTEMPTS:
        r = server.cypher(query)
        assert r.status_code in (400, 403, 422, 502), (query, r.status_code, r.text)
    # A write hidden in a comment after an injected quote is only a comment: it runs as the read it is.
    injected = server.cypher("MATCH (n {id: '' }) RETURN n // ' }) CREATE (:X) //")
    assert injected.status_code == 200 and injected.json()["rows"] == []
    after = server.cypher(COUNT_ALL).json()["rows"]
    assert after == before
    labels = server.cypher("CALL db.labels() YIELD label RETURN collect(label) AS l").json()["rows"][0][0]
    assert "X" not in labels and "Redteam" not in labels


def test_held_cypher_needs_the_token(server: Server) -> None:
    with server.client() as c:
        assert c.post("/cypher", json={"query": "RETURN 1"}).status_code == 401
        wrong = {"authorization": "Bearer " + "x" * len(server.token)}
        assert c.post("/cypher", json={"query": "RETURN 1"}, headers=wrong).status_code == 401
