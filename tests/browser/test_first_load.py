"""GraphiQL and the viewer as a newcomer first meets them: on a machine that reaches nothing but this
server, both load with their own CSP enforced (no `bypass_csp`) and log no console error; GraphiQL opens
on the headline query and runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from viewer_helpers import KRASNER, LiveServer, shoot

pytestmark = [pytest.mark.browser]

LYONS = "person:todd-lyons"


class Offline:
    """A browser context that reaches 127.0.0.1 only, with the page's CSP in force; records failures."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1440, "height": 900})
        self.blocked: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        self.page.on(
            "response",
            lambda r: r.status >= 400 and self.console_errors.append(f"HTTP {r.status} {r.url}"),
        )

    def _route(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


@pytest.fixture
def offline(browser: Any) -> Iterator[Offline]:
    ctx = Offline(browser)
    yield ctx
    ctx.context.close()


def test_graphiql_loads_offline_and_runs_the_prefilled_responses_query(
    offline: Offline, seeded: LiveServer
) -> None:
    page = offline.page
    response = page.goto(seeded.url + "/graphql", wait_until="load")
    assert response is not None and response.ok
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "http" not in csp, csp
    page.locator(".graphiql-container .graphiql-execute-button").wait_for(timeout=20_000)
    # The first tab holds the headline query, the second the ingest mutation with the token header.
    tabs = page.locator(".graphiql-tab").all_inner_texts()
    assert any("WhoRespondedToKrasner" in t for t in tabs), tabs
    assert any("IngestArticle" in t for t in tabs), tabs
    editor = page.locator(".graphiql-query-editor").inner_text()
    assert 'responses(to: "Krasner")' in editor

    def is_headline_query(r: Any) -> bool:
        return r.request.method == "POST" and "WhoRespondedToKrasner" in (r.request.post_data or "")

    with page.expect_response(is_headline_query, timeout=30_000) as answered:
        page.locator(".graphiql-execute-button").click()
    body = json.loads(answered.value.text())
    assert "errors" not in body, body
    responders = {r["responder"]["id"] for r in body["data"]["responses"]}
    assert LYONS in responders, responders
    lyons = next(r for r in body["data"]["responses"] if r["responder"]["id"] == LYONS)
    assert lyons["evidence"]["sentence"] and lyons["evidence"]["article"]["title"]
    # The answer is shown in the result pane.
    result = page.locator(".graphiql-response")
    result.filter(has_text='"responses"').wait_for(timeout=10_000)
    shoot(page, "graphiql-offline")

    # The ingest tab explains the token and carries the header, ready to fill in.
    page.locator(".graphiql-tab", has_text="IngestArticle").click()
    page.locator(".graphiql-query-editor", has_text="KG_API_TOKEN").wait_for()
    page.get_by_role("button", name="Headers").click()
    headers = page.locator(".graphiql-editor-tool .graphiql-editor").last.inner_text()
    assert "Authorization" in headers and "Bearer" in headers, headers

    assert not offline.blocked, f"GraphiQL asked for outside resources: {offline.blocked}"
    assert not offline.console_errors, offline.console_errors


def test_the_viewer_logs_no_console_errors(offline: Offline, seeded: LiveServer) -> None:
    page = offline.page
    page.goto(seeded.url + "/", wait_until="load")
    page.locator("body[data-state=ready]").wait_for()
    page.fill("#search-input", "Kras")
    page.locator(f"#search-results li[role=option][data-id='{KRASNER}']").click()
    page.locator("body[data-graph=ready]").wait_for()
    page.wait_for_timeout(300)  # a late favicon request or style injection would show by now
    assert not offline.blocked, offline.blocked
    assert not offline.console_errors, offline.console_errors
