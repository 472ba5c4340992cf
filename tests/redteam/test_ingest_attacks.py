"""Ingest attacked through the API (issue 11, failures 8 and 11, and the checks that held): bad inputs
get a code each while the rest go on, sizes are bounded, invisible characters never reach a name, and
repeated or differently titled mentions do not multiply the graph."""

from __future__ import annotations

import secrets
import threading
import time
import unicodedata
from typing import Any

import pytest
from live_server import Server

pytestmark = [pytest.mark.integration, pytest.mark.redteam]

SUBMIT = "mutation($i: [IngestArticleInput!]!) { ingestArticles(inputs: $i) { id } }"
JOB = (
    "query($id: ID!) { ingestJob(id: $id) {"
    " status total ingested unchanged failed errors { origin code message } } }"
)


def tok() -> str:
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))


def story(t: str, n: int = 1, lead: str = "Governor Maria") -> str:
    return (
        f"{lead} Quell{t} criticized Senator Paul Varn{t} on Tuesday over budget number {n}. "
        f"'This budget abandons our schools,' Quell{t} said at a press conference in the capital. "
        f"Varn{t} defended the plan and said the cuts were needed to balance the books on day {n}."
    )


def submit(server: Server, inputs: list[dict[str, Any]]) -> str:
    body = server.gql(SUBMIT, {"i": inputs}, token=True).json()
    assert "errors" not in body, body
    return str(body["data"]["ingestArticles"]["id"])


def finished(server: Server, job_id: str, within_s: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    job: dict[str, Any] = {}
    while time.monotonic() <= deadline:
        body = server.gql(JOB, {"id": job_id}).json()
        job = (body.get("data") or {}).get("ingestJob") or {"status": None, "answer": body}
        if job["status"] in ("SUCCEEDED", "FAILED"):
            break
        time.sleep(0.5)
    return job


def cypher_rows(server: Server, query: str, **params: Any) -> list[list[Any]]:
    r = server.cypher(query, params)
    assert r.status_code == 200, r.text
    return r.json()["rows"]


def test_failure_8_bad_inputs_in_a_batch_each_get_a_code(server: Server) -> None:
    t = tok()
    job = finished(
        server,
        submit(
            server,
            [
                {"text": f"x \ud800 {t}"},
                {"text": story(t), "title": "T" * 4_000_000},
                {"text": story(t), "url": "https://x.test/" + "u" * 3000},
                {"text": story(t), "source": "S\udfff"},
                {"text": "   "},
            ],
        ),
        within_s=60,
    )
    assert job["status"] == "FAILED" and job["failed"] == 5  # every input refused: nothing was written
    codes = {e["origin"]: e["code"] for e in job["errors"]}
    assert codes == {
        "inputs[0]": "lone_surrogate",
        "inputs[1]": "too_long",
        "inputs[2]": "too_long",
        "inputs[3]": "lone_surrogate",
        "inputs[4]": "missing_field",
    }
    messages = " ".join(e["message"] for e in job["errors"])
    assert "title is 4,000,000 characters; the limit is 1,000" in messages
    assert not cypher_rows(server, "MATCH (a:Article) WHERE a.text CONTAINS $t RETURN a.id", t=t)


@pytest.mark.slow
def test_failure_8_one_bad_input_does_not_refuse_the_rest_of_the_batch(server: Server) -> None:
    t = tok()
    job = finished(
        server, submit(server, [{"text": story(t, 1)}, {"text": f"bad \ud800 {t}"}, {"text": story(t, 2)}])
    )
    assert (job["status"], job["ingested"], job["failed"]) == ("SUCCEEDED", 2, 1), job
    assert job["errors"][0]["origin"] == "inputs[1]" and job["errors"][0]["code"] == "lone_surrogate"


@pytest.mark.slow
def test_failure_8_zero_width_characters_never_reach_a_name(server: Server) -> None:
    t = tok()
    text = (
        story(t)
        .replace(f"Quell{t} criticized", f"Qu\u200bell{t}\u200d criticized")
        .replace("Senator Paul", "Senator \u2060Paul\u200c")
    )
    job = finished(server, submit(server, [{"text": text, "title": f"Budget\u200b {t}"}]))
    assert job["status"] == "SUCCEEDED", job
    names = cypher_rows(
        server,
        "MATCH (p:Person) WHERE p.name CONTAINS $t OR any(a IN p.aliases WHERE a CONTAINS $t) "
        "RETURN p.name, p.aliases",
        t=t,
    )
    assert names, "the people were not extracted"
    for name, aliases in names:
        for value in [name, *aliases]:
            assert not any(unicodedata.category(c) == "Cf" for c in value), repr(value)


@pytest.mark.slow
def test_failure_8_an_article_repeating_one_sentence_writes_one_office_holding(server: Server) -> None:
    t = tok()
    sentence = f"District Attorney Larry Krasn{t} criticized Sheriff Rochelle Bil{t} over the jail. "
    job = finished(server, submit(server, [{"text": sentence * 1500, "title": f"Repeat {t}"}]), 600)
    assert job["status"] == "SUCCEEDED", job
    rows = cypher_rows(
        server,
        "MATCH (p:Person)-[r:HOLDS_OFFICE]->(o:Office) WHERE p.name CONTAINS $t "
        "RETURN p.id, o.id, count(r) AS edges",
        t=t,
    )
    assert rows and all(edges == 1 for _, _, edges in rows), rows


@pytest.mark.slow
def test_failure_11_title_variants_resolve_to_one_person_in_either_order(server: Server) -> None:
    for first, second in (
        ("City Council President", "Council President"),
        ("Council President", "City Council President"),
    ):
        t = tok()
        a = f"{first} Darrell Clark{t} criticized the mayor's budget on Monday, calling it reckless."
        b = f"{second} Darrell Clark{t} praised the transit plan on Friday and urged a quick vote."
        for text in (a, b):
            job = finished(server, submit(server, [{"text": text, "title": f"Council {t} {text[:12]}"}]))
            assert job["status"] == "SUCCEEDED", job
        people = cypher_rows(server, "MATCH (p:Person) WHERE p.name CONTAINS $t RETURN p.id", t=f"Clark{t}")
        assert len(people) == 1, (first, second, people)


@pytest.mark.slow
def test_held_ten_concurrent_copies_of_one_article_give_one_copy(server: Server) -> None:
    t = tok()
    text = story(t)
    ids: list[str] = []

    def one() -> None:
        ids.append(submit(server, [{"text": text, "title": f"Same {t}"}]))

    threads = [threading.Thread(target=one) for _ in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    jobs = [finished(server, job_id) for job_id in ids]
    assert len(jobs) == 10 and all(j["status"] == "SUCCEEDED" for j in jobs), jobs
    assert sum(j["ingested"] for j in jobs) == 1
    assert cypher_rows(server, "MATCH (a:Article {title: $title}) RETURN count(a)", title=f"Same {t}") == [
        [1]
    ]
