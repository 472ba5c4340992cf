"""`kg serve`'s listening sockets: one per worker on one port, with new connections spread over them."""

from __future__ import annotations

import select
import socket

import pytest

from app.serving import listening_sockets

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="needs SO_REUSEPORT")


def test_each_worker_socket_gets_a_share_of_new_connections() -> None:
    sockets = listening_sockets("127.0.0.1", 0, 2, 128)
    clients: list[socket.socket] = []
    try:
        assert len(sockets) == 2
        port = sockets[0].getsockname()[1]
        assert {s.getsockname()[1] for s in sockets} == {port}
        for _ in range(64):
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        accepted = [0, 0]
        for i, sock in enumerate(sockets):
            sock.setblocking(False)
            while select.select([sock], [], [], 0.2)[0]:
                conn, _ = sock.accept()
                conn.close()
                accepted[i] += 1
        assert sum(accepted) == 64
        # One shared socket would give one worker every connection; hashing gives each a share.
        assert min(accepted) >= 8, accepted
    finally:
        for s in clients + sockets:
            s.close()


def test_a_port_in_use_by_another_listener_is_refused() -> None:
    other = socket.socket()
    other.bind(("127.0.0.1", 0))
    other.listen(1)
    try:
        with pytest.raises(OSError):
            listening_sockets("127.0.0.1", other.getsockname()[1], 2, 16)
    finally:
        other.close()


def test_a_second_server_cannot_join_the_first_ones_port() -> None:
    first = listening_sockets("127.0.0.1", 0, 2, 16)
    try:
        with pytest.raises(OSError):
            listening_sockets("127.0.0.1", first[0].getsockname()[1], 2, 16)
    finally:
        for s in first:
            s.close()
