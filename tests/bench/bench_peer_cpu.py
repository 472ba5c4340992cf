"""CPU time a loaded step costs each process, from /proc (Linux): a server's whole process tree (`kg serve`
and its workers, or the library's Node process) and the Neo4j that answers them, found by its Bolt port.

On a shared machine wall-clock throughput moves with everyone else's load; CPU seconds per answered request
do not, so they say which side (the server or Neo4j) a throughput gap comes from.
"""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of one process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def tree_cpu_s(root: int) -> float:
    """CPU seconds used so far by `root` and every process below it."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _stat(int(entry.name))
            if found is not None:
                parents[int(entry.name)], cpu[int(entry.name)] = found
    total = 0.0
    for pid, used in cpu.items():
        p = pid
        for _ in range(64):  # walk up to the root, or to init
            if p == root:
                total += used
                break
            p = parents.get(p, 0)
            if p <= 1:
                break
    return total


def listening_pid(port: int) -> int | None:
    """The process holding the TCP socket that listens on `port` on this machine, if it is visible."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(parts[9])
    if not inodes:
        return None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(entry.name)
        except OSError:
            continue
    return None


class CpuMeter:
    """CPU seconds of a server tree and of Neo4j between `start()` and `stop()`."""

    def __init__(self, server_pid: int, neo4j_pid: int | None) -> None:
        self.server_pid = server_pid
        self.neo4j_pid = neo4j_pid
        self._start = (0.0, 0.0)

    def _now(self) -> tuple[float, float]:
        neo4j = tree_cpu_s(self.neo4j_pid) if self.neo4j_pid else 0.0
        return tree_cpu_s(self.server_pid), neo4j

    def start(self) -> None:
        self._start = self._now()

    def stop(self) -> tuple[float, float]:
        server, neo4j = self._now()
        return server - self._start[0], neo4j - self._start[1]
