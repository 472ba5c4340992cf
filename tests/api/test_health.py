from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from graph.launcher import free_port


async def _get_health(settings: Settings) -> httpx.Response:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/health")


@pytest.mark.integration
async def test_health_reports_neo4j_version(settings: Settings) -> None:
    response = await _get_health(settings)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["neo4j"]["connected"] is True
    assert body["neo4j"]["version"].startswith("5.26.")
    assert body["neo4j"]["edition"] == "community"


async def test_health_says_when_neo4j_is_down() -> None:
    down = Settings(KG_ENV="test", NEO4J_URI=f"bolt://127.0.0.1:{free_port()}", NEO4J_CONNECT_TIMEOUT=1)  # type: ignore[call-arg]
    response = await _get_health(down)
    assert response.status_code == 503
    assert response.json()["neo4j"]["connected"] is False
