"""`kg serve`'s workers (app/serving.py): a worker the supervisor replaces, or restarts, keeps accepting on
its own socket, so connections stay spread over the workers; each freezes its start-up heap."""

from __future__ import annotations

import gc
import socket
from typing import Any

import pytest
from uvicorn import Config

import app.serving as serving
from app.serving import BalancedMultiprocess


class FakeProcess:
    """Stands in for uvicorn's worker `Process`: records the sockets it was given; `alive` says whether
    it answers the health check."""

    started: list[FakeProcess] = []

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        self.sockets = sockets
        self.alive = True
        self.exitcode: int | None = None
        self.pid = 1000 + len(FakeProcess.started)
        self.terminated = False

    def start(self) -> None:
        FakeProcess.started.append(self)

    def is_alive(self, timeout: float = 5) -> bool:
        return self.alive

    def wait_until_ready(self, timeout: float, should_exit: Any = None) -> bool:
        return True

    def kill(self) -> None:
        self.alive = False
        self.exitcode = -9

    def terminate(self) -> None:
        self.terminated = True

    def join(self) -> None:
        pass


@pytest.fixture
def supervisor(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(serving, "Process", FakeProcess)
    FakeProcess.started = []
    sockets = [socket.socket() for _ in range(3)]
    config = Config("app.serving:worker_app", factory=True, workers=3)
    sup = BalancedMultiprocess(config, sockets)
    sup.init_processes()
    yield sup, sockets
    for s in sockets:
        s.close()


def test_each_worker_starts_on_its_own_socket(supervisor: Any) -> None:
    sup, sockets = supervisor
    assert [p.sockets for p in sup.processes] == [[s] for s in sockets]


def test_a_dead_worker_is_replaced_on_its_own_socket(supervisor: Any) -> None:
    sup, sockets = supervisor
    dead = sup.processes[1]
    dead.alive = False
    sup.keep_subprocess_alive()
    replacement = sup.processes[1]
    assert replacement is not dead and replacement.sockets == [sockets[1]]
    # The others were left alone.
    assert sup.processes[0].sockets == [sockets[0]] and sup.processes[2].sockets == [sockets[2]]
    assert len(FakeProcess.started) == 4


def test_a_restart_gives_each_new_worker_the_old_ones_socket(supervisor: Any) -> None:
    sup, sockets = supervisor
    old = list(sup.processes)
    sup.restart_all()
    assert all(p.terminated for p in old)
    assert [p.sockets for p in sup.processes] == [[s] for s in sockets]
    assert not set(map(id, sup.processes)) & set(map(id, old))


def test_workers_beyond_the_sockets_listen_on_all_of_them(supervisor: Any) -> None:
    sup, sockets = supervisor
    sup.processes_num = 4  # as SIGTTIN leaves it
    assert sup.sockets_of(3) == sockets


def test_a_worker_freezes_its_start_up_heap_out_of_the_collectors_view() -> None:
    gc.unfreeze()
    try:
        serving.freeze_startup_heap()
        assert gc.get_freeze_count() > 1000  # the imported modules, the schema, the app
        assert gc.get_count()[0] < 700  # nothing left young right after it
    finally:
        gc.unfreeze()
