"""The viewer page and GraphiQL: `/` serves app/web/index.html, `GET /graphql` (from a browser, outside
production) app/web/graphiql.html, `/static/*` their own files, `/vendor/*` their libraries.

Everything they load comes from this server (no CDN, so both work offline): the app's files from
`app/web/`, and Cytoscape.js, GraphiQL and React from `node_modules/` (installed by `make` from
package-lock.json). Only names on an allow-list are served, so no request can walk out of those folders.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

WEB_DIR = Path(__file__).resolve().parent / "web"
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"

# What the page may load: URL name -> file. Nothing else under these prefixes exists.
STATIC_FILES: dict[str, Path] = {
    "app.js": WEB_DIR / "app.js",
    "api.js": WEB_DIR / "api.js",
    "graph.js": WEB_DIR / "graph.js",
    "panels.js": WEB_DIR / "panels.js",
    "export.js": WEB_DIR / "export.js",
    "styles.css": WEB_DIR / "styles.css",
    "favicon.svg": WEB_DIR / "favicon.svg",
    "graphiql-page.js": WEB_DIR / "graphiql-page.js",
    "graphiql-page.css": WEB_DIR / "graphiql-page.css",
}
VENDOR_FILES: dict[str, Path] = {
    "cytoscape.esm.min.mjs": NODE_MODULES / "cytoscape" / "dist" / "cytoscape.esm.min.mjs",
    # GraphiQL 3's UMD build and the React 18 UMD builds it runs on (React 19 ships none).
    "graphiql.min.js": NODE_MODULES / "graphiql" / "graphiql.min.js",
    "graphiql.min.css": NODE_MODULES / "graphiql" / "graphiql.min.css",
    "react.production.min.js": NODE_MODULES / "react" / "umd" / "react.production.min.js",
    "react-dom.production.min.js": NODE_MODULES / "react-dom" / "umd" / "react-dom.production.min.js",
}

MEDIA_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".svg": "image/svg+xml",
}

# The page needs nothing from elsewhere: scripts, styles and data all come from this origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _file(table: dict[str, Path], name: str, missing_hint: str) -> FileResponse:
    path = table.get(name)
    if path is None:
        raise HTTPException(status_code=404, detail=f"no such file: {name}")
    if not path.is_file():
        raise HTTPException(status_code=503, detail=f"{name} is not installed; {missing_hint}")
    return FileResponse(
        path,
        media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


def mount_viewer(app: FastAPI) -> None:
    """Serve the viewer at `/` on `app` (call it from `create_app`)."""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def viewer_index() -> FileResponse:
        return _file({"index.html": WEB_DIR / "index.html"}, "index.html", "the package is incomplete")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> FileResponse:
        return _file(STATIC_FILES, "favicon.svg", "the package is incomplete")

    @app.get("/static/{name}", include_in_schema=False)
    async def viewer_static(name: str) -> FileResponse:
        return _file(STATIC_FILES, name, "the package is incomplete")

    @app.get("/vendor/{name}", include_in_schema=False)
    async def viewer_vendor(name: str) -> FileResponse:
        return _file(VENDOR_FILES, name, "run `make` (npm ci) to install the viewer's libraries")


def graphiql_page() -> FileResponse:
    """GraphiQL's page, for `GET /graphql` from a browser (the GraphQL router calls this)."""
    return _file({"graphiql.html": WEB_DIR / "graphiql.html"}, "graphiql.html", "the package is incomplete")
