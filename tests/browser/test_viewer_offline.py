"""The viewer against a stand-in `/graphql` (Playwright's page.route): shapes the seeds cannot give —
3,000 nodes, a truncated neighbourhood, an unreachable API, a failing ingest job — and exact filters.

The page itself is served by the real app; only the GraphQL answers are synthetic.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from viewer_helpers import FakeGraphQL, shoot
from viewer_synthetic import (
    KRASNER,
    big_graph,
    krasner_graph,
    lyons_graph,
    search_answer,
    subgraph,
)

pytestmark = [pytest.mark.browser]

DRAW_BUDGET_S = 20.0
INTERACTION_BUDGET_S = 8.0


def node_count(page: Any) -> int:
    return page.evaluate("window.kgViewer.cy.nodes(':visible').length")


def open_viewer(page: Any, server: Any, fake: FakeGraphQL) -> None:
    fake.install(page)
    page.goto(server.url + "/")
    page.wait_for_function("document.body.dataset.state === 'ready'")


def pick(page: Any, text: str, name: str) -> None:
    page.fill("#search-input", text)
    page.locator("#search-results li[role=option]", has_text=name).click()
    page.wait_for_function("['ready', 'error'].includes(document.body.dataset.graph)")


def krasner_api(**extra: Any) -> FakeGraphQL:
    def sub(v: dict[str, Any]) -> dict[str, Any]:
        if v["center"] == "person:todd-lyons":
            return subgraph(*lyons_graph())
        return subgraph(*krasner_graph())

    return FakeGraphQL(
        ViewerSearch=lambda v: search_answer((KRASNER, "Larry Krasner", "Person")),
        ViewerSubgraph=sub,
        **extra,
    )


def test_a_3000_node_neighbourhood_renders_quickly_and_stays_interactive(page: Any, live_server: Any) -> None:
    nodes, edges = big_graph(3000)
    extra_nodes = [
        {"id": f"new:{i}", "type": "Event", "label": f"New event {i}", "aliases": [], "properties": {}}
        for i in range(5)
    ]

    def sub(v: dict[str, Any]) -> dict[str, Any]:
        if v["center"] == "person:hub":
            return subgraph(nodes, edges, truncated=True)
        c = v["center"]
        new_edges = [
            {"id": f"ne:{c}:{i}", "source": c, "target": f"new:{i}", "type": "INVOLVED_IN", "evidence": None}
            for i in range(5)
        ]
        return subgraph([n for n in nodes if n["id"] == c] + extra_nodes, new_edges)

    fake = FakeGraphQL(
        ViewerSearch=lambda v: search_answer(("person:hub", "Hub Person", "Person")), ViewerSubgraph=sub
    )
    open_viewer(page, live_server, fake)
    started = time.monotonic()
    pick(page, "Hub", "Hub Person")
    elapsed = time.monotonic() - started
    assert node_count(page) == 3000
    # Bounds generous enough for a loaded 2-core CI box; an O(n²) layout would blow them by far.
    assert elapsed < DRAW_BUDGET_S, f"a 3,000-node neighbourhood took {elapsed:.1f}s to draw"
    layout_ms = page.evaluate("window.kgViewer.graph.lastLayoutMs")
    assert layout_ms < 3000, f"layout took {layout_ms:.0f} ms"
    # The truncation is said, with the count.
    notice = page.locator("#truncated-notice")
    assert notice.is_visible()
    assert "showing 3000 nodes of more" in notice.inner_text()
    shoot(page, "large-graph-3000")

    # Still interactive: zooming answers promptly, and a click on a node expands it in place.
    started = time.monotonic()
    box = page.locator("#cy").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(50)
    assert time.monotonic() - started < INTERACTION_BUDGET_S
    target = page.evaluate(
        """() => { const cy = window.kgViewer.cy; const n = cy.getElementById('n:7');
                   cy.zoom(1.5); cy.center(n); const p = n.renderedPosition(); return {x: p.x, y: p.y}; }"""
    )
    before = page.evaluate("window.kgViewer.cy.getElementById('n:8').position()")
    started = time.monotonic()
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_function("window.kgViewer.cy.nodes().length === 3005", timeout=15000)
    assert time.monotonic() - started < INTERACTION_BUDGET_S
    after = page.evaluate("window.kgViewer.cy.getElementById('n:8').position()")
    assert before == after, "expanding a node moved an existing node"
    shoot(page, "large-graph-expanded")
    assert not page.js_errors


def test_unreachable_api_gets_a_message_not_a_blank_page(page: Any, live_server: Any) -> None:
    page.route("**/graphql", lambda route: route.abort("connectionrefused"))
    page.goto(live_server.url + "/")
    banner = page.locator("#banner")
    banner.wait_for(state="visible")
    assert "cannot be reached" in banner.inner_text()
    assert page.locator("#graph-empty").is_visible()
    assert "API is unavailable" in page.locator("#graph-empty").inner_text()
    assert page.locator("#api-status").get_attribute("data-status") == "down"
    # Typing a search while it is down says so too, in the suggestions.
    page.fill("#search-input", "Kras")
    page.locator("#search-results li.error").wait_for()
    assert "cannot be reached" in page.locator("#search-results").inner_text()
    shoot(page, "api-unreachable")


def test_api_errors_are_shown(page: Any, live_server: Any) -> None:
    fake = krasner_api()
    fake.handlers["ViewerSubgraph"] = lambda v: {"data": None, "errors": [{"message": "Unexpected error."}]}
    open_viewer(page, live_server, fake)
    pick(page, "Kras", "Larry Krasner")
    assert "Unexpected error." in page.locator("#banner").inner_text()
    assert "could not be loaded" in page.locator("#graph-empty").inner_text()


def test_relation_and_date_filters_hide_edges(page: Any, live_server: Any) -> None:
    open_viewer(page, live_server, krasner_api())
    pick(page, "Kras", "Larry Krasner")
    visible = "window.kgViewer.cy.edges(':visible').map(e => e.data('type')).sort()"
    criticized = "window.kgViewer.cy.edges(':visible').filter(e => e.data('type') === 'CRITICIZED').length"
    assert page.evaluate(criticized) == 2
    page.locator("[data-relation=CRITICIZED] input").uncheck()
    assert not page.js_errors, page.js_errors
    page.wait_for_function(f"{criticized} === 0", timeout=5000)
    # Todd Lyons only criticized: with that hidden, he goes too.
    assert page.evaluate("window.kgViewer.cy.getElementById('person:todd-lyons').visible()") is False
    page.locator("[data-relation=CRITICIZED] input").check()
    page.wait_for_function(f"{criticized} === 2", timeout=5000)
    assert page.evaluate("window.kgViewer.cy.getElementById('person:todd-lyons').visible()") is True

    page.fill("#filter-since", "2025-06-01")
    page.fill("#filter-until", "2025-06-30")
    page.locator("#filter-until").dispatch_event("change")
    page.locator("#filter-since").dispatch_event("change")
    # Like the checkbox steps: wait for the filtered state (the page applies it after its own event turn).
    page.wait_for_function(f"JSON.stringify({visible}) === JSON.stringify(['ENDORSED'])", timeout=5000)
    assert page.evaluate(visible) == ["ENDORSED"]
    shoot(page, "filters-date-range")
    page.click("#filter-reset")
    page.wait_for_function(f"{visible}.length === 8", timeout=5000)
    assert len(page.evaluate(visible)) == 8


def test_search_without_match_says_so(page: Any, live_server: Any) -> None:
    fake = FakeGraphQL(ViewerSearch=lambda v: search_answer())
    open_viewer(page, live_server, fake)
    page.fill("#search-input", "Zzyzx")
    page.locator("[data-testid=search-empty]").wait_for()
    assert "No entity matches “Zzyzx”" in page.locator("#search-results").inner_text()


def test_ingest_shows_progress_and_new_nodes(page: Any, live_server: Any) -> None:
    polls = {"n": 0}

    def job(v: dict[str, Any]) -> dict[str, Any]:
        polls["n"] += 1
        status = ["queued", "running", "running", "succeeded"][min(polls["n"] - 1, 3)]
        return {
            "data": {
                "ingestJob": {
                    "id": v["id"],
                    "status": status.upper(),
                    "total": 1,
                    "processed": 1 if status == "succeeded" else 0,
                    "ingested": 1 if status == "succeeded" else 0,
                    "unchanged": 0,
                    "failed": 0,
                    "entitiesWritten": 3 if status == "succeeded" else 0,
                    "relationsWritten": 2 if status == "succeeded" else 0,
                    "articleIds": ["a9"] if status == "succeeded" else [],
                    "errors": [],
                }
            }
        }

    seen_tokens: list[str] = []

    def ingest(v: dict[str, Any]) -> dict[str, Any]:
        seen_tokens.append(v["input"]["text"][:10])
        return {"data": {"ingestArticle": {"id": "job:1", "status": "QUEUED"}}}

    fake = krasner_api(
        ViewerIngest=ingest,
        ViewerJob=job,
        ViewerJobEntities=lambda v: {
            "data": {
                "ingestJob": {
                    "id": v["id"],
                    "articles": [
                        {
                            "id": "a9",
                            "assertions": [
                                {"source": {"id": "person:todd-lyons"}, "target": {"id": KRASNER}}
                            ],
                        }
                    ],
                }
            }
        },
    )
    open_viewer(page, live_server, fake)
    pick(page, "Kras", "Larry Krasner")
    before = node_count(page)
    requests: list[Any] = []
    page.on("request", lambda r: requests.append(r) if r.url.endswith("/graphql") else None)
    page.click("#tab-ingest")
    page.fill("#ingest-text", "Todd Lyons criticized Larry Krasner again.")
    page.click("#ingest-submit")
    assert "token is required" in page.locator("#ingest-form-error").inner_text()
    page.fill("#ingest-token", "secret-token")
    page.fill("#ingest-title", "Lyons again")
    page.click("#ingest-submit")
    page.locator("#ingest-job[data-status=running]").wait_for()
    page.locator("#ingest-job[data-status=succeeded]").wait_for()
    page.wait_for_function(
        "document.querySelector('#ingest-job .job-note')?.textContent.includes('now appear')"
    )
    shoot(page, "ingest-succeeded")
    auth = [r.headers.get("authorization") for r in requests if "ViewerIngest" in (r.post_data or "")]
    assert auth == ["Bearer secret-token"]
    assert node_count(page) > before
    assert page.evaluate("window.kgViewer.cy.$('node.fresh').length") >= 1


def test_a_failed_ingest_job_says_why(page: Any, live_server: Any) -> None:
    fake = FakeGraphQL(
        ViewerIngest=lambda v: {"data": {"ingestArticle": {"id": "job:2", "status": "QUEUED"}}},
        ViewerJob=lambda v: {
            "data": {
                "ingestJob": {
                    "id": "job:2",
                    "status": "FAILED",
                    "total": 1,
                    "processed": 1,
                    "ingested": 0,
                    "unchanged": 0,
                    "failed": 1,
                    "entitiesWritten": 0,
                    "relationsWritten": 0,
                    "articleIds": [],
                    "errors": [
                        {"origin": "article", "code": "empty_text", "message": "the article has no text"}
                    ],
                }
            }
        },
    )
    open_viewer(page, live_server, fake)
    page.click("#tab-ingest")
    page.fill("#ingest-token", "secret-token")
    page.fill("#ingest-text", "   x")
    page.click("#ingest-submit")
    page.locator("#ingest-job[data-status=failed]").wait_for()
    text = page.locator("#ingest-job").inner_text()
    assert "the article has no text" in text
    assert "job failed" in text
    shoot(page, "ingest-failed")


def test_a_refused_token_is_explained(page: Any, live_server: Any) -> None:
    fake = FakeGraphQL(
        ViewerIngest=lambda v: {
            "data": None,
            "errors": [{"message": "Not authorized: a valid API token is required"}],
        }
    )
    open_viewer(page, live_server, fake)
    page.click("#tab-ingest")
    page.fill("#ingest-token", "wrong")
    page.fill("#ingest-text", "Some article.")
    page.click("#ingest-submit")
    page.wait_for_function("document.querySelector('#ingest-form-error').textContent.length > 0")
    assert "refused" in page.locator("#ingest-form-error").inner_text()


def test_csv_cells_are_quoted_and_never_run_as_formulas(page: Any, live_server: Any) -> None:
    open_viewer(page, live_server, krasner_api())
    cells = page.evaluate(
        """async () => { const m = await import('/static/export.js');
             return ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'a, b', 'say "no"', 'two\\nlines',
                     'plain', null, 0.5].map(v => m.csvField(v)); }"""
    )
    assert cells == [
        '"\'=HYPERLINK(""x"")"',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        '"a, b"',
        '"say ""no"""',
        '"two\nlines"',
        "plain",
        "",
        "0.5",
    ]


def test_a_view_survives_the_trip_through_its_url(page: Any, live_server: Any) -> None:
    open_viewer(page, live_server, krasner_api())
    back = page.evaluate(
        """async () => { const m = await import('/static/export.js');
             const all = ['CRITICIZED', 'ENDORSED', 'RESPONDED_TO', 'SPONSORED'];
             const view = { center: 'person:larry-krasner', depth: 2, limit: 500, fetched: new Set(all),
               types: new Set(['CRITICIZED', 'ENDORSED']), since: '2025-01-01', until: '',
               expanded: ['person:todd-lyons', 'organization:ice'], edge: 'person:a|CRITICIZED|person:b',
               node: null, read: { articleId: 'abc', charStart: 971 }, tab: 'graph' };
             const hash = m.viewToHash(view, all);
             const again = m.hashToView(hash, all);
             return { hash, again: { ...again, fetched: [...again.fetched], types: [...again.types] } }; }"""
    )
    expected_start = "#entity=person:larry-krasner&depth=2&limit=500&hide=RESPONDED_TO,SPONSORED"
    assert back["hash"].startswith(expected_start)
    assert back["again"] == {
        "center": "person:larry-krasner",
        "depth": 2,
        "limit": 500,
        "fetched": ["CRITICIZED", "ENDORSED", "RESPONDED_TO", "SPONSORED"],
        "types": ["CRITICIZED", "ENDORSED"],
        "since": "2025-01-01",
        "until": "",
        "expanded": ["person:todd-lyons", "organization:ice"],
        "edge": "person:a|CRITICIZED|person:b",
        "node": None,
        "read": {"articleId": "abc", "charStart": 971},
        "tab": "graph",
    }
