"""What CLI commands share: the local Neo4j when NEO4J_URI is unset, and a ready, migrated driver."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console

from app.config import Settings
from graph import launcher
from graph.driver import open_driver, wait_until_ready
from graph.errors import GraphError
from graph.schema import migrate

err = Console(stderr=True)


def browser_port(s: Settings) -> int:
    """The HTTP port for Neo4j Browser: KG_NEO4J_HTTP_PORT when it is free, else none (0), said once."""
    wanted = s.local_neo4j_http_port
    if wanted and not launcher.port_is_free(wanted):
        err.print(f"note: port {wanted} is taken, so Neo4j Browser is off this run (set KG_NEO4J_HTTP_PORT)")
        return 0
    return wanted


def start_local_neo4j(s: Settings, data_dir: Path, port: int, http_port: int = 0) -> launcher.Status:
    """Start the local Neo4j in `data_dir` on `port`, with every other knob from the settings."""
    return launcher.start(
        data_dir,
        port,
        password=s.neo4j_password,
        jars_dir=s.local_neo4j_jars_dir,
        java=s.java_bin,
        mvn=s.mvn_bin,
        heap=s.local_neo4j_heap,
        pagecache=s.local_neo4j_pagecache,
        timeout=s.local_neo4j_start_timeout_s,
        http_port=http_port,
    )


class Supervisor(threading.Thread):
    """Restarts the local Neo4j this process started when its JVM dies (an OutOfMemoryError, kill -9:
    its pid file stays behind), waiting 1, 2, 4 ... up to 60 s between failed attempts; the API's driver
    reconnects by itself. A deliberate `kg neo4j stop` removes the pid file and is left alone."""

    def __init__(
        self, s: Settings, data_dir: Path, port: int, poll_s: float = 2.0, http_port: int = 0
    ) -> None:
        super().__init__(name="kg-neo4j-supervisor", daemon=True)
        self.settings, self.data_dir, self.port, self.poll_s = s, data_dir, port, poll_s
        self.http_port = http_port
        self.stopping = threading.Event()
        self.restarts = 0

    def run(self) -> None:
        backoff = 1.0
        while not self.stopping.wait(self.poll_s):
            current = launcher.status(self.data_dir)
            if current.running:
                backoff = 1.0
                continue
            if not current.stale:
                # No pid file: `kg neo4j stop` stopped it on purpose; that is not for us to undo.
                return
            if current.pid:
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(current.pid, os.WNOHANG)  # reap our dead child
            with contextlib.suppress(OSError):
                err.print(f"the local Neo4j stopped unexpectedly; restarting it in {backoff:.0f} s")
            if self.stopping.wait(backoff):
                return
            try:
                start_local_neo4j(self.settings, self.data_dir, self.port, self.http_port)
            except GraphError as exc:
                with contextlib.suppress(OSError):
                    err.print(f"restart failed: {exc}", soft_wrap=True, markup=False)
                backoff = min(backoff * 2, 60.0)
                continue
            self.restarts += 1
            backoff = 1.0
            with contextlib.suppress(OSError):
                err.print(f"restarted the local Neo4j on 127.0.0.1:{self.port}")

    def stop(self) -> None:
        self.stopping.set()
        # A restart in progress finishes (or times out) before the caller stops the instance.
        self.join(timeout=self.settings.local_neo4j_start_timeout_s + 5)


@contextmanager
def local_neo4j(s: Settings, *, browser: bool = False) -> Iterator[str]:
    """Yield the Bolt URI; start the local Neo4j if it is needed and not running, stop it after.

    `browser` (kg serve) also serves Neo4j Browser on KG_NEO4J_HTTP_PORT; batch commands need only Bolt.
    """
    if not s.uses_local_neo4j:
        yield s.bolt_uri
        return
    current = launcher.status(s.local_neo4j_data_dir)
    if current.running:
        if current.port != s.local_neo4j_port:
            err.print(f"note: local Neo4j already runs on port {current.port}; using it")
        s.local_neo4j_port = current.port or s.local_neo4j_port
        yield s.bolt_uri
        return
    err.print(f"starting the local Neo4j on 127.0.0.1:{s.local_neo4j_port} ({s.local_neo4j_data_dir}) ...")
    http_port = browser_port(s) if browser else 0
    try:
        start_local_neo4j(s, s.local_neo4j_data_dir, s.local_neo4j_port, http_port)
    except GraphError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    supervisor = Supervisor(s, s.local_neo4j_data_dir, s.local_neo4j_port, http_port=http_port)
    supervisor.start()
    try:
        yield s.bolt_uri
    finally:
        supervisor.stop()
        # Stop first: printing can fail (a closed pipe after Ctrl-C) and must not leave Neo4j running.
        stopped = launcher.stop(s.local_neo4j_data_dir)
        with contextlib.suppress(OSError):
            err.print(f"stopped the local Neo4j (pid {stopped.pid})")


def prepare_database(s: Settings) -> None:
    """Wait for Bolt and apply the schema migration, as every command that uses the graph does."""

    async def run() -> None:
        driver = open_driver(s.connection, connection_timeout=s.neo4j_connect_timeout_s)
        try:
            await wait_until_ready(driver, s.bolt_uri, timeout=60)
            await migrate(driver, s.neo4j_database)
        finally:
            await driver.close()

    try:
        asyncio.run(run())
    except GraphError as exc:
        err.print(f"error: {exc}", soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
