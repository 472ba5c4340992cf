"""Each safety limit rejects an oversized request with a message that names the limit."""

from __future__ import annotations

import time

import pytest
from kg_fixture import API_TOKEN, Api, KrasnerGraph

pytestmark = pytest.mark.integration


async def test_query_depth_is_limited(api: Api) -> None:
    deep = (
        '{ person(name: "x") { offices { holders { offices { holders { offices { holders { offices'
        " { holders { offices { holders { id } } } } } } } } } } } }"
    )
    body = await api.gql(deep)
    assert "exceeds maximum operation depth of 10" in body["errors"][0]["message"]


async def test_aliases_are_limited(api: Api) -> None:
    many = "{ " + " ".join(f"a{i}: stats {{ entities }}" for i in range(31)) + " }"
    body = await api.gql(many)
    assert "aliases found. Allowed: 30" in body["errors"][0]["message"]


async def test_tokens_are_limited(api: Api) -> None:
    huge = "{ " + " ".join("__typename" for _ in range(2100)) + " }"
    body = await api.gql(huge)
    assert "Document contains more than 2000 tokens" in body["errors"][0]["message"]


async def test_page_size_is_capped(api: Api) -> None:
    body = await api.gql("{ articles(first: 101) { totalCount } }")
    assert body["errors"][0]["message"] == "first must be between 0 and 100 (KG_MAX_PAGE_SIZE), got 101"
    body = await api.gql('{ responses(to: "x", first: 5000) { type } }')
    assert "KG_MAX_PAGE_SIZE" in body["errors"][0]["message"]


async def test_query_batching_is_off(api: Api) -> None:
    response = await api.client.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )
    assert response.status_code == 400


MUTATION = "mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { id status } }"


async def test_mutations_need_the_token(api: Api) -> None:
    body = await api.gql(MUTATION, {"i": {"text": "Krasner spoke."}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "Authorization: Bearer" in body["errors"][0]["message"]
    body = await api.gql(MUTATION, {"i": {"text": "x"}}, authorization="Bearer wrong-token")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await api.gql('mutation { deleteArticle(id: "nope") { deleted } }')
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_article_size_and_batch_count_are_limited(api: Api) -> None:
    auth = {"authorization": f"Bearer {API_TOKEN}"}
    big = "x" * 1_000_001
    body = await api.gql(MUTATION, {"i": {"text": big}}, **auth)
    assert body["errors"][0]["message"] == (
        "input.text is 1,000,001 bytes; the limit is 1,000,000 bytes (KG_MAX_ARTICLE_BYTES)"
    )
    batch = "mutation($i: [IngestArticleInput!]!) { ingestArticles(inputs: $i) { id } }"
    body = await api.gql(batch, {"i": [{"text": "a"}] * 11}, **auth)
    assert body["errors"][0]["message"] == "inputs is 11 articles; the limit is 10 articles (KG_MAX_BATCH)"


async def test_names_and_ids_are_bounded(api: Api) -> None:
    long = "K" * 301
    body = await api.gql(f'{{ responses(to: "{long}") {{ type }} }}')
    assert body["errors"][0]["message"] == "to is 301 characters; the limit is 300 characters (names and ids)"
    body = await api.gql(f'{{ subgraph(center: "{long}") {{ truncated }} }}')
    assert body["errors"][0]["message"].startswith("center is 301 characters")


async def test_request_body_is_bounded_before_it_is_read(api: Api) -> None:
    limit = api.app.state.settings.max_request_bytes
    response = await api.client.post(
        "/graphql",
        content=b'{"query": "{ __typename }", "pad": "' + b"x" * limit + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


def _fragment_bomb(levels: int) -> str:
    frags = ["fragment F0 on Query { stats { entities } }"]
    frags += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query Bomb {{ ...F{levels} }}\n" + "\n".join(frags)


async def test_fragment_fan_out_is_refused_at_once_and_the_api_keeps_answering(api: Api) -> None:
    # Thirty fragments each spreading the next twice (1.2 KB) froze the event loop for minutes.
    started = time.monotonic()
    response = await api.client.post("/graphql", json={"query": _fragment_bomb(30)})
    assert time.monotonic() - started < 1.0
    assert response.status_code == 200
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED" and "KG_MAX_SELECTIONS" in error["message"]
    started = time.monotonic()
    assert (await api.client.get("/health")).status_code == 200
    assert time.monotonic() - started < 1.0


async def test_a_document_above_the_cost_budget_is_refused_before_it_runs(api: Api) -> None:
    seen = api.count_queries()
    body = await api.gql(
        "{ relations(first: 100) { nodes { source { relations(first: 100) { nodes { target {"
        " mentions { nodes { count } } } } } } } } }"
    )
    assert "KG_MAX_QUERY_COST" in body["errors"][0]["message"] and body["data"] is None
    assert seen == [], "nothing may run for a refused document"


async def test_variables_are_bounded(api: Api) -> None:
    query = "query($t: [RelationType!]) { relations(filter: {types: $t}) { totalCount } }"
    started = time.monotonic()
    body = await api.gql(query, {"t": ["CRITICIZED"] * 200_000})
    assert time.monotonic() - started < 1.0
    assert "KG_MAX_VARIABLE_VALUES" in body["errors"][0]["message"]


async def test_answers_above_the_byte_budget_end_with_a_clear_error(api: Api, kg: KrasnerGraph) -> None:
    settings = api.app.state.settings
    settings.max_response_bytes, old = 300, settings.max_response_bytes
    try:
        response = await api.client.post(
            "/graphql", json={"query": "{ relations(first: 50) { nodes { type evidence { sentence } } } }"}
        )
    finally:
        settings.max_response_bytes = old
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "KG_MAX_RESPONSE_BYTES" in body["errors"][0]["message"]


async def test_several_operations_need_an_operation_name(api: Api) -> None:
    two = "query A { stats { entities } } query B { stats { assertions } }"
    body = await api.gql(two)
    assert body["errors"][0]["message"].startswith("the document has 2 operations")
    response = await api.client.post("/graphql", json={"query": two, "operationName": "B"})
    assert set(response.json()["data"]["stats"]) == {"assertions"}
