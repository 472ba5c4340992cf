"""The /cypher allow-list read from the text: names refused by what they are, strings and comments ignored."""

from __future__ import annotations

import pytest

from app.cypher_policy import CypherRefused, check_plan, check_text, range_size, tokenize

LIMIT = 100_000


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("CALL db.stats.retrieve('QUERIES')", "procedure db.stats.retrieve"),
        ("call DB.STATS.CLEAR('QUERIES')", "procedure DB.STATS.CLEAR"),
        ("CALL /* hi */ `db`.`stats`.stop('QUERIES')", "procedure db.stats.stop"),
        ("CALL db.prepareForReplanning", "procedure db.prepareForReplanning"),
        ("RETURN apoc.text.join(['a'], ',')", "function apoc.text.join()"),
        ("CYPHER runtime=slotted RETURN 1", "CYPHER"),
        ("  explain RETURN 1", "EXPLAIN"),
        ("USE system SHOW USERS", "USE"),
        ("RETURN range(1, 100001)", "100,001 elements"),
        ("RETURN [a IN range(1, 1000) | [b IN range(1, 1000) | b]]", "1,000,000 elements"),
        ("RETURN range(0, $n)", "integer literal bounds"),
        ("UNWIND range(1, 10) AS i RETURN [x IN range(1, 1000000) | x]", "1,000,000 elements"),
        ("RETURN reduce(l = [1], i IN [1, 2] | l + l)", "accumulator l"),
    ],
)
def test_refused_by_name(query: str, named: str) -> None:
    with pytest.raises(CypherRefused) as err:
        check_text(query, LIMIT)
    assert named in str(err.value)


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n:Person) WHERE n.name CONTAINS 'CALL db.stats.retrieve(' RETURN n // CYPHER debug",
        "MATCH (n) RETURN n.set AS set, {use: 1, create: 2} AS m, count(*) AS c",
        "MATCH (x) CALL (x) { RETURN x AS y } RETURN y",
        "CALL db.index.fulltext.queryNodes('entity_names', 'kras*') YIELD node RETURN node",
        "RETURN reduce(total = 0, x IN range(1, 10) | total + x) AS t",
        "RETURN duration.between(date('2024-01-01'), date()) AS d, toUpper(\"it's\") AS s",
        "MATCH p = shortestPath((a)-[*..3]-(b)) WHERE NOT (a)-->(b) AND exists((a)--()) RETURN p",
        "RETURN range(-5, 5, 2), range(0x10, 0x20)",
        "MATCH p = ANY SHORTEST (a:Person)-[]-+(b:Bill) RETURN p",
        "MATCH p = SHORTEST 2 GROUPS (a:Person)-[]-{1,3}(b:Bill) RETURN length(p)",
        "UNWIND range(1, 100000000) AS i WITH i WHERE i % 7 = 123 RETURN count(i)",
        "CREATE INDEX hack IF NOT EXISTS FOR (n:X) ON (n.y)",  # text allowed; the plan refuses it
    ],
)
def test_allowed(query: str) -> None:
    check_text(query, LIMIT)


def test_tokens_skip_strings_comments_and_backticks() -> None:
    words = [t.word for t in tokenize("RETURN 'CALL x()' /* CALL y() */ AS `CALL z`") if t.kind == "word"]
    assert words == ["return", "as"]


def test_range_sizes() -> None:
    def size(text: str) -> int | None:
        from app.cypher_policy import _split_args

        tokens = tokenize(f"({text})")
        return range_size(_split_args(tokens, 0, len(tokens) - 1))

    assert size("1, 10") == 10 and size("10, 1") == 0 and size("0, 10, 3") == 4 and size("1, $n") is None


def test_plans_need_read_operators_and_allowed_procedures() -> None:
    read = {"operatorType": "ProduceResults@neo4j", "children": [{"operatorType": "Expand(All)@neo4j"}]}
    check_plan("r", read)
    call = {"operatorType": "ProcedureCall@neo4j", "args": {"Details": "db.stats.retrieve($section)"}}
    with pytest.raises(CypherRefused, match="procedure db.stats.retrieve"):
        check_plan("r", {"operatorType": "ProduceResults", "children": [call]})
    with pytest.raises(CypherRefused, match="LoadCSV is not allowed"):
        check_plan("r", {"operatorType": "LoadCSV@neo4j"})
    with pytest.raises(CypherRefused, match="only read queries.*Create is of type 'w'"):
        check_plan("w", {"operatorType": "Create@neo4j"})
