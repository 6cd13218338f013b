"""Nagle's algorithm is off on every connection the sockets the CLI binds accept
(cli/listening.py): in the process that bound them, and in a `--workers` process that was
handed one, as uvicorn serves them (asyncio's create_server on the socket). And a port's
`spread` sockets share its new connections."""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
from multiprocessing.connection import Connection

import pytest

from cli.listening import CAN_SPREAD, bound_tcp_socket
from cli.supervisor import bind_listening_socket


async def _nodelay_of_accepted(listening: socket.socket) -> int:
    """TCP_NODELAY of the server side of one connection accepted on `listening`."""
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def on_connection(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connection, sock=listening)
    async with server:
        _reader, writer = await asyncio.open_connection(*listening.getsockname()[:2])
        try:
            return await asyncio.wait_for(accepted, timeout=5)
        finally:
            writer.close()


def test_a_plain_socket_leaves_nagle_on_which_is_why_the_helper_exists() -> None:
    plain = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    plain.bind(("127.0.0.1", 0))
    assert asyncio.run(_nodelay_of_accepted(plain)) == 0


def test_connections_accepted_on_a_bound_socket_have_nagle_off() -> None:
    bound = bound_tcp_socket("127.0.0.1", 0)
    assert asyncio.run(_nodelay_of_accepted(bound)) == 1


def test_a_worker_handed_the_listening_socket_accepts_with_nagle_off() -> None:
    listening = bind_listening_socket("127.0.0.1", 0)  # what `serve --workers` hands over
    parent_end, child_end = multiprocessing.Pipe()
    worker = multiprocessing.get_context("spawn").Process(
        target=_report_nodelay, args=(listening, child_end)
    )
    worker.start()
    try:
        assert parent_end.poll(30), "the worker did not report"
        assert parent_end.recv() == 1
    finally:
        worker.join(10)
        listening.close()
    assert worker.exitcode == 0


def _report_nodelay(listening: socket.socket, report: Connection) -> None:
    report.send(asyncio.run(_nodelay_of_accepted(listening)))


def test_a_taken_port_is_refused() -> None:
    taken = bound_tcp_socket("127.0.0.1", 0)
    taken.listen()
    port = taken.getsockname()[1]
    try:
        with pytest.raises(OSError):
            bound_tcp_socket("127.0.0.1", port)
    finally:
        taken.close()


@pytest.mark.skipif(not CAN_SPREAD, reason="SO_REUSEPORT spreads connections on Linux only")
def test_new_connections_are_spread_over_the_ports_group() -> None:
    shared = bind_listening_socket("127.0.0.1", 0)  # the supervisor's, first of the group
    port = shared.getsockname()[1]
    own = bound_tcp_socket("127.0.0.1", port, spread=True)  # a worker's (cli.serve_app)
    own.listen()
    plain_refused = False
    try:
        bound_tcp_socket("127.0.0.1", port)  # not of the group: the port stays taken
    except OSError:
        plain_refused = True
    assert plain_refused
    landed = asyncio.run(_where_connections_land([shared, own], connections=40))
    shared.close()
    own.close()
    # Each socket gets about half (a hash of each connection's addresses decides); all 40
    # on one socket would happen about once in 10^12 runs.
    assert landed[0] > 0 and landed[1] > 0, landed


async def _where_connections_land(sockets: list[socket.socket], connections: int) -> list[int]:
    """How many of `connections` new connections each listening socket accepted."""
    landed = [0] * len(sockets)
    servers = []
    for index, sock in enumerate(sockets):

        def on_connection(
            _reader: asyncio.StreamReader, writer: asyncio.StreamWriter, index: int = index
        ) -> None:
            landed[index] += 1
            writer.close()

        servers.append(await asyncio.start_server(on_connection, sock=sock))
    host, port = sockets[0].getsockname()[:2]
    for _ in range(connections):
        reader, writer = await asyncio.open_connection(host, port)
        await reader.read()  # the server closed it: it was accepted
        writer.close()
    for server in servers:
        server.close()
    return landed
