"""The viewer's static serving: what the page loads is served, from this origin only, and nothing else is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app import web_routes
from app.config import PROJECT_ROOT
from app.web_routes import STATIC_FILES, VENDOR_FILES, WEB_DIR, mount_viewer


def _client() -> httpx.AsyncClient:
    app = FastAPI()
    mount_viewer(app)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_the_page_is_served_at_the_root_with_a_strict_csp() -> None:
    async with _client() as client:
        response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/app.js">' in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", sorted(STATIC_FILES))
async def test_every_allow_listed_file_is_served_with_its_type(name: str) -> None:
    async with _client() as client:
        response = await client.get(f"/static/{name}")
    assert response.status_code == 200
    expected = {"css": "text/css", "svg": "image/svg+xml"}.get(name.rsplit(".", 1)[1], "text/javascript")
    assert response.headers["content-type"].startswith(expected)


@pytest.mark.parametrize(
    "path",
    [
        "/static/index.html.bak",
        "/static/__init__.py",
        "/static/..%2Fconfig.py",
        "/static/../config.py",
        "/vendor/cytoscape.cjs.js",
        "/vendor/..%2F..%2Fpackage.json",
    ],
)
async def test_nothing_outside_the_allow_list_is_served(path: str) -> None:
    async with _client() as client:
        response = await client.get(path)
    assert response.status_code == 404


def test_every_module_the_page_imports_is_allow_listed() -> None:
    # A new module that is not on the list would load in development and 404 for users.
    html = (WEB_DIR / "index.html").read_text() + (WEB_DIR / "graphiql.html").read_text()
    referenced = set(re.findall(r'(?:src|href)="/static/([^"]+)"', html))
    assert set(re.findall(r'(?:src|href)="/vendor/([^"]+)"', html)) <= set(VENDOR_FILES)
    for js in WEB_DIR.glob("*.js"):
        referenced |= set(re.findall(r'from "\./([^"]+)"', js.read_text()))
        referenced.add(js.name)
    assert referenced <= set(STATIC_FILES), referenced - set(STATIC_FILES)
    assert {p.name for p in WEB_DIR.iterdir() if p.suffix in {".js", ".css"}} <= set(STATIC_FILES)


def test_nothing_is_loaded_from_another_origin() -> None:
    for page in ("index.html", "graphiql.html"):
        html = (WEB_DIR / page).read_text()
        assert not re.findall(r'(?:src|href)="(?:https?:)?//', html), page
    for js in WEB_DIR.glob("*.js"):
        text = js.read_text()
        assert not re.findall(r'(?:from|import\()\s*"(?:https?:)?//', text), js.name
        assert 'fetch("http' not in text and "fetch('http" not in text


async def test_the_graph_library_comes_from_node_modules() -> None:
    if not VENDOR_FILES["cytoscape.esm.min.mjs"].is_file():
        pytest.fail("node_modules/cytoscape is missing: run `make web` (npm ci)")
    async with _client() as client:
        response = await client.get("/vendor/cytoscape.esm.min.mjs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "export" in response.text[-2000:]


async def test_a_missing_library_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(web_routes.VENDOR_FILES, "cytoscape.esm.min.mjs", tmp_path / "absent.mjs")
    async with _client() as client:
        response = await client.get("/vendor/cytoscape.esm.min.mjs")
    assert response.status_code == 503
    assert "make" in response.json()["detail"]


async def test_the_favicon_is_served_so_browsers_log_no_404() -> None:
    async with _client() as client:
        for path in ("/favicon.ico", "/static/favicon.svg"):
            response = await client.get(path)
            assert response.status_code == 200, path
            assert response.headers["content-type"].startswith("image/svg+xml")


def test_graphiql_and_react_are_pinned_in_the_lockfile() -> None:
    # The UMD files served under /vendor exist only in these majors (React 19 ships no UMD build).
    lock = json.loads((PROJECT_ROOT / "package-lock.json").read_text())["packages"]
    assert lock["node_modules/graphiql"]["version"].startswith("3.")
    assert lock["node_modules/react"]["version"].startswith("18.")
    assert lock["node_modules/react-dom"]["version"] == lock["node_modules/react"]["version"]
    missing = [name for name, path in VENDOR_FILES.items() if not path.is_file()]
    assert not missing, f"run `make web` (npm ci): {missing}"
