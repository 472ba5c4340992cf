"""The known-query lane (app/graphql/fast_lane.py) answers exactly what the full path answers.

Two apps on one seeded Neo4j, one with the lane and one without (`KG_KNOWN_QUERY_LANE=false`); every
document the benches send, and the kinds of request the GraphQL-over-HTTP audit sends, go to both, a few
times each (the first teaches the lane), with the same headers. Status, content type and body bytes must
be equal, and the lane must have answered the repeats itself (or handed them back, for errors).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.config import Settings
from app.graphql.fast_lane import KnownQueryLane
from app.main import create_app

pytestmark = pytest.mark.integration

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_api import RESPONSES_GQL, SUBGRAPH_GQL  # noqa: E402
from bench_peer import PROJECT_RESPONSES, PROJECT_SUBGRAPH  # noqa: E402

FRAGMENTS = """query Around($to: String!, $n: Int = 50, $ev: Boolean!) {
  subgraph(center: $to, depth: 2, limit: $n) { ...Graph }
  again: responses(to: $to, first: 5) { type ... on Response { responder { __typename name } } }
}
fragment Graph on Subgraph {
  truncated nodes { id label } edges { type evidence @include(if: $ev) { quote } } }"""

# (body, headers): what is repeated to both apps. Documents with variables are repeated with other values
# too, which the lane must check and execute with the values of each request.
REQUESTS: list[tuple[dict[str, Any], dict[str, str]]] = [
    ({"query": "{ __typename }"}, {}),
    ({"query": "{ __typename }"}, {"accept": "application/graphql-response+json"}),
    ({"query": "{ __typename }"}, {"accept": "application/json, application/graphql-response+json;q=0.9"}),
    ({"query": RESPONSES_GQL}, {}),
    ({"query": SUBGRAPH_GQL}, {}),
    ({"query": PROJECT_RESPONSES, "variables": {"to": "Krasner"}}, {}),
    ({"query": PROJECT_RESPONSES, "variables": {"to": "Krasner"}, "operationName": "Responses"}, {}),
    ({"query": PROJECT_SUBGRAPH, "variables": {"to": "Krasner"}}, {}),
    ({"query": PROJECT_SUBGRAPH, "variables": {"to": "Lyons"}}, {}),
    ({"query": FRAGMENTS, "variables": {"to": "Krasner", "ev": True}}, {}),
    ({"query": FRAGMENTS, "variables": {"to": "Krasner", "ev": False, "n": 3}}, {}),
    ({"query": "query A { __typename } query B { stats { entities } }", "operationName": "B"}, {}),
    ({"query": '{ search(text: "Krasner") { nodes { __typename ... on Person { name } } } }'}, {}),
]

# Requests that must not be answered by the lane however often they come: errors, limits, mutations,
# other content types; the full path answers them (and the answers must still be equal).
HANDED_BACK: list[tuple[dict[str, Any], dict[str, str]]] = [
    ({"query": PROJECT_SUBGRAPH, "variables": {"to": 5}}, {}),  # a variable of the wrong type
    ({"query": PROJECT_SUBGRAPH, "variables": {"to": "no-such-entity-anywhere"}}, {}),  # a resolver error
    ({"query": FRAGMENTS, "variables": {"to": "Krasner", "ev": True, "n": 10_000}}, {}),  # limit 1..500
    ({"query": "{ nope }"}, {"accept": "application/graphql-response+json"}),
    ({"query": "{ __typename }", "variables": ["not", "an", "object"]}, {}),
    ({"query": "{ __typename }", "extra": 1}, {}),
    ([{"query": "{ __typename }"}, {"query": "{ __typename }"}], {}),  # a batch
    ({"query": "mutation { __typename }"}, {}),
]


def find_lane(app: FastAPI) -> KnownQueryLane:
    layer: Any = app.middleware_stack
    while layer is not None and not isinstance(layer, KnownQueryLane):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, KnownQueryLane), "the lane is not in the app's middleware"
    return layer


@pytest.fixture(scope="module")
async def clients(settings: Settings, seeded: None) -> AsyncIterator[tuple[httpx.AsyncClient, ...]]:
    apps = [
        create_app(settings, recover_jobs=False),
        create_app(settings.model_copy(update={"known_query_lane": False}), recover_jobs=False),
    ]
    async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
        lane_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[0]), base_url="http://t")
        full_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[1]), base_url="http://t")
        async with lane_client, full_client:
            yield lane_client, full_client, apps[0]  # type: ignore[misc]


async def both(
    lane: httpx.AsyncClient, full: httpx.AsyncClient, body: Any, headers: dict[str, str]
) -> httpx.Response:
    answers = [await c.post("/graphql", json=body, headers=headers) for c in (lane, full)]
    a, b = answers
    assert (a.status_code, a.headers.get("content-type"), a.content) == (
        b.status_code,
        b.headers.get("content-type"),
        b.content,
    ), (body, headers)
    return a


async def test_known_queries_answered_by_the_lane_byte_for_byte(clients: tuple[Any, ...]) -> None:
    lane_client, full_client, lane_app = clients
    for body, headers in REQUESTS:
        first = await both(lane_client, full_client, body, headers)
        assert first.status_code == 200 and "errors" not in first.json(), (body, first.text)
    lane = find_lane(lane_app)
    taken = lane.taken
    for _ in range(2):
        for body, headers in REQUESTS:
            await both(lane_client, full_client, body, headers)
    # Every repeat came by the lane (a request asked once before with other headers counts as known).
    assert lane.taken - taken == 2 * len(REQUESTS)
    assert lane.returned == 0


async def test_errors_limits_batches_and_mutations_go_the_full_way(clients: tuple[Any, ...]) -> None:
    lane_client, full_client, lane_app = clients
    for body, headers in REQUESTS:  # make every document known
        await both(lane_client, full_client, body, headers)
    lane = find_lane(lane_app)
    taken, returned = lane.taken, lane.returned
    statuses = []
    for _ in range(2):
        for body, headers in HANDED_BACK:
            statuses.append((await both(lane_client, full_client, body, headers)).status_code)
    assert lane.taken == taken
    # The three known documents whose variables give an error (coercion, resolver, limit) were tried by
    # the lane and handed back, twice each; the rest never reached it.
    assert lane.returned - returned == 3 * 2
    assert set(statuses) <= {200, 400, 405}


async def test_an_error_on_a_known_query_costs_one_read(clients: tuple[Any, ...]) -> None:
    """A known document whose answer has an error is executed once: the lane's result goes to the full
    path, which formats it (the bytes are the full path's, `both` checks them), without reading again."""
    lane_client, full_client, lane_app = clients
    known = {"query": PROJECT_SUBGRAPH, "variables": {"to": "Krasner"}}
    await both(lane_client, full_client, known, {})
    missing = {"query": PROJECT_SUBGRAPH, "variables": {"to": "no-such-entity-anywhere"}}
    lane = find_lane(lane_app)
    seen: list[str] = []
    lane_app.state.query_listeners[:] = [lambda cypher, params: seen.append(cypher)]
    try:
        for headers in ({}, {"accept": "application/graphql-response+json"}):
            returned = lane.returned
            seen.clear()
            answer = await lane_client.post("/graphql", json=missing, headers=headers)
            assert lane.returned == returned + 1  # the lane executed it and handed it over
            assert len(seen) == 1, seen  # one read, not one by the lane and one by the full path
            assert answer.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND", answer.text
            await both(lane_client, full_client, missing, headers)
    finally:
        lane_app.state.query_listeners.clear()


async def test_an_outage_on_a_known_query_is_a_503_after_one_execution(settings: Settings) -> None:
    """Neo4j unreachable: a known document that now reads answers 503 + Retry-After as the full path
    does, from the lane's one execution. The document is learnt with `$read: false`, which reads nothing."""
    from graph.launcher import free_port

    down = settings.model_copy(
        update={"neo4j_uri": f"bolt://127.0.0.1:{free_port()}", "neo4j_connect_timeout_s": 1}
    )
    document = "query S($read: Boolean!) { __typename stats @include(if: $read) { entities } }"
    apps = [
        create_app(down, recover_jobs=False),
        create_app(down.model_copy(update={"known_query_lane": False}), recover_jobs=False),
    ]
    async with apps[0].router.lifespan_context(apps[0]), apps[1].router.lifespan_context(apps[1]):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") for app in apps
        ]
        async with clients[0], clients[1]:
            learnt = await both(*clients, {"query": document, "variables": {"read": False}}, {})
            assert learnt.status_code == 200
            lane = find_lane(apps[0])
            seen: list[str] = []
            apps[0].state.query_listeners[:] = [lambda cypher, params: seen.append(cypher)]
            returned = lane.returned
            answer = await both(*clients, {"query": document, "variables": {"read": True}}, {})
            assert answer.status_code == 503 and answer.headers["retry-after"], answer.text
            assert lane.returned == returned + 1
            assert len(seen) == 1, seen  # the lane's read; the full path did not try again
