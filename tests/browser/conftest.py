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
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from neo4j import GraphDatabase

# The suite runs with --import-mode=importlib, which puts no test folder on sys.path; the browser tests
# share two helper modules (viewer_helpers, viewer_synthetic) that live next to this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from viewer_helpers import CHROMIUM, CHROMIUM_ARGS, KRASNER, TEST_TOKEN, LiveServer  # noqa: E402

from app.config import PROJECT_ROOT, Settings  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test here drives the browser; mark them so `-m "not browser"` leaves them out.
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Module scope, not session: while Playwright's sync API is open, the thread counts as running an event
# loop, and the suite's async tests (pytest-asyncio) in later modules would refuse to start.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
    # Nothing but this machine: a request elsewhere is refused and noted (page.outside_requests).
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    pg = context.new_page()
    pg.outside_requests = outside  # type: ignore[attr-defined]
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
