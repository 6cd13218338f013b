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
"""

from __future__ import annotations

import socket


def bound_tcp_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port), not yet listening; Nagle off on what it accepts.
    Raises OSError when the address cannot be bound (the socket is closed then)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    bound = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        bound.bind((host, port))
    except OSError:
        bound.close()
        raise
    return bound
