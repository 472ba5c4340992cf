"""The FastAPI application: one async driver for the process, `/health`, GraphQL at `/graphql`,
read-only Cypher at `/cypher`, and the viewer page."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from neo4j import AsyncDriver

from app.config import RETRY_AFTER_S, Settings, get_settings
from app.cypher import router as cypher_router
from app.graphql.context import make_context_getter
from app.graphql.fast_lane import KnownQueryLane
from app.graphql.router import SpecGraphQLRouter
from app.graphql.schema import build_schema, limits_of
from app.logs import quiet_user_errors
from app.request_body import BodyGuard
from app.web_routes import mount_viewer
from graph.driver import open_driver, server_info
from graph.schema import migrate

log = logging.getLogger(__name__)
RETRY_S = 5.0


class UnsafeConfiguration(RuntimeError):
    """The service refuses to start with settings that would be unsafe where it is deployed."""


def check_settings(settings: Settings) -> None:
    # Settings validates this already; settings built another way (model_construct, tests) must not slip by.
    problem = settings.unsafe_for_production()
    if problem:
        raise UnsafeConfiguration(f"{problem}; refusing to start")


def create_app(
    settings: Settings | None = None, *, recover_jobs: bool = True, migrate_schema: bool = True
) -> FastAPI:
    """`recover_jobs=False` leaves other processes' jobs alone (tests sharing one Neo4j);
    `migrate_schema=False` for worker processes whose parent applied the migration once for all."""
    settings = settings or get_settings()
    check_settings(settings)
    quiet_user_errors()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Notifications ("property key does not exist" for optional properties) are noise for an API.
        # A short retry budget: a request during an outage fails in seconds instead of hanging for 30.
        driver = open_driver(
            settings.connection,
            connection_timeout=settings.neo4j_connect_timeout_s,
            notifications_min_severity="OFF",
            max_transaction_retry_time=settings.neo4j_max_retry_s,
        )
        app.state.driver = driver
        app.state.schema_ready = False
        # The API starts even when Neo4j is down (then /health says so); the schema follows when it's up.
        prepare = asyncio.create_task(_prepare_database(app, driver, settings, recover_jobs, migrate_schema))
        # Jobs whose runner died (a killed `kg ingest`, a task that gave up on an absent database) end
        # within a minute, not only at the next start.
        from app.ingest_service import sweep_periodically

        sweep = (
            asyncio.create_task(sweep_periodically(driver, settings.neo4j_database, settings.job_sweep_s))
            if recover_jobs
            else None
        )
        try:
            yield
        finally:
            for task in (prepare, sweep):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await driver.close()

    # No `max_body_size` here: FastAPI's limit answers before any middleware with a bare "Content Too
    # Large"; BodyGuard applies the same limit with a message that names it.
    app = FastAPI(title="News knowledge graph", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.query_listeners = []
    schema = build_schema(settings)
    if settings.known_query_lane:
        # Innermost: the body guard, CORS and admission control (kg serve) apply to it as to the rest.
        app.add_middleware(
            KnownQueryLane,  # type: ignore[arg-type]
            schema=schema,
            settings=settings,
            limits=limits_of(settings),
        )
    # Added before CORS, so CORS wraps it and its refusals carry the headers a browser needs to read them.
    app.add_middleware(
        BodyGuard,  # type: ignore[arg-type]
        max_bytes=settings.max_request_bytes,
        max_values=settings.max_variable_values,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
        )

    @app.get("/health")
    async def health(request: Request) -> JSONResponse:
        driver: AsyncDriver = request.app.state.driver
        try:
            async with asyncio.timeout(settings.neo4j_connect_timeout_s):
                info = await server_info(driver, settings.neo4j_database)
        except Exception as exc:  # noqa: BLE001 - the point is to report it
            return JSONResponse(
                {"status": "degraded", "neo4j": {"connected": False, "error": type(exc).__name__}},
                status_code=503,
                headers={"retry-after": str(RETRY_AFTER_S)},
            )
        neo4j = {"connected": True, **info, "database": settings.neo4j_database}
        return JSONResponse(
            {"status": "ok", "neo4j": neo4j, "schema": "ready" if app.state.schema_ready else "pending"}
        )

    graphql = SpecGraphQLRouter(
        schema,
        context_getter=make_context_getter(settings),
        graphql_ide=None if settings.is_production else "graphiql",
        multipart_uploads_enabled=False,
    )
    app.include_router(graphql, prefix="/graphql")
    app.include_router(cypher_router)
    mount_viewer(app)
    return app


async def _prepare_database(
    app: FastAPI, driver: AsyncDriver, settings: Settings, recover_jobs: bool, migrate_schema: bool = True
) -> None:
    """Apply the schema migration (and recover cut-off jobs) once Neo4j answers, retrying until it does."""
    from app.ingest_service import recover_interrupted_jobs

    while True:
        try:
            await driver.verify_connectivity()
            if migrate_schema:
                await migrate(driver, settings.neo4j_database)
            if recover_jobs:
                await recover_interrupted_jobs(driver, settings.neo4j_database)
        except Exception as exc:  # noqa: BLE001 - logged and retried; /health reports the outage
            log.warning("Neo4j not ready (%s); retrying the schema migration in %.0f s", exc, RETRY_S)
            await asyncio.sleep(RETRY_S)
            continue
        app.state.schema_ready = True
        return
