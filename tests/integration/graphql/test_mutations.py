"""Mutations: an article goes in as a background job, shows up in `responses`, and can be deleted."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from kg_fixture import API_TOKEN, Api

pytestmark = pytest.mark.integration
AUTH = {"authorization": f"Bearer {API_TOKEN}"}


async def _wait(api: Api, job_id: str, limit_s: float = 120) -> dict:
    q = "query($id: ID!) { ingestJob(id: $id) { status ingested failed articleIds errors { message } } }"
    async with asyncio.timeout(limit_s):
        while True:
            job = (await api.data(q, {"id": job_id}))["ingestJob"]
            if job["status"] in ("SUCCEEDED", "FAILED"):
                return job
            await asyncio.sleep(0.3)


async def test_ingest_article_runs_in_the_background_and_can_be_deleted(api: Api, clean_graph) -> None:
    tok = uuid.uuid4().hex[:6]
    critic = "Castellano"
    text = (
        f"Mayor Anna Whitcombe announced transit plan {tok} on Monday. "
        "State Senator Bruno Castellano sharply criticized Whitcombe for the plan, calling it reckless. "
        "\u201cThis plan is a waste of money,\u201d Castellano said."
    )
    body = await api.gql(
        "mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { id status total } }",
        {
            "i": {
                "text": text,
                "title": f"Transit fight {tok}",
                "url": f"https://example.org/{tok}",
                "publishedAt": "2025-07-01T09:00:00Z",
                "source": "example.org",
            }
        },
        **AUTH,
    )
    assert "errors" not in body, body
    job = body["data"]["ingestArticle"]
    assert job["status"] in ("QUEUED", "RUNNING", "SUCCEEDED") and job["total"] == 1
    done = await _wait(api, job["id"])
    assert done["status"] == "SUCCEEDED" and done["ingested"] == 1, done
    article_id = done["articleIds"][0]

    article = (
        await api.data(
            "query($id: ID!) { article(id: $id) { title mentions { entity { name } } } }", {"id": article_id}
        )
    )["article"]
    assert article["title"] == f"Transit fight {tok}"
    assert any(critic in m["entity"]["name"] for m in article["mentions"])

    deleted = await api.gql(
        "mutation($id: ID!) { deleteArticle(id: $id) { deleted } }", {"id": article_id}, **AUTH
    )
    assert deleted["data"]["deleteArticle"]["deleted"] is True
    assert (await api.data("query($id: ID!) { article(id: $id) { id } }", {"id": article_id}))[
        "article"
    ] is None


async def test_resending_unchanged_text_with_new_metadata_updates_it_and_keeps_the_assertions(
    api: Api, clean_graph
) -> None:
    tok = uuid.uuid4().hex[:6]
    text = (
        f"Mayor Anna Whitcombe announced ferry plan {tok} on Monday. "
        "State Senator Bruno Castellano sharply criticized Whitcombe for the plan, calling it reckless. "
        "\u201cThis plan is a waste of money,\u201d Castellano said."
    )
    title = f"Ferry fight {tok}"
    ingest = "mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { id } }"
    job_q = "query($id: ID!) { ingestJob(id: $id) { status ingested unchanged metadataUpdated articleIds } }"
    article_q = """query($id: ID!) { article(id: $id) { url source publishedAt
        assertions { id type evidence { sentence observedAt } } } }"""

    async def send(**meta: str) -> dict:
        body = await api.gql(ingest, {"i": {"text": text, "title": title, **meta}}, **AUTH)
        assert "errors" not in body, body
        await _wait(api, body["data"]["ingestArticle"]["id"])
        return (await api.data(job_q, {"id": body["data"]["ingestArticle"]["id"]}))["ingestJob"]

    first = await send()
    assert first["ingested"] == 1, first
    article_id = first["articleIds"][0]
    before = (await api.data(article_q, {"id": article_id}))["article"]
    assert before["url"] is None and before["assertions"], before

    url = f"https://example.org/ferry-{tok}"
    second = await send(url=url, source="Example Gazette", publishedAt="2025-03-04T08:00:00Z")
    assert second["status"] == "SUCCEEDED"
    assert (second["metadataUpdated"], second["unchanged"], second["ingested"]) == (1, 0, 0), second
    after = (await api.data(article_q, {"id": article_id}))["article"]
    assert (after["url"], after["source"]) == (url, "Example Gazette")
    assert after["publishedAt"].startswith("2025-03-04T08:00:00")
    # The same assertions (same relationship ids, same sentences), dated by the article's new date.
    assert [(a["id"], a["evidence"]["sentence"]) for a in after["assertions"]] == [
        (a["id"], a["evidence"]["sentence"]) for a in before["assertions"]
    ]
    assert {a["evidence"]["observedAt"][:10] for a in after["assertions"]} == {"2025-03-04"}

    # Nothing new, or less (an omitted field never erases a stored one): unchanged.
    third = await send(url=url)
    assert (third["metadataUpdated"], third["unchanged"]) == (0, 1), third
    assert (await api.data(article_q, {"id": article_id}))["article"]["source"] == "Example Gazette"
