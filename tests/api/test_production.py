"""Production refuses unsafe settings, masks unexpected errors and serves no GraphiQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def _production(**extra: object) -> Settings:
    return Settings(  # type: ignore[call-arg]
        KG_ENV="production",
        KG_API_TOKEN="a-production-secret-123",
        NEO4J_PASSWORD="not-the-default",
        NEO4J_URI=f"bolt://127.0.0.1:{free_port()}",
        NEO4J_CONNECT_TIMEOUT=1,
        NEO4J_MAX_RETRY=0,
        **extra,
    )


async def _post(app: object, path: str, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(path, **kwargs)  # type: ignore[arg-type]


INTROSPECTION = {"query": "{ __schema { queryType { name } } }"}


async def test_production_turns_off_introspection_and_suggestions() -> None:
    app = create_app(_production())
    async with app.router.lifespan_context(app):
        body = (await _post(app, "/graphql", json=INTROSPECTION)).json()
        assert body.get("data") is None and "introspection" in body["errors"][0]["message"].lower()
        # A misspelt field says so, without "Did you mean 'stats'?" mapping the schema for the caller.
        body = (await _post(app, "/graphql", json={"query": "{ stat { entities } }"})).json()
        message = body["errors"][0]["message"]
        assert "Cannot query field 'stat'" in message and "Did you mean" not in message
    allowed = create_app(_production(KG_ALLOW_INTROSPECTION=True))
    async with allowed.router.lifespan_context(allowed):
        body = (await _post(allowed, "/graphql", json=INTROSPECTION)).json()
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_development_keeps_introspection_and_suggestions() -> None:
    dev = Settings(KG_ENV="test", NEO4J_URI=f"bolt://127.0.0.1:{free_port()}")  # type: ignore[call-arg]
    app = create_app(dev)
    async with app.router.lifespan_context(app):
        assert "errors" not in (await _post(app, "/graphql", json=INTROSPECTION)).json()
        body = (await _post(app, "/graphql", json={"query": "{ stat { entities } }"})).json()
        assert "Did you mean 'stats'?" in body["errors"][0]["message"]


def test_a_refused_production_start_never_prints_the_token() -> None:
    token = "short-secret-tok"  # 16 characters: valid, so the refusal is about the password
    short = "tiny-secret"
    with pytest.raises(ValueError) as refused:
        Settings(KG_ENV="production", KG_API_TOKEN=short)  # type: ignore[call-arg]
    assert short not in str(refused.value) and "KG_API_TOKEN" in str(refused.value)
    kg = str(Path(sys.executable).with_name("kg"))
    for secret, expected in ((token, "NEO4J_PASSWORD"), (short, "KG_API_TOKEN")):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KG_", "NEO4J_"))}
        env |= {"KG_ENV": "production", "KG_API_TOKEN": secret, "NEO4J_URI": "bolt://127.0.0.1:1"}
        run = subprocess.run([kg, "serve"], env=env, capture_output=True, text=True, timeout=60, check=False)
        assert run.returncode == 2, run
        assert secret not in run.stdout + run.stderr
        assert expected in run.stderr and "Traceback" not in run.stderr


async def test_database_unavailable_is_503_with_retry_after_on_every_endpoint() -> None:
    app = create_app(_production())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            health = await client.get("/health")
        assert health.status_code == 503 and health.headers["retry-after"] == "5"
        graphql = await _post(app, "/graphql", json={"query": "{ stats { entities } }"})
        assert graphql.status_code == 503, graphql.text
        assert graphql.headers["retry-after"] == "5"
        assert graphql.json()["errors"][0]["message"] == "Unexpected error."  # masked, yet 503
        cypher = await _post(
            app,
            "/cypher",
            json={"query": "RETURN 1"},
            headers={"authorization": "Bearer a-production-secret-123"},
        )
        assert cypher.status_code == 503 and cypher.headers["retry-after"] == "5"
