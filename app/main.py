"""The FastAPI application: one async driver for the process, `/health`, and GraphQL at `/graphql`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from neo4j import AsyncDriver
from strawberry.fastapi import GraphQLRouter

from app.config import Settings, get_settings
from app.graphql.schema import schema
from graph.driver import open_driver, server_info
from graph.schema import migrate


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        driver = open_driver(settings.connection, connection_timeout=settings.neo4j_connect_timeout_s)
        app.state.driver = driver
        app.state.settings = settings
        try:
            # The API starts even when Neo4j is down (then /health says so); schema comes when it's up.
            try:
                await migrate(driver, settings.neo4j_database)
            except Exception as exc:  # noqa: BLE001 - reported through /health
                app.state.migration_error = str(exc)
            yield
        finally:
            await driver.close()

    app = FastAPI(title="News knowledge graph", version="0.1.0", lifespan=lifespan)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )

    @app.get("/health")
    async def health(request: Request) -> JSONResponse:
        driver: AsyncDriver = request.app.state.driver
        try:
            info = await server_info(driver, settings.neo4j_database)
        except Exception as exc:  # noqa: BLE001 - the point is to report it
            return JSONResponse(
                {"status": "degraded", "neo4j": {"connected": False, "error": type(exc).__name__}},
                status_code=503,
            )
        return JSONResponse(
            {"status": "ok", "neo4j": {"connected": True, **info, "database": settings.neo4j_database}}
        )

    graphql_ide = None if settings.is_production else "graphiql"
    app.include_router(GraphQLRouter(schema, graphql_ide=graphql_ide), prefix="/graphql")
    return app
