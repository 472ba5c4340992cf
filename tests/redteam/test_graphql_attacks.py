"""`/graphql` attacked (issue 11, failures 4-7, and the checks that held), on a live server, no token
unless said: no document may hold the event loop, produce gigabytes, or answer an internal error."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
from live_server import Server

pytestmark = [pytest.mark.integration, pytest.mark.redteam]


def fragment_bomb(levels: int) -> str:
    frags = ["fragment F0 on Query { stats { entities } }"]
    frags += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query Bomb {{ ...F{levels} }}\n" + "\n".join(frags)


class HealthProbe:
    """Polls /health while an attack runs; the slowest answer is what every other user would have felt."""

    def __init__(self, server: Server) -> None:
        self.server, self.slowest, self.failures = server, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.server.base, timeout=10) as c:
            while not self._stop.is_set():
                began = time.perf_counter()
                try:
                    ok = c.get("/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.slowest = max(self.slowest, time.perf_counter() - began)
                self.failures += not ok
                self._stop.wait(0.05)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=15)


def test_failure_4_fragment_fan_out_is_refused_at_once_and_health_keeps_answering(server: Server) -> None:
    with HealthProbe(server) as probe:
        began = time.perf_counter()
        r = server.gql(fragment_bomb(30))
        took = time.perf_counter() - began
    assert r.status_code == 200 and r.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert took < 1.0, f"refused after {took:.2f} s"
    assert probe.failures == 0 and probe.slowest < 1.0


NESTED = (
    "relations(first: 100) { nodes { source { relations(first: 100) { nodes { target {"
    " mentions { nodes { count } } } } } } } }"
)


@pytest.mark.parametrize("aliases", [1, 10, 30])
def test_failure_5_nested_lists_at_the_maximum_page_size_are_refused_by_cost(
    server: Server, aliases: int
) -> None:
    doc = "{ " + " ".join(f"a{i}: {NESTED}" for i in range(aliases)) + " }"
    r = server.gql(doc)
    assert r.status_code == 200, r.status_code  # never a 500
    body = r.json()
    assert body.get("data") is None and body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert len(r.content) < 10_000


def test_failure_5_unpaginated_lists_are_priced_too(server: Server) -> None:
    inner = "ingestJobs(first: 100) { nodes { articles { assertions { evidence { sentence } } } } }"
    r = server.gql("{ " + " ".join(f"j{i}: {inner}" for i in range(10)) + " }")
    body = r.json()
    assert r.status_code == 200 and body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


MILLION = "query($t: [RelationType!]) { relations(filter: {types: $t}) { totalCount } }"


def million_item_body() -> str:
    return json.dumps({"query": MILLION, "variables": {"t": ["CRITICIZED"] * 1_000_000}})


def test_failure_6_a_million_item_list_variable_is_refused_in_seconds(server: Server) -> None:
    body = million_item_body()
    assert len(body) > 12_000_000
    with server.client() as c:
        began = time.perf_counter()
        r = c.post("/graphql", content=body, headers={"content-type": "application/json"})
        took = time.perf_counter() - began
    assert r.status_code in (200, 400, 413), r.status_code
    if r.status_code != 413:
        assert "KG_MAX_VARIABLE_VALUES" in r.json()["errors"][0]["message"]
    assert took < 5.0, f"refused after {took:.1f} s (was 10-15 s)"


def test_failure_6_a_million_item_list_variable_does_not_hold_other_requests(server: Server) -> None:
    body = million_item_body()
    # What parsing that body costs on this machine now: the stall if the server parses it on its loop.
    parse_s = min(_timed(lambda: json.loads(body)) for _ in range(3))
    # What the attack adds to the slowest /health over what the same probe saw just before without it,
    # the best of three: a stall of the loop adds about `parse_s` every time, the noise of a machine
    # shared with other heavy jobs (0.1-0.2 s /health answers with no attack at all) only some times.
    added = []
    for _ in range(3):
        with HealthProbe(server) as quiet:
            time.sleep(1.0)
        with HealthProbe(server) as probe, server.client() as c:
            r = c.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 413 and "KG_MAX_VARIABLE_VALUES" in r.json()["errors"][0]["message"]
        added.append(probe.slowest - quiet.slowest)
        if added[-1] < 0.5 * parse_s:
            break
    assert min(added) < 0.5 * parse_s, (
        f"/health waited {min(added):.2f} s longer during the attack (parsing the body takes {parse_s:.2f} s)"
    )


def _timed(fn: object) -> float:
    began = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - began


def test_failure_7_several_operations_without_a_name_are_an_error(server: Server) -> None:
    r = server.gql("query A { stats { entities } } query B { stats { assertions } }")
    assert r.json()["errors"][0]["message"].startswith("the document has 2 operations")


@pytest.mark.parametrize("offset", [str(2**70), "9" * 5000])
def test_failure_7_out_of_range_cursors_are_user_errors(server: Server, offset: str) -> None:
    import base64

    cursor = base64.b64encode(f"offset:{offset}".encode()).decode()
    r = server.gql("query($a: String) { articles(first: 1, after: $a) { totalCount } }", {"a": cursor})
    error = r.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST", error


def test_held_mutations_need_the_token(server: Server) -> None:
    r = server.gql('mutation { ingestArticle(input: {text: "x"}) { id } }')
    assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    with server.client() as c:
        wrong = {"authorization": "Bearer " + "y" * len(server.token)}
        r = c.post(
            "/graphql", json={"query": 'mutation { deleteArticle(id: "x") { deleted } }'}, headers=wrong
        )
    assert r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_held_cors_gives_a_foreign_origin_nothing(server: Server) -> None:
    with server.client() as c:
        r = c.options(
            "/graphql",
            headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
        )
        assert "access-control-allow-origin" not in r.headers
        r = c.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_held_batching_is_off(server: Server) -> None:
    with server.client() as c:
        r = c.post("/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert r.status_code in (400, 415, 422), r.status_code


def test_held_depth_aliases_and_duplicated_fields_are_limited(server: Server) -> None:
    deep = (
        "{ articles { nodes { "
        + "mentions { nodes { entity { ... on Person { " * 6
        + "id"
        + " } } } }" * 6
        + " } } }"
    )
    assert server.gql(deep).json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    many = "{ " + " ".join(f"a{i}: stats {{ entities }}" for i in range(31)) + " }"
    assert server.gql(many).json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    dup = "{ stats { " + "entities " * 400 + "} }"
    r = server.gql(dup)
    assert r.status_code == 200 and r.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
