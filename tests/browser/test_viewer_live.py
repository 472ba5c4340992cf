"""The viewer against the real API and Neo4j, with the seed articles loaded: what a user does on the page.

Clicks are real mouse clicks at positions computed from Cytoscape (a node's rendered position, an edge's
rendered midpoint), after zooming the way a user would to make the target big enough to hit.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from viewer_helpers import KRASNER, TEST_TOKEN, LiveServer, graphql, shoot

from app.config import Settings
from graph.launcher import free_port

pytestmark = [pytest.mark.browser, pytest.mark.integration]

LYONS = "person:todd-lyons"
SUBGRAPH = """
query ($center: String!) {
  subgraph(center: $center, depth: 1, limit: 200) {
    nodes { id }
    edges { id source target type evidence { sentence quote article { title } } }
  }
}"""


def open_viewer(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.wait_for_function("document.body.dataset.state === 'ready'")


def search_and_pick(page: Any, text: str, entity_id: str) -> None:
    page.fill("#search-input", text)
    option = page.locator(f"#search-results li[role=option][data-id='{entity_id}']")
    option.wait_for()
    option.click()
    page.wait_for_function("['ready', 'error'].includes(document.body.dataset.graph)")
    assert page.evaluate("document.body.dataset.graph") == "ready", page.locator("#banner").inner_text()


def screen_point(page: Any, js_position: str, arg: str) -> tuple[float, float]:
    """Zoom onto an element like a user would, and return its on-screen point."""
    p = page.evaluate(js_position, arg)
    box = page.locator("#cy").bounding_box()
    page.wait_for_timeout(100)
    return box["x"] + p["x"], box["y"] + p["y"]


EDGE_POINT = """(id) => { const cy = window.kgViewer.cy; const e = cy.getElementById(id);
  cy.fit(e.connectedNodes(), 140); const p = e.renderedMidpoint(); return {x: p.x, y: p.y}; }"""
NODE_POINT = """(id) => { const cy = window.kgViewer.cy; const n = cy.getElementById(id);
  const p = n.renderedPosition(); return {x: p.x, y: p.y}; }"""
POSITIONS = "Object.fromEntries(window.kgViewer.cy.nodes().map(n => [n.id(), n.position()]))"


def test_search_suggests_krasner_and_draws_his_neighbourhood(page: Any, seeded: LiveServer) -> None:
    open_viewer(page, seeded)
    page.fill("#search-input", "Kras")
    option = page.locator(f"#search-results li[role=option][data-id='{KRASNER}']")
    option.wait_for()
    assert option.inner_text().startswith("Larry Krasner")
    shoot(page, "search-suggestions")
    option.click()
    page.wait_for_function("document.body.dataset.graph === 'ready'")
    drawn = page.evaluate("window.kgViewer.cy.nodes(':visible').map(n => n.id())")
    assert KRASNER in drawn
    assert len(drawn) >= 5
    assert page.locator("#graph-center-name").inner_text() == "Larry Krasner"
    # Colours and shapes by type, arrows towards the target.
    styles = page.evaluate(
        """() => window.kgViewer.cy.nodes()
                 .map(n => [n.data('type'), n.style('shape'), n.style('background-color')])"""
    )
    by_type = {t: (shape, colour) for t, shape, colour in styles}
    assert len(set(by_type.values())) == len(by_type), by_type
    assert page.evaluate("window.kgViewer.cy.edges()[0].style('target-arrow-shape')") == "triangle"
    shoot(page, "krasner-neighbourhood")
    assert not page.js_errors


def test_clicking_the_lyons_edge_shows_its_evidence(page: Any, seeded: LiveServer) -> None:
    api = graphql(seeded.url, SUBGRAPH, center=KRASNER)["subgraph"]["edges"]
    expected = [e for e in api if e["source"] == LYONS and e["target"] == KRASNER]
    assert expected, "the seeds should give an assertion from Todd Lyons about Larry Krasner"
    open_viewer(page, seeded)
    search_and_pick(page, "Kras", KRASNER)
    edge_id = page.evaluate(
        f"window.kgViewer.cy.edges().filter(e => e.source().id() === '{LYONS}'"
        f" && e.target().id() === '{KRASNER}').map(e => e.id())[0]"
    )
    x, y = screen_point(page, EDGE_POINT, edge_id)
    page.mouse.click(x, y)
    page.wait_for_function("document.body.dataset.edge")
    clicked = page.evaluate("document.body.dataset.edge")
    assert clicked == edge_id, f"the click landed on {clicked}"
    panel = page.locator("#details")
    assert "Todd Lyons" in panel.locator("[data-testid=edge-relation]").inner_text()
    assert "criticized" in panel.locator("[data-testid=edge-relation]").inner_text()
    statements = panel.locator("[data-testid=edge-statement]")
    assert statements.count() == len(expected)
    for assertion in expected:
        evidence = assertion["evidence"]
        block = statements.filter(has_text=evidence["sentence"])
        assert block.count() == 1, evidence["sentence"]
        assert block.locator("[data-testid=edge-sentence]").inner_text() == evidence["sentence"]
        if evidence["quote"]:
            assert evidence["quote"] in block.locator("[data-testid=edge-quote]").inner_text()
        else:
            assert block.locator("[data-testid=edge-quote]").count() == 0
        title = evidence["article"]["title"] or "Untitled article"
        assert block.locator("[data-testid=article-title]").inner_text() == title
    shoot(page, "edge-evidence-lyons")


def test_clicking_a_node_expands_it_in_place(page: Any, seeded: LiveServer) -> None:
    first = graphql(seeded.url, SUBGRAPH, center=KRASNER)["subgraph"]
    drawn = {n["id"] for n in first["nodes"]}
    # A neighbour of Krasner with neighbours of its own that are not drawn yet.
    candidate = None
    for node_id in sorted(drawn - {KRASNER}):
        around = {n["id"] for n in graphql(seeded.url, SUBGRAPH, center=node_id)["subgraph"]["nodes"]}
        if around - drawn:
            candidate = node_id
            break
    assert candidate, "no neighbour of Krasner has further neighbours in the seeds"

    open_viewer(page, seeded)
    search_and_pick(page, "Kras", KRASNER)
    before = page.evaluate(POSITIONS)
    x, y = screen_point(page, NODE_POINT, candidate)
    page.mouse.click(x, y)
    page.wait_for_function(f"window.kgViewer.cy.nodes().length > {len(before)}")
    page.wait_for_function(f"window.kgViewer.state.expanded.has('{candidate}')")
    page.wait_for_timeout(400)  # the new nodes glide out from the clicked one
    after = page.evaluate(POSITIONS)
    assert len(after) > len(before)
    moved = [
        i for i, p in before.items() if abs(after[i]["x"] - p["x"]) > 0.5 or abs(after[i]["y"] - p["y"]) > 0.5
    ]
    assert not moved, f"expanding moved nodes that were already drawn: {moved}"
    # The new ones sit near the clicked node, not somewhere across the canvas.
    origin = after[candidate]
    spread = max(
        abs(after[i]["x"] - origin["x"]) + abs(after[i]["y"] - origin["y"]) for i in set(after) - set(before)
    )
    assert spread < 1200
    assert (
        candidate in page.locator("#details").inner_text()
        or page.locator("#details .detail-title").count() == 1
    )
    shoot(page, "expanded-node")


def test_responses_view_groups_responders_by_stance(page: Any, seeded: LiveServer) -> None:
    open_viewer(page, seeded)
    search_and_pick(page, "Kras", KRASNER)
    page.click("#tab-responses")
    page.locator(".stance-group").first.wait_for()
    body = page.locator("#responses-body")
    assert page.locator("#responses-title").inner_text() == "Responses to Larry Krasner"
    text = body.inner_text()
    for name in ("Todd Lyons", "Pete Hegseth", "Jarrett Coleman"):
        assert name in text
    criticized = body.locator(".stance-group[data-stance=CRITICIZED]").inner_text()
    endorsed = body.locator(".stance-group[data-stance=ENDORSED]").inner_text()
    assert "Todd Lyons" in criticized
    assert "Pete Hegseth" in endorsed
    # Each responder once per stance, however many statements.
    assert (
        body.locator(
            ".stance-group[data-stance=CRITICIZED] .response-card[data-responder='person:todd-lyons']"
        ).count()
        == 1
    )
    shoot(page, "responses-krasner")

    # Relation filter applies to the list too.
    page.locator("[data-relation=ENDORSED] input").uncheck()
    page.wait_for_function("!document.querySelector('.stance-group[data-stance=ENDORSED]')")
    assert "Pete Hegseth" not in body.inner_text()


def test_a_search_that_finds_nothing_says_so(page: Any, seeded: LiveServer) -> None:
    open_viewer(page, seeded)
    page.fill("#search-input", "Qwxzyv")
    page.locator("[data-testid=search-empty]").wait_for()
    assert "No entity matches “Qwxzyv”" in page.locator("#search-results").inner_text()
    shoot(page, "search-no-match")


def test_ingest_form_runs_a_job_and_draws_what_it_found(page: Any, seeded: LiveServer) -> None:
    article = (
        "Springfield Mayor Jane Testwell criticized Governor Tom Examplar on Tuesday over the state budget. "
        "\u201cThis budget abandons our city,\u201d Testwell said."
    )
    open_viewer(page, seeded)
    page.click("#tab-ingest")
    page.fill("#ingest-token", TEST_TOKEN)
    page.fill("#ingest-title", "Testwell slams Examplar budget")
    page.fill("#ingest-published", "2025-03-04")
    page.fill("#ingest-text", article)
    page.click("#ingest-submit")
    job = page.locator("#ingest-job")
    page.wait_for_function(
        "['succeeded', 'failed'].includes(document.querySelector('#ingest-job')?.dataset.status)",
        timeout=120_000,
    )
    job_id = page.locator("#ingest-job code").inner_text()
    try:
        assert job.get_attribute("data-status") == "succeeded", job.inner_text()
        page.wait_for_function(
            "document.querySelector('#ingest-job .job-note')?.textContent.startsWith('Done.')"
        )
        shoot(page, "ingest-live")
        assert "now appear in the graph" in job.inner_text()
        page.click("#tab-graph")
        assert page.evaluate("window.kgViewer.cy.nodes('.fresh').length") >= 2
        # ...and they are on screen, not drawn off-canvas while the graph view was hidden.
        on_screen = page.evaluate(
            """() => { const cy = window.kgViewer.cy; const w = cy.width(), h = cy.height();
                return cy.nodes('.fresh').every(n => { const p = n.renderedPosition();
                  return p.x > 0 && p.y > 0 && p.x < w && p.y < h; }); }"""
        )
        assert on_screen
        shoot(page, "ingest-live-graph")
    finally:
        ids = graphql(seeded.url, "query ($id: ID!) { ingestJob(id: $id) { articleIds } }", id=job_id)
        for article_id in (ids["ingestJob"] or {}).get("articleIds", []):
            delete_article(seeded.url, article_id)


def delete_article(base_url: str, article_id: str) -> None:
    response = httpx.post(
        f"{base_url}/graphql",
        json={
            "query": "mutation ($id: ID!) { deleteArticle(id: $id) { __typename } }",
            "variables": {"id": article_id},
        },
        headers={"Authorization": f"Bearer {TEST_TOKEN}"},
        timeout=30,
    )
    assert not response.json().get("errors"), response.json()


def test_a_server_whose_neo4j_is_down_gets_a_clear_message(page: Any) -> None:
    down = LiveServer(
        Settings(KG_ENV="test", NEO4J_URI=f"bolt://127.0.0.1:{free_port()}", NEO4J_CONNECT_TIMEOUT=1)  # type: ignore[call-arg]
    )
    down.start()
    try:
        page.goto(down.url + "/")
        page.wait_for_function("document.body.dataset.state === 'ready'")
        page.fill("#search-input", "Kras")
        # Either the API reports the failure or the page gives up waiting (15 s) and says so.
        page.locator("#search-results li.error").wait_for(timeout=40_000)
        banner = page.locator("#banner")
        banner.wait_for(state="visible")
        said = banner.inner_text()
        assert "did not answer" in said or "reported an error" in said, said
        if "did not answer" in said:
            assert "unavailable" in page.locator("#graph-empty").inner_text()
        shoot(page, "neo4j-down")
    finally:
        down.stop()
