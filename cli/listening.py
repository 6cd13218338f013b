"""TCP sockets the CLI binds itself before a server listens on them (`shopbot serve
--workers N` shares one between its processes; the demo holds its ports early), made so
that every connection they accept has Nagle's algorithm off.

asyncio turns TCP_NODELAY on for a connection it accepts only when the listening socket
says it is TCP (`proto == IPPROTO_TCP`, what `getaddrinfo` gives when uvicorn binds a host
and port itself). `socket.socket(AF_INET, SOCK_STREAM)` says 0, so uvicorn serving a socket
made that way leaves Nagle on: an answer's SSE events are small writes, and one written
while the client had not yet acknowledged the one before waited for the client's delayed
ACK, up to 40 ms (bench.load at 500 shoppers: about half the first tokens, 41.8 ms p50 of
them between the API handing the token over and the shopper reading it). Linux also copies
TCP_NODELAY from a listening socket to the sockets it accepts, so it is set here too: the
workers' copies of the socket keep it whatever way they are rebuilt.

`spread`: one shared socket is not shared evenly. A process woken for it accepts every
connection waiting (asyncio's accept loop runs until the queue is empty), and a shopper's
keep-alive connection stays with the process that accepted it: in bench.load one of two
processes served 91-98 % of the answers in three runs of four (a throwaway trace), so the
other's answer slots stood empty while the first refused questions. Each `--workers`
process therefore also listens on a socket of its own in a SO_REUSEPORT group with the
shared one (cli.serve_app), and the kernel hashes each new connection to one of them. The
shared socket stays: it holds the connections made while no worker is up yet (start-up,
a restart of them all).
"""

from __future__ import annotations

import socket
import sys

# How many connections may wait on a listening socket before the kernel refuses more.
LISTEN_BACKLOG = 2048
# The kernel spreads new connections over every listening socket that set it on the same
# port (by a hash of the connection's addresses): Linux's, not macOS's meaning of the flag.
CAN_SPREAD = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bound_tcp_socket(host: str, port: int, *, spread: bool = False) -> socket.socket:
    """A socket bound to (host, port), not yet listening; Nagle off on what it accepts.
    `spread`: one of a group on the port among which the kernel spreads new connections
    (SO_REUSEPORT, where `CAN_SPREAD`; every socket of the group must ask for it). Raises
    OSError when the address cannot be bound (the socket is closed then)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    bound = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if spread and CAN_SPREAD:
            bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        bound.bind((host, port))
    except OSError:
        bound.close()
        raise
    return bound
