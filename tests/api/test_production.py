"""Production refuses unsafe settings, masks unexpected errors and serves no GraphiQL."""

from __future__ import annotations

import httpx
import pytest
from graphql import GraphQLError

from app.config import Settings
from app.graphql.context import CypherExecutor
from app.graphql.errors import NotFound, should_mask
from app.main import UnsafeConfiguration, create_app
from graph.launcher import free_port


def test_create_app_refuses_production_without_a_token() -> None:
    unsafe = Settings.model_construct(env="production", api_token=None)
    with pytest.raises(UnsafeConfiguration, match="KG_API_TOKEN"):
        create_app(unsafe)


def test_settings_refuse_production_without_a_token() -> None:
    with pytest.raises(ValueError, match="KG_API_TOKEN"):
        Settings(KG_ENV="production", NEO4J_PASSWORD="something-else")  # type: ignore[call-arg]


def test_only_unexpected_errors_are_masked() -> None:
    assert should_mask(GraphQLError("boom", original_error=RuntimeError("secret detail")))
    assert not should_mask(GraphQLError("no entity", original_error=NotFound("entity", "x")))
    assert not should_mask(GraphQLError("Syntax Error: Expected Name"))


async def test_production_has_no_graphiql_and_masks_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bolt://internal-host:7687 secret detail")

    monkeypatch.setattr(CypherExecutor, "read", broken)
    prod = Settings(  # type: ignore[call-arg]
        KG_ENV="production",
        KG_API_TOKEN="a-production-secret-123",
        NEO4J_PASSWORD="not-the-default",
        NEO4J_URI=f"bolt://127.0.0.1:{free_port()}",
        NEO4J_CONNECT_TIMEOUT=1,
    )
    app = create_app(prod)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            ide = await client.get("/graphql", headers={"accept": "text/html"})
            assert ide.status_code == 404
            # An unexpected failure must not leak its detail, only a generic message.
            body = (await client.post("/graphql", json={"query": "{ stats { entities } }"})).json()
            assert body["errors"][0]["message"] == "Unexpected error."
            # Errors meant for the user still say what is wrong.
            body = (
                await client.post("/graphql", json={"query": "{ articles(first: 1000) { totalCount } }"})
            ).json()
            assert "KG_MAX_PAGE_SIZE" in body["errors"][0]["message"]
