"""Helpers for the browser tests: screenshots, GraphQL calls, and a stand-in `/graphql` for the page."""

from __future__ import annotations

import json
import re
import struct
import threading
import time
import zlib
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


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of an 8-bit, non-interlaced PNG (what a canvas exports).

    A few lines instead of an imaging library: the tests only need to look at the pixels.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos = 8
    header = b""
    idat = b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
    channels = 4 if colour == 6 else 3
    stride = width * channels
    raw = zlib.decompress(idat)
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = line
        if channels == 3:
            rows.append(bytes(b for x in range(width) for b in (*line[x * 3 : x * 3 + 3], 255)))
        else:
            rows.append(bytes(line))
    return width, height, rows


def colour_share(rows: list[bytes], rgb: tuple[int, int, int], tolerance: int = 24) -> float:
    """The share of pixels within `tolerance` of `rgb` on every channel."""
    hits = total = 0
    for row in rows:
        for x in range(0, len(row), 4):
            total += 1
            if all(abs(row[x + c] - rgb[c]) <= tolerance for c in range(3)):
                hits += 1
    return hits / max(1, total)
