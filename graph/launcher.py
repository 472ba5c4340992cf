"""The local Neo4j: Community jars from Maven Central, run embedded in a JVM on 127.0.0.1.

The data folder names the instance: its pid file, log and store all live there, so several instances
(the one `make run` uses, a test suite's throwaway one) run side by side on different ports.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graph.errors import (
    AlreadyRunning,
    JarsUnavailable,
    JavaMissing,
    MavenMissing,
    PortInUse,
    StartFailed,
    StopFailed,
)

GRAPH_DIR = Path(__file__).resolve().parent
POM = GRAPH_DIR / "pom.xml"
LAUNCHER_SOURCE = GRAPH_DIR / "launcher" / "LocalNeo4j.java"
LAUNCHER_CLASS = "LocalNeo4j"
PID_FILE = "kg-neo4j.pid"
LOG_FILE = "kg-neo4j.log"
SUPPORTED_JAVA = (17, 21)

# Neo4j 5.26 on Java 17 needs what its own start script passes.
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True)
class Status:
    running: bool
    data_dir: Path
    pid: int | None = None
    port: int | None = None
    stale: bool = False
    http_port: int | None = None

    @property
    def uri(self) -> str | None:
        return f"bolt://127.0.0.1:{self.port}" if self.port else None

    @property
    def browser_url(self) -> str | None:
        """Neo4j Browser, when the instance was started with an HTTP port."""
        return f"http://127.0.0.1:{self.http_port}/browser/" if self.http_port else None


def _size_mb(size: str) -> int:
    """'256m' / '1g' / '512' (MiB) to MiB, for the page cache argument."""
    match = re.fullmatch(r"\s*(\d+)\s*([kmgKMG]?)\s*", size)
    if not match:
        raise ValueError(f"memory size {size!r} is not like 256m or 1g")
    value, unit = int(match.group(1)), match.group(2).lower()
    return {"k": max(1, value // 1024), "m": value, "g": value * 1024, "": value}[unit]


def java_major_version(java: str) -> int:
    """The major version of `java`, or JavaMissing naming why it cannot be used."""
    path = shutil.which(java)
    if not path:
        raise JavaMissing(java, "not found on PATH")
    try:
        out = subprocess.run(
            [path, "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stderr
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise JavaMissing(java, str(exc)) from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise JavaMissing(java, "its version could not be read")
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


# What a complete graph/lib holds; a folder resolved from an older pom.xml (before Neo4j Browser) is
# resolved again.
REQUIRED_JARS = ("neo4j-kernel-*.jar", "neo4j-bolt-*.jar", "neo4j-browser-*.jar")


def ensure_jars(jars_dir: Path, mvn: str = "mvn") -> Path:
    """Resolve the Neo4j jars once into `jars_dir` (git-ignored); later calls reuse them."""
    if all(any(jars_dir.glob(pattern)) for pattern in REQUIRED_JARS):
        return jars_dir
    mvn_path = shutil.which(mvn)
    if not mvn_path:
        raise MavenMissing(mvn, str(jars_dir))
    jars_dir.mkdir(parents=True, exist_ok=True)
    log = jars_dir.parent / "mvn-resolve.log"
    partial = jars_dir.with_name(jars_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    cmd = [
        mvn_path,
        "-B",
        "-q",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={partial}",
        "-DincludeScope=runtime",
    ]
    with log.open("w") as fh:
        proc = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False)
    if proc.returncode != 0:
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if "ERROR" in ln]
        tail = lines[0][:200] if lines else f"mvn exited {proc.returncode}"
        raise JarsUnavailable(str(log), tail)
    # Move into place only when complete, so an interrupted download is never mistaken for a good one.
    for jar in partial.glob("*.jar"):
        jar.replace(jars_dir / jar.name)
    shutil.rmtree(partial, ignore_errors=True)
    return jars_dir


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """False only when something listens there. Connections of a JVM that just died linger in TIME_WAIT
    for a minute; Neo4j binds with SO_REUSEADDR despite them, so this probe does the same (on Linux that
    still fails against a listener)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bolt_answers(port: int, timeout: float = 1.0) -> bool:
    """True when something speaks Bolt on the port (the handshake gets a 4-byte version reply)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x04" * 2 + b"\x00" * 8)
            return len(sock.recv(4)) == 4
    except OSError:
        return False


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) is not running.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _is_our_launcher(pid: int) -> bool:
    """Guard against a recycled pid: only a JVM running our launcher counts."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return pid_alive(pid)  # no /proc (macOS): trust the pid
    return LAUNCHER_CLASS in cmdline


def status(data_dir: Path) -> Status:
    data_dir = data_dir.resolve()
    pid_file = data_dir / PID_FILE
    if not pid_file.exists():
        return Status(False, data_dir)
    try:
        info = json.loads(pid_file.read_text())
        pid, port = int(info["pid"]), int(info["port"])
        http_port = int(info.get("http_port") or 0) or None
    except (ValueError, KeyError, TypeError, AttributeError, json.JSONDecodeError):
        return Status(False, data_dir, stale=True)
    if pid_alive(pid) and _is_our_launcher(pid):
        return Status(True, data_dir, pid, port, http_port=http_port)
    return Status(False, data_dir, pid, port, stale=True, http_port=http_port)


def _log_error(log: Path) -> str | None:
    """The launcher's one-line error, if it printed one."""
    if not log.exists():
        return None
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("KG-NEO4J ERROR "):
            return line.removeprefix("KG-NEO4J ERROR ").strip()
    return None


def start(
    data_dir: Path,
    port: int,
    *,
    password: str,
    jars_dir: Path,
    java: str = "java",
    mvn: str = "mvn",
    heap: str = "768m",
    pagecache: str = "256m",
    timeout: float = 120.0,
    http_port: int = 0,
) -> Status:
    """Start Neo4j for `data_dir` and return once Bolt answers on 127.0.0.1:`port`.

    With `http_port`, Neo4j's HTTP server listens on 127.0.0.1:`http_port` too, serving Neo4j Browser at
    /browser/ (it connects over Bolt with the same user and password).
    """
    data_dir = data_dir.resolve()
    current = status(data_dir)
    if current.running:
        raise AlreadyRunning(current.pid or 0, current.uri or "", str(data_dir))
    if current.stale:
        (data_dir / PID_FILE).unlink(missing_ok=True)

    major = java_major_version(java)
    if major not in SUPPORTED_JAVA:
        raise JavaMissing(java, f"it is Java {major}; Neo4j 5.26 runs on Java 17 or 21")
    ensure_jars(jars_dir, mvn)
    if not port_is_free(port):
        raise PortInUse(port)
    if http_port and not port_is_free(http_port):
        raise PortInUse(http_port)

    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / LOG_FILE
    cmd = [
        shutil.which(java) or java,
        "-Xms256m",
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        f"{jars_dir.resolve()}/*",
        str(LAUNCHER_SOURCE),
        str(data_dir),
        str(port),
        str(_size_mb(pagecache)),
        *([str(http_port)] if http_port else []),
    ]
    env = {**os.environ, "KG_NEO4J_PASSWORD": password}
    with log.open("w") as fh:
        # Own session: a Ctrl-C meant for `make run` reaches Python, which then stops Neo4j cleanly.
        proc = subprocess.Popen(
            cmd,
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    (data_dir / PID_FILE).write_text(json.dumps({"pid": proc.pid, "port": port, "http_port": http_port}))

    try:
        ready = _wait_ready(proc, data_dir, port, log, timeout)
        return Status(True, data_dir, ready.pid, port, http_port=http_port or None)
    except PortInUse:
        if proc.poll() is None:
            _terminate(proc.pid, 20.0)
        (data_dir / PID_FILE).unlink(missing_ok=True)
        if not http_port or not port_is_free(port):
            raise
        # The HTTP port was taken between the check and the JVM's bind (another instance starting):
        # Bolt matters, Neo4j Browser does not; start without it.
        return start(
            data_dir,
            port,
            password=password,
            jars_dir=jars_dir,
            java=java,
            mvn=mvn,
            heap=heap,
            pagecache=pagecache,
            timeout=timeout,
        )
    except BaseException:
        # Interrupted (Ctrl-C) or failed: never leave a half-started JVM behind.
        if proc.poll() is None:
            _terminate(proc.pid, 20.0)
        (data_dir / PID_FILE).unlink(missing_ok=True)
        raise


def _wait_ready(
    proc: subprocess.Popen[bytes], data_dir: Path, port: int, log: Path, timeout: float
) -> Status:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            reason = _log_error(log) or f"the JVM exited with code {proc.returncode}"
            if "address already in use" in reason.lower() or "bind" in reason.lower():
                raise PortInUse(port)
            raise StartFailed(reason, str(log))
        if "KG-NEO4J READY" in log.read_text(errors="replace") and bolt_answers(port):
            return Status(True, data_dir, proc.pid, port)
        time.sleep(0.25)
    raise StartFailed(f"Bolt did not answer on port {port} within {timeout:.0f} s", str(log))


def _terminate(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Reap it if it is our child, so it does not linger as a zombie.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        if not pid_alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def stop(data_dir: Path, timeout: float = 60.0) -> Status:
    """Stop the instance with SIGTERM (clean store shutdown); returns what was running."""
    current = status(data_dir)
    pid_file = data_dir.resolve() / PID_FILE
    if not current.running:
        pid_file.unlink(missing_ok=True)
        return current
    assert current.pid is not None and current.port is not None
    _terminate(current.pid, timeout)
    if pid_alive(current.pid):
        raise StopFailed(current.pid, "it is still alive after SIGKILL")
    pid_file.unlink(missing_ok=True)
    deadline = time.monotonic() + 10
    while not port_is_free(current.port) and time.monotonic() < deadline:
        time.sleep(0.1)
    return current
