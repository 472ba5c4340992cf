"""The start-up summary `kg serve` prints: every address a newcomer needs, and secrets only when safe."""

from __future__ import annotations

import os

import pytest

from app.cli.summary import startup_summary
from app.config import DEV_NEO4J_PASSWORD, Settings


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # `make test` sets NEO4J_URI for the suite's Neo4j; these settings come from the arguments only.
    for name in list(os.environ):
        if name.startswith(("NEO4J_", "KG_")):
            monkeypatch.delenv(name)


def settings(**env: str) -> Settings:
    return Settings(_env_file=None, **env)  # type: ignore[call-arg]


def test_local_run_names_every_address_the_credentials_and_the_token() -> None:
    s = settings(KG_API_TOKEN="run-token-123", KG_NEO4J_PORT="7699")
    text = startup_summary(s, "127.0.0.1", 8123, token_made_for_this_run=True)
    assert "http://127.0.0.1:8123/ " in text  # the viewer
    assert "http://127.0.0.1:8123/graphql" in text
    assert "POST http://127.0.0.1:8123/cypher" in text
    assert f"bolt://127.0.0.1:7699   user neo4j   password {DEV_NEO4J_PASSWORD}" in text
    assert "run-token-123" in text
    assert "KG_API_TOKEN=" in text and ".env" in text  # how to keep it across runs
    assert "mutations" in text and "/cypher" in text  # what it is for


def test_an_external_neo4j_and_a_configured_token_are_never_printed() -> None:
    s = settings(
        NEO4J_URI="neo4j+s://abc.databases.neo4j.io",
        NEO4J_PASSWORD="s3cret-pw",
        KG_API_TOKEN="configured-tok",
    )
    text = startup_summary(s, "0.0.0.0", 8000, token_made_for_this_run=False)  # noqa: S104
    assert "neo4j+s://abc.databases.neo4j.io" in text
    assert "s3cret-pw" not in text and "configured-tok" not in text
    assert "http://127.0.0.1:8000/graphql" in text  # a browser cannot open 0.0.0.0


def test_production_says_graphiql_is_off_and_hides_a_changed_local_password() -> None:
    s = settings(KG_ENV="production", KG_API_TOKEN="x" * 32, NEO4J_PASSWORD="prod-password-1")
    text = startup_summary(s, "127.0.0.1", 8000, token_made_for_this_run=False)
    assert "GraphiQL is off in production" in text
    assert "prod-password-1" not in text and "x" * 32 not in text


def test_a_local_run_with_neo4j_browser_says_where_it_is_and_how_to_connect() -> None:
    s = settings(KG_NEO4J_PORT="7699")
    text = startup_summary(
        s, "127.0.0.1", 8000, token_made_for_this_run=False, neo4j_browser="http://127.0.0.1:7475/browser/"
    )
    line = next(ln for ln in text.splitlines() if "Browser" in ln)
    assert "http://127.0.0.1:7475/browser/" in line and "bolt://127.0.0.1:7699" in line
    assert "Browser " not in startup_summary(s, "127.0.0.1", 8000, token_made_for_this_run=False)
