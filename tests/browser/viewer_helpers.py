"""Helpers for the browser tests: screenshots, GraphQL calls, and a stand-in `/graphql` for the page."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from app.config import PROJECT_ROOT, Settings
from app.main import create_app
from app.web_routes import mount_viewer
from graph.launcher import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
TEST_TOKEN = "browser-test-token-0123456789"
KRASNER = "person:larry-krasner"
OPERATION = re.compile(r"\b(?:query|mutation)\s+(\w+)")


class LiveServer:
    """The API with the viewer, served by uvicorn in a thread on a free 127.0.0.1 port."""

    def __init__(self, settings: Settings) -> None:
        app = create_app(settings)
        if not any(getattr(r, "path", None) == "/" for r in app.routes):
            mount_viewer(app)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="viewer-server", daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.started:
                return
            if not self.thread.is_alive():
                break
            time.sleep(0.05)
        raise RuntimeError("the API did not start for the browser tests")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def shoot(page: Any, name: str) -> Path:
    """Save a screenshot as a build artifact (artifacts/ is git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def graphql(base_url: str, query: str, **variables: object) -> dict[str, Any]:
    response = httpx.post(f"{base_url}/graphql", json={"query": query, "variables": variables}, timeout=30)
    body = response.json()
    assert not body.get("errors"), body.get("errors")
    return body["data"]


Handler = Callable[[dict[str, Any]], dict[str, Any]]


class FakeGraphQL:
    """Answers the page's `/graphql` calls from Python, by operation name; records what was asked."""

    def __init__(self, **handlers: Handler) -> None:
        self.handlers = handlers
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def install(self, page: Any) -> None:
        page.route("**/graphql", self._answer)

    def _answer(self, route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        match = OPERATION.search(body.get("query", ""))
        name = match.group(1) if match else "anonymous"
        variables = body.get("variables") or {}
        self.calls.append((name, variables))
        handler = self.handlers.get(name)
        if handler is None:
            payload: dict[str, Any] = (
                {"data": {"__typename": "Query"}}
                if name == "ViewerPing"
                else {
                    "data": None,
                    "errors": [{"message": f"no stand-in for {name}"}],
                }
            )
        else:
            payload = handler(variables)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(payload))

    def count(self, name: str) -> int:
        return sum(1 for n, _ in self.calls if n == name)
