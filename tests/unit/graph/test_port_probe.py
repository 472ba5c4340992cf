"""`kg neo4j start` after a crash: a port in TIME_WAIT is free, one with a listener is not."""

from __future__ import annotations

import socket

from graph.launcher import port_is_free


def _time_wait_port() -> int:
    """A port whose listener is gone, leaving the server side of a connection in TIME_WAIT. The listener
    sets SO_REUSEADDR, as the JVM's server sockets (Neo4j's Bolt) do."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = int(listener.getsockname()[1])
    client = socket.create_connection(("127.0.0.1", port))
    server_side, _ = listener.accept()
    server_side.close()  # the side that closes first keeps TIME_WAIT on the listening port
    client.recv(1)
    client.close()
    listener.close()
    return port


def test_a_port_in_time_wait_is_free_and_a_listened_one_is_not() -> None:
    port = _time_wait_port()
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        plain.bind(("127.0.0.1", port))
        in_time_wait = False  # this kernel lets a plain bind through: nothing to tell apart here
    except OSError:
        in_time_wait = True
    finally:
        plain.close()
    assert in_time_wait, "the set-up should leave the port in TIME_WAIT"
    assert port_is_free(port), "TIME_WAIT alone must not count as 'port taken'"

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        assert not port_is_free(int(busy.getsockname()[1]))
