"""A live `kg serve` for the red-team suite: a subprocess on a free loopback port, its memory sampled."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

from app.config import Settings
from graph.launcher import free_port

KG = str(Path(sys.executable).parent / "kg")
HEALTH_WITHIN_S = 1.0
MEMORY_LIMIT_MB = 1024
#: Every server this run started, for the summary of their peak memory at the end.
STARTED: list[Server] = []
#: The test running now, so a server's peak names the attack that caused it.
CURRENT_TEST = [""]


def server_env(settings: Settings, token: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    return env | {
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "KG_ENV": "development",
        "KG_API_TOKEN": token,
        # One worker unless REDTEAM_WORKERS says otherwise (`make redteam REDTEAM_WORKERS=2`).
        "KG_WORKERS": os.environ.get("REDTEAM_WORKERS", "1"),
        "KG_CYPHER_TIMEOUT": "3",
        "COLUMNS": "200",
        **extra,
    }


@dataclass
class Server:
    """A `kg serve` subprocess on a free loopback port, its RSS sampled every 100 ms."""

    proc: subprocess.Popen[str]
    base: str
    token: str
    peak_rss_mb: float = 0.0
    peak_processes: int = 0  # how many processes (kg serve, its workers, their helpers) at the peak
    peak_during: str = ""  # the test that was running then
    peak_breakdown: str = ""  # each process's share then
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"}

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=timeout)

    def gql(self, query: str, variables: dict[str, Any] | None = None, *, token: bool = False) -> Any:
        # JSON with \u escapes (ensure_ascii), so a lone surrogate travels as JSON allows.
        body = json.dumps({"query": query, "variables": variables or {}})
        headers = {"content-type": "application/json", **(self.auth if token else {})}
        with self.client() as c:
            return c.post("/graphql", content=body.encode("ascii"), headers=headers)

    def cypher(
        self, query: str, params: dict[str, Any] | None = None, timeout: float = 30.0
    ) -> httpx.Response:
        with self.client(timeout) as c:
            return c.post("/cypher", json={"query": query, "params": params or {}}, headers=self.auth)

    def rss_mb(self) -> tuple[float, int, str]:
        """The resident memory of `kg serve` and every process under it, how many they are, and each
        one's share ("kg serve 120 MB, python3 -I -m app.request_body 20 MB")."""
        try:
            procs = [psutil.Process(self.proc.pid)]
            procs += procs[0].children(recursive=True)
        except psutil.Error:
            return 0.0, 0, ""
        total, shares = 0, []
        for p in procs:
            with contextlib.suppress(psutil.Error):  # one that ended between listing and reading
                rss = p.memory_info().rss
                total += rss
                shares.append(f"{' '.join(p.cmdline()[1:4])[:60]} {rss / 2**20:.0f} MB")
        return total / 2**20, len(procs), "; ".join(shares)

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            mb, count, shares = self.rss_mb()
            if mb > self.peak_rss_mb:
                self.peak_rss_mb, self.peak_processes, self.peak_during = mb, count, CURRENT_TEST[0]
                self.peak_breakdown = shares

    def start_sampling(self) -> None:
        STARTED.append(self)
        threading.Thread(target=self._sample, daemon=True).start()

    def health_seconds(self) -> tuple[int, float]:
        began = time.perf_counter()
        with self.client(timeout=5) as c:
            status = c.get("/health").status_code
        return status, time.perf_counter() - began


def spawn_server(settings: Settings, **extra: str) -> Server:
    port, token = free_port(), secrets.token_urlsafe(24)
    proc = subprocess.Popen(
        [KG, "serve", "--port", str(port), "--no-access-log", "--no-load-seeds"],
        env=server_env(settings, token, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    return Server(proc, f"http://127.0.0.1:{port}", token)


def start_server(settings: Settings, **extra: str) -> Server:
    server = spawn_server(settings, **extra)
    proc = server.proc
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{server.base}/health", timeout=2).status_code == 200:
                server.start_sampling()
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("kg serve did not answer /health within 120 s")


def stop_server(server: Server) -> None:
    server._stop.set()
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGTERM)
        try:
            server.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


async def start_server_async(settings: Settings, **extra: str) -> Server:
    """`start_server` for async tests whose event loop must keep running meanwhile (a relay in it)."""
    import asyncio

    server = spawn_server(settings, **extra)
    proc = server.proc
    deadline = time.monotonic() + 120
    async with httpx.AsyncClient(base_url=server.base, timeout=2) as c:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"kg serve exited with {proc.returncode}")
            try:
                if (await c.get("/health")).status_code == 200:
                    server.start_sampling()
                    return server
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    stop_server(server)
    raise RuntimeError("kg serve did not answer /health within 120 s")
