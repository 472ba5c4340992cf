"""schema.graphql is exported from the code (`make schema`); this fails when the two drift apart."""

from __future__ import annotations

from app.config import PROJECT_ROOT
from app.graphql.schema import schema


def test_schema_graphql_matches_the_code() -> None:
    on_disk = (PROJECT_ROOT / "schema.graphql").read_text()
    assert on_disk.strip() == schema.as_str().strip(), "schema.graphql is stale: run `make schema`"


def test_the_schema_has_what_the_viewer_and_analysts_rely_on() -> None:
    sdl = schema.as_str()
    for needle in (
        "interface Node",
        "interface Entity implements Node",
        "type Person implements Entity & Node",
        "responses(to: String!",
        "responsesConnection(to: String!",
        "subgraph(center: String!",
        "ingestArticle(input: IngestArticleInput!): IngestJob!",
        "deleteArticle(id: ID!): DeleteArticlePayload!",
    ):
        assert needle in sdl, needle
