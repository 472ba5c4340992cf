"""What the viewer does with statements, on the seeds: parallel assertions as one edge with its counts, the
article reader, the PNG and CSV exports, and a URL that reopens the same view.

Each test compares the page with what the API says, so a change in the seeds' extraction moves both.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from viewer_helpers import KRASNER, LiveServer, colour_share, decode_png, graphql, shoot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

LYONS = "person:todd-lyons"
ICE = "organization:u-s-immigration-and-customs-enforcement"
SUBGRAPH = """
query ($center: String!) {
  subgraph(center: $center, depth: 1, limit: 200) {
    nodes { id label }
    edges { id source target type evidence { sentence quote charStart charEnd article { id } } }
  }
}"""
ARTICLE = "query ($id: ID!) { article(id: $id) { id title url text } }"
POSITIONS = """() => Object.fromEntries(window.kgViewer.cy.nodes().map(
    n => [n.id(), [Math.round(n.position('x') * 10) / 10, Math.round(n.position('y') * 10) / 10]]))"""
EDGES = """() => window.kgViewer.cy.edges().map(e => ({id: e.id(), source: e.source().id(),
    target: e.target().id(), type: e.data('type'), count: e.data('count'), articles: e.data('articles'),
    label: e.data('label')}))"""
EDGE_POINT = """(id) => { const cy = window.kgViewer.cy; const e = cy.getElementById(id);
  cy.fit(e.connectedNodes(), 140); const p = e.renderedMidpoint(); return {x: p.x, y: p.y}; }"""


def draw(page: Any, server: LiveServer, entity: str = KRASNER, text: str = "Kras") -> None:
    page.goto(server.url + "/")
    page.wait_for_function("document.body.dataset.state === 'ready'")
    page.fill("#search-input", text)
    page.locator(f"#search-results li[role=option][data-id='{entity}']").click()
    page.wait_for_function("document.body.dataset.graph === 'ready'")


def assertions_by_edge(edges: list[dict[str, Any]]) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        grouped[(e["source"], e["type"], e["target"])].append(e)
    return grouped


def tap_edge(page: Any, source: str, type_: str, target: str) -> str:
    """Click the drawn edge from `source` to `target` with a real mouse click; return its id."""
    edge_id = page.evaluate(
        """([s, t, type]) => window.kgViewer.cy.edges().filter(e => e.source().id() === s
             && e.target().id() === t && e.data('type') === type).map(e => e.id())[0]""",
        [source, target, type_],
    )
    assert edge_id, f"no {type_} edge drawn from {source} to {target}"
    point = page.evaluate(EDGE_POINT, edge_id)
    box = page.locator("#cy").bounding_box()
    page.wait_for_timeout(100)
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function("(id) => document.body.dataset.edge === id", arg=edge_id)
    return edge_id


def test_parallel_assertions_are_one_edge_labelled_with_their_counts(page: Any, seeded: LiveServer) -> None:
    api = graphql(seeded.url, SUBGRAPH, center=KRASNER)["subgraph"]["edges"]
    expected = assertions_by_edge(api)
    lyons = expected[(LYONS, "CRITICIZED", KRASNER)]
    assert len(lyons) == 2, f"the seeds should give Lyons two statements against Krasner: {lyons}"

    draw(page, seeded)
    drawn = page.evaluate(EDGES)
    pairs = Counter((e["source"], e["type"], e["target"]) for e in drawn)
    assert pairs == Counter(expected.keys()), "one drawn edge per source, relation type and target"
    for e in drawn:
        said = expected[(e["source"], e["type"], e["target"])]
        articles = {a["evidence"]["article"]["id"] for a in said}
        assert (e["count"], e["articles"]) == (len(said), len(articles)), e
    lyons_edge = next(e for e in drawn if (e["source"], e["target"]) == (LYONS, KRASNER))
    assert lyons_edge["label"] == "criticized ×2 · 1 article"
    # The toolbar counts statements as well as edges.
    assert f"{len(drawn)} edges · {len(api)} statements" in page.locator("#graph-counts").inner_text()

    tap_edge(page, LYONS, "CRITICIZED", KRASNER)
    panel = page.locator("#details")
    assert panel.locator("[data-testid=edge-summary]").inner_text() == "2 statements · 1 article"
    sentences = panel.locator("[data-testid=edge-statement] [data-testid=edge-sentence]").all_inner_texts()
    assert sorted(sentences) == sorted(a["evidence"]["sentence"] for a in lyons)
    shoot(page, "edge-lyons-two-statements")
    assert not page.outside_requests and not page.js_errors


def test_the_reader_shows_the_article_with_the_sentence_highlighted_and_the_quote_marked(
    page: Any, seeded: LiveServer
) -> None:
    api = graphql(seeded.url, SUBGRAPH, center=KRASNER)["subgraph"]["edges"]
    lyons = sorted(
        (e for e in api if (e["source"], e["type"], e["target"]) == (LYONS, "CRITICIZED", KRASNER)),
        key=lambda e: e["evidence"]["charStart"],
    )
    assert lyons and all(e["evidence"]["quote"] for e in lyons)
    draw(page, seeded)
    tap_edge(page, LYONS, "CRITICIZED", KRASNER)
    for assertion in lyons:
        ev = assertion["evidence"]
        article = graphql(seeded.url, ARTICLE, id=ev["article"]["id"])["article"]
        assert article["text"], "the seeds' texts are stored"
        statement = page.locator("#details [data-testid=edge-statement]").filter(has_text=ev["sentence"])
        statement.locator("[data-testid=read-article]").click()
        page.wait_for_function("document.querySelector('#reader').dataset.state === 'ready'")
        reader = page.locator("#reader")
        title = reader.locator("[data-testid=reader-title]").inner_text()
        assert title == (article["title"] or "Untitled article")
        # The whole stored text, and the highlight exactly where the sentence's offsets say.
        shown = reader.locator("[data-testid=reader-text]").evaluate("el => el.textContent")
        assert shown == article["text"]
        assert reader.locator("[data-testid=reader-sentence]").inner_text() == ev["sentence"]
        offset = reader.locator("[data-testid=reader-sentence]").evaluate(
            """mark => { const r = document.createRange(); r.setStart(mark.parentNode, 0);
                         r.setEndBefore(mark); return r.toString().length; }"""
        )
        assert offset == ev["charStart"]
        quote = reader.locator("[data-testid=reader-quote]")
        assert quote.count() == 1 and quote.inner_text() == ev["quote"]
        inside = ev["quote"] in ev["sentence"]
        assert quote.evaluate("q => Boolean(q.closest('[data-testid=reader-sentence]'))") is inside
        # On screen: the reader scrolled to the highlight.
        assert reader.locator("[data-testid=reader-sentence]").is_visible()
        if article["url"]:
            assert reader.locator("[data-testid=reader-source]").get_attribute("href") == article["url"]
        else:
            assert reader.locator("[data-testid=reader-no-source]").is_visible()
        shoot(page, f"reader-lyons-{ev['charStart']}")
    assert not page.outside_requests and not page.js_errors
    page.locator("#reader .reader-close").click()
    assert page.locator("#reader").is_hidden()
    assert "read=" not in page.evaluate("location.hash")


def test_png_export_is_the_drawing(page: Any, seeded: LiveServer) -> None:
    draw(page, seeded)
    with page.expect_download() as info:
        page.click("#btn-png")
    download = info.value
    assert download.suggested_filename == "newsgraph-larry-krasner.png"
    data = Path(download.path()).read_bytes()
    width, height, rows = decode_png(data)
    # The whole drawing at twice its size: the proportions of the graph's bounding box.
    box = page.evaluate(
        "(() => { const b = window.kgViewer.cy.elements().boundingBox(); return [b.w, b.h] })()"
    )
    assert abs(width / height - box[0] / box[1]) < 0.05, (width, height, box)
    assert width >= box[0] * 1.5
    # White paper with the drawing on it: red criticism edges and blue people.
    assert colour_share(rows, (255, 255, 255)) > 0.5
    assert colour_share(rows, (0xDC, 0x26, 0x26)) > 0.0005
    assert colour_share(rows, (0x25, 0x63, 0xEB)) > 0.0005


def read_csv(page: Any) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.click("#btn-csv")
    download = info.value
    assert download.suggested_filename == "newsgraph-larry-krasner.csv"
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_export_holds_the_statements_shown(page: Any, seeded: LiveServer) -> None:
    api = graphql(seeded.url, SUBGRAPH, center=KRASNER)["subgraph"]
    names = {n["id"]: n["label"] for n in api["nodes"]}
    expected = Counter(
        (e["source"], e["type"], e["target"], e["evidence"]["sentence"], e["evidence"]["quote"] or "")
        for e in api["edges"]
    )
    draw(page, seeded)
    rows = read_csv(page)
    got = Counter((r["source_id"], r["relation"], r["target_id"], r["sentence"], r["quote"]) for r in rows)
    assert got == expected
    for r in rows:
        assert (r["source"], r["target"]) == (names[r["source_id"]], names[r["target_id"]])
        assert r["article_id"] and r["char_start"].isdigit()

    # What the filters hide is not exported.
    page.locator("[data-relation=CRITICIZED] input").uncheck()
    page.wait_for_function(
        "window.kgViewer.cy.edges(':visible').filter(e => e.data('type') === 'CRITICIZED').length === 0"
    )
    rows = read_csv(page)
    assert rows and all(r["relation"] != "CRITICIZED" for r in rows)
    assert len(rows) == sum(n for key, n in expected.items() if key[1] != "CRITICIZED")


def test_the_url_reopens_the_same_view(page: Any, seeded: LiveServer, browser: Any) -> None:
    draw(page, seeded)
    # Two expansions, in order: Lyons, then an organisation around Krasner (ICE on the seeds).
    organisations = page.evaluate(
        """(c) => window.kgViewer.cy.getElementById(c).neighborhood('node[type = "Organization"]')
                 .map(n => n.id()).sort()""",
        KRASNER,
    )
    second = ICE if ICE in organisations else organisations[0]
    for node in (LYONS, second):
        page.evaluate("(id) => void window.kgViewer.cy.getElementById(id).emit('tap')", node)
        page.wait_for_function("(id) => window.kgViewer.state.expanded.has(id)", arg=node)
        page.wait_for_timeout(400)  # the new nodes glide into place
    page.locator("[data-relation=INVOLVED_IN] input").uncheck()
    page.fill("#filter-since", "2000-01-01")
    page.locator("#filter-since").dispatch_event("change")
    tap_edge(page, LYONS, "CRITICIZED", KRASNER)
    page.locator("#details [data-testid=read-article]").nth(1).click()
    page.wait_for_function("document.querySelector('#reader').dataset.state === 'ready'")
    url = page.url
    before = {
        "positions": page.evaluate(POSITIONS),
        "visible": sorted(page.evaluate("window.kgViewer.cy.elements(':visible').map(e => e.id())")),
        "details": page.locator("#details").inner_text(),
        "reader": page.locator("#reader [data-testid=reader-sentence]").inner_text(),
    }
    assert len(before["positions"]) > 12, "expanding should have added nodes"

    fresh = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    try:
        again = fresh.new_page()
        again.goto(url)
        again.wait_for_function("document.body.dataset.restore === 'done'")
        again.wait_for_function("document.querySelector('#reader').dataset.state === 'ready'")
        after = {
            "positions": again.evaluate(POSITIONS),
            "visible": sorted(again.evaluate("window.kgViewer.cy.elements(':visible').map(e => e.id())")),
            "details": again.locator("#details").inner_text(),
            "reader": again.locator("#reader [data-testid=reader-sentence]").inner_text(),
        }
        assert after == before
        assert again.locator("[data-relation=INVOLVED_IN] input").is_checked() is False
        assert again.locator("#filter-since").input_value() == "2000-01-01"
        assert again.url == url
        shoot(again, "reopened-view")
    finally:
        fresh.close()
