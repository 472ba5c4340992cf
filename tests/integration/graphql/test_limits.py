"""Each safety limit rejects an oversized request with a message that names the limit."""

from __future__ import annotations

import pytest
from kg_fixture import API_TOKEN, Api

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
