"""What a graph holds, in a form two graphs can be compared by: counts, and one set of articles' footprint.

Used to show that two ways of loading the same corpus (`kg ingest`, `kg ingest --deltas`, the
backfill) give the same graph. The counts read every node and relationship: a check for tests and the
demo, not a query for a large production graph. Job bookkeeping (`IngestJob`, `PROCESSED`,
`ResolutionLock`) differs between two loads by design and is left out.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

from graph.profiles import parse_profile

BOOKKEEPING_LABELS = ("IngestJob", "ResolutionLock", "GraphSchema")
BOOKKEEPING_TYPES = ("PROCESSED",)

LABEL_COUNTS = """
MATCH (n)
UNWIND labels(n) AS label
WITH label WHERE NOT label IN $skip
RETURN label, count(*) AS n
"""

TYPE_COUNTS = """
MATCH ()-[r]->()
WITH type(r) AS type WHERE NOT type IN $skip
RETURN type, count(*) AS n
"""

# The articles' entities (with how often each article mentions them) and every relationship that
# leaves one of those entities.
FOOTPRINT_ENTITIES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})-[m:MENTIONS]->(e:Entity)
RETURN a.id AS article, e.id AS entity, m.count AS count, properties(e) AS props, labels(e) AS labels
"""

FOOTPRINT_RELATIONS = """
UNWIND $ids AS id
MATCH (s:Entity {id: id})-[r]->(t:Entity)
RETURN s.id AS source, type(r) AS type, t.id AS target, properties(r) AS props
"""

# Each article's word on an office-holding (`STATES_HOLDING`, docs/graph-model.md): from the article,
# so not among the entities' relationships above.
FOOTPRINT_STATEMENTS = """
UNWIND $ids AS id
MATCH (a:Article {id: id})-[s:STATES_HOLDING]->(o:Entity)
RETURN a.id AS article, o.id AS target, properties(s) AS props
"""

# Properties that say when something was written, not what: they differ between two loads. Every
# `*_at` is a time (`observed_at` is the ingest time of an undated article, and a collapsed HOLDS_OFFICE
# keeps one per article), plus the writer's lock token.
VOLATILE_SUFFIX = "_at"
VOLATILE = ("write_token",)


async def counts(driver: AsyncDriver, database: str) -> dict[str, Any]:
    """Nodes per label and relationships per type, without the job bookkeeping."""
    labels, _, _ = await driver.execute_query(
        LABEL_COUNTS, skip=list(BOOKKEEPING_LABELS), database_=database, routing_="r"
    )
    types, _, _ = await driver.execute_query(
        TYPE_COUNTS, skip=list(BOOKKEEPING_TYPES), database_=database, routing_="r"
    )
    by_label = {r["label"]: r["n"] for r in labels}
    by_type = {r["type"]: r["n"] for r in types}
    return {
        "nodes": by_label.get("Entity", 0) + by_label.get("Article", 0),
        "relationships": sum(by_type.values()),
        "labels": dict(sorted(by_label.items())),
        "types": dict(sorted(by_type.items())),
    }


# Lists whose order records which write came first, not what the graph says: compared as sets.
UNORDERED = ("aliases", "office_ids")


def _stable(props: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    out = []
    for key, value in props.items():
        if key in VOLATILE or key.endswith(VOLATILE_SUFFIX):
            continue
        if key == "lookup_profile" and isinstance(value, list):
            # Derived from the properties beside it (`graph.profiles`), in their order: its parts as sets.
            person, name, aliases, gender, offices = parse_profile(value)
            value = [person, name, gender, sorted(aliases), sorted(offices)]
        elif isinstance(value, list):
            value = sorted(str(v) for v in value) if key in UNORDERED else [str(v) for v in value]
        out.append((key, str(value)))
    return tuple(sorted(out))


async def footprint(driver: AsyncDriver, database: str, article_ids: list[str]) -> dict[str, Any]:
    """The articles' entities, mentions, the relationships of those entities and the articles' words on
    office-holdings, timestamps left out.

    Aliases compare as sets: their order records which article came first, not what the graph says."""
    rows, _, _ = await driver.execute_query(
        FOOTPRINT_ENTITIES, ids=sorted(article_ids), database_=database, routing_="r"
    )
    entities = {r["entity"]: (tuple(sorted(r["labels"])), _stable(r["props"])) for r in rows}
    mentions = sorted((r["article"], r["entity"], r["count"]) for r in rows)
    rels, _, _ = await driver.execute_query(
        FOOTPRINT_RELATIONS, ids=sorted(entities), database_=database, routing_="r"
    )
    relations = sorted((r["source"], r["type"], r["target"], _stable(r["props"])) for r in rels)
    said, _, _ = await driver.execute_query(
        FOOTPRINT_STATEMENTS, ids=sorted(article_ids), database_=database, routing_="r"
    )
    statements = sorted((r["article"], r["target"], _stable(r["props"])) for r in said)
    return {
        "entities": dict(sorted(entities.items())),
        "mentions": mentions,
        "relations": relations,
        "statements": statements,
    }


# The people most responded to: the demo's and tests' choice of whom to ask `responses(to:)` about.
MOST_ANSWERED = """
MATCH (p:Person)<-[r:CRITICIZED|ENDORSED|RESPONDED_TO]-(:Entity)
WITH p, count(r) AS n
RETURN p.id AS id
ORDER BY n DESC, id
LIMIT $limit
"""


async def most_answered(driver: AsyncDriver, database: str, limit: int) -> list[str]:
    records, _, _ = await driver.execute_query(MOST_ANSWERED, limit=limit, database_=database, routing_="r")
    return [r["id"] for r in records]
