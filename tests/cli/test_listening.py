"""Nagle's algorithm is off on every connection the sockets the CLI binds accept
(cli/listening.py): in the process that bound them, and in a `--workers` process that was
handed one, as uvicorn serves them (asyncio's create_server on the socket)."""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
from multiprocessing.connection import Connection

import pytest

from cli.listening import bound_tcp_socket
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
