"""Neo4j Browser on the local Neo4j: served at /browser/ on 127.0.0.1, it loads with nothing from outside
and runs Cypher over Bolt with the user and password the start-up summary prints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from viewer_helpers import shoot

from app.config import DEV_NEO4J_PASSWORD, Settings
from graph import launcher
from graph.launcher import free_port

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def local_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[launcher.Status]:
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert s.neo4j_password == DEV_NEO4J_PASSWORD, "the summary prints the development password"
    folder = Path(tmp_path_factory.mktemp("neo4j-browser"))
    status = launcher.start(
        folder,
        free_port(),
        password=s.neo4j_password,
        jars_dir=s.local_neo4j_jars_dir,
        heap="512m",
        pagecache="64m",
        http_port=free_port(),
        timeout=600.0,  # a JVM start took over 120 s on this 2-core machine under parallel suites
    )
    try:
        yield status
    finally:
        launcher.stop(folder)


def test_the_status_names_the_browser_address(local_neo4j: launcher.Status) -> None:
    again = launcher.status(local_neo4j.data_dir)
    assert (
        again.browser_url == local_neo4j.browser_url == f"http://127.0.0.1:{local_neo4j.http_port}/browser/"
    )
    page = httpx.get(again.browser_url, timeout=30)
    assert page.status_code == 200 and "Neo4j Browser" in page.text


def test_neo4j_browser_connects_with_the_printed_credentials_and_runs_cypher(
    page: Any, local_neo4j: launcher.Status
) -> None:
    page.goto(f"{local_neo4j.browser_url}?dbms=neo4j://neo4j@127.0.0.1:{local_neo4j.port}")
    page.locator("[data-testid=password]").fill(DEV_NEO4J_PASSWORD)
    page.locator("[data-testid=connect]").click()
    page.get_by_text("You are connected as user").first.wait_for(timeout=60_000)
    editor = page.locator(".monaco-editor textarea").first
    editor.click()
    page.keyboard.type("CALL dbms.components() YIELD versions RETURN versions[0] AS version")
    page.keyboard.press("Control+Enter")
    page.get_by_text("Started streaming 1 records").first.wait_for(timeout=60_000)
    frame = page.locator("[data-testid=frame]").first.inner_text()
    assert "5.26." in frame, frame
    shoot(page, "neo4j-browser")
    # This worked with everything outside refused by the page fixture; Browser 5.24 asked for web fonts and
    # an analytics script (even though the local Neo4j sets client.allow_telemetry=false).
