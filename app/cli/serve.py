"""`kg serve`: the API on 127.0.0.1, with the local Neo4j started (and stopped) when NEO4J_URI is unset."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console

from app.cli.runtime import local_neo4j, prepare_database
from app.cli.summary import startup_summary
from app.config import Settings, get_settings
from app.ingest_service import IngestReport
from graph import launcher
from graph.driver import open_driver
from graph.errors import GraphError

err = Console(stderr=True)


def serve(
    host: Annotated[str, typer.Option(help="interface to listen on [KG_HOST]")] = "",
    port: Annotated[int, typer.Option(help="HTTP port [KG_PORT]")] = 0,
    load_seeds: Annotated[
        bool, typer.Option("--load-seeds/--no-load-seeds", help="ingest seeds/ when the graph is empty")
    ] = False,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log", help="log each request")] = True,
) -> None:
    """Serve the API (GraphQL at /graphql, health at /health)."""
    s = get_settings()
    # SIGTERM (a supervisor, `timeout`, CI) must unwind like Ctrl-C so the Neo4j we started stops too.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    made_token = False
    if not s.api_token and s.env == "development":
        # Mutations and /cypher need a token; on a laptop, make one for this run rather than none.
        s.api_token = secrets.token_urlsafe(24)
        made_token = True
    with local_neo4j(s, browser=True):
        # Once, here, before any worker starts: the migration and the seeds. Workers skip the migration.
        prepare_database(s)
        if load_seeds:
            load_seeds_if_empty(s)
        from app.serving import (
            HTTP_PROTOCOL,
            BalancedMultiprocess,
            build_app,
            freeze_startup_heap,
            listening_sockets,
            worker_count,
        )

        host, port = host or s.host, port or s.port
        workers = worker_count(s)
        browser = launcher.status(s.local_neo4j_data_dir).browser_url if s.uses_local_neo4j else None
        summary = startup_summary(s, host, port, token_made_for_this_run=made_token, neo4j_browser=browser)
        common: dict[str, Any] = {
            "host": host,
            "port": port,
            "log_level": "info",
            "access_log": access_log,
            "timeout_keep_alive": s.http_keepalive_s,
            "http": HTTP_PROTOCOL,
        }
        if workers == 1:
            config = uvicorn.Config(build_app(s, migrate_schema=False), **common)
            freeze_startup_heap()
            SummarizingServer(config, summary).run()
            return
        # Worker processes build their own app (and driver) from the environment: hand them what this
        # run decided (a token made for it, the port of a local Neo4j that was already running).
        os.environ.update(worker_environment(s))
        config = uvicorn.Config(
            "app.serving:worker_app",
            factory=True,
            workers=workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
            **common,
        )
        try:
            # From now on connections queue until a worker takes them; one socket per worker.
            sockets = listening_sockets(host, port, workers, config.backlog)
        except OSError as exc:
            err.print(f"error: cannot listen on {host}:{port}: {exc}")
            raise typer.Exit(3) from exc
        print_once_answering(f"{summary}\nworkers: {workers} processes (KG_WORKERS)", host, port)
        BalancedMultiprocess(config, sockets).run()


# How long a worker may take to answer uvicorn's health ping before it is killed and replaced (uvicorn's
# default is 5 s). On a machine loaded far beyond its cores a busy worker missed 5 s twice in one bench
# run, and every request it held failed with it; a worker that is really hung still goes after this.
WORKER_HEALTHCHECK_S = 30


def print_once_answering(summary: str, host: str, port: int) -> None:
    """Print the summary once a worker answers HTTP, not when the socket is bound: the workers still
    start (import the app, open their driver) after that, a few seconds here and over ten under load,
    and a newcomer (or a test) who follows a printed address at once would wait for them."""
    address = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    url = f"http://{'[' + address + ']' if ':' in address else address}:{port}/health"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via an http_proxy

    def wait_then_print() -> None:
        while True:
            try:
                with direct.open(url, timeout=30):
                    break
            except urllib.error.HTTPError:  # an answer all the same (503: Neo4j is away)
                break
            except OSError:  # not accepting yet, or slow to answer
                time.sleep(0.2)
        err.print(summary, markup=False, soft_wrap=True, highlight=False)

    threading.Thread(target=wait_then_print, name="kg-serve-summary", daemon=True).start()


def worker_environment(s: Settings) -> dict[str, str]:
    """The settings `kg serve` may have changed after reading them, as the variables workers read."""
    env = {"KG_NEO4J_PORT": str(s.local_neo4j_port), "KG_WORKERS": "1"}
    if s.api_token:
        env["KG_API_TOKEN"] = s.api_token
    if s.neo4j_uri:
        env["NEO4J_URI"] = s.neo4j_uri
    return env


class SummarizingServer(uvicorn.Server):
    """Prints the start-up summary once the port is bound (and not when binding fails)."""

    def __init__(self, config: uvicorn.Config, summary: str) -> None:
        super().__init__(config)
        self.summary = summary

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            err.print(self.summary, markup=False, soft_wrap=True, highlight=False)


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def load_seeds_if_empty(s: Settings) -> None:
    """Ingest seeds/ on first run, so `make run` answers questions straight away."""
    from app.cli.ingest import print_report
    from app.ingest_service import ingest_seeds_if_empty

    async def run() -> IngestReport | None:
        driver = open_driver(s.connection, connection_timeout=s.neo4j_connect_timeout_s)
        try:
            return await ingest_seeds_if_empty(driver, s)
        finally:
            await driver.close()

    err.print(f"checking whether the graph needs the seed articles from {s.seeds_dir} ...")
    try:
        report = asyncio.run(run())
    except GraphError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    if report is None:
        err.print("the graph already holds data; seeds not loaded")
    else:
        print_report(report, err)


def register(cli: typer.Typer) -> None:
    cli.command("serve")(serve)
