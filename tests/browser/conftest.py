"""Browser fixtures: Debian's Chromium through Playwright, and the API (with the viewer) on a free port.

The live server reads the same Neo4j as the rest of the suite (NEO4J_URI, a throwaway one under
`make test`). `seeded` ingests seeds/ when Larry Krasner is not in the graph yet and leaves them there:
they are the service's own sample data, and later tests must not assume an empty graph.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from neo4j import GraphDatabase

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test here drives the browser; mark them so `-m "not browser"` leaves them out.
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class LiveServer:
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


@pytest.fixture(scope="session")
def live_settings() -> Settings:
    return Settings(KG_ENV="test", KG_API_TOKEN=TEST_TOKEN)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[LiveServer]:
    server = LiveServer(live_settings)
    server.start()
    yield server
    server.stop()


def _has_krasner(settings: Settings) -> bool:
    with GraphDatabase.driver(settings.bolt_uri, auth=(settings.neo4j_user, settings.neo4j_password)) as drv:
        records, _, _ = drv.execute_query(
            "MATCH (p:Person {id: $id}) RETURN count(p) AS n", id=KRASNER, database_=settings.neo4j_database
        )
        return bool(records[0]["n"])


@pytest.fixture(scope="session")
def seeded(live_settings: Settings, live_server: LiveServer) -> LiveServer:
    """The live server, over a graph that holds the three seed articles."""
    if not _has_krasner(live_settings):
        kg = shutil.which("kg", path=str(Path(sys.executable).parent)) or "kg"
        env = {**os.environ, "NEO4J_URI": live_settings.bolt_uri}
        done = subprocess.run(
            [kg, "ingest", str(PROJECT_ROOT / "seeds")],
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0 or not _has_krasner(live_settings):
            pytest.fail(f"`kg ingest seeds/` did not load Larry Krasner:\n{done.stdout}\n{done.stderr}")
    return live_server


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    # bypass_csp: the page's CSP forbids eval, which Playwright's wait_for_function uses.
    context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
