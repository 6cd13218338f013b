"""`RecordingListener`: an "internal service" on 127.0.0.1 and ::1 (one port) that records
every connection made to it. The outbound guard tests aim hostile URLs at it and assert it
received nothing; when something does get through, it answers like an internal admin
endpoint would, with a secret in its body (which must then never be echoed back)."""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Literal

from emulators.server import StartedInWith

INTERNAL_SECRET = "db_password=hunter2-internal"
_BODY = (
    '{"code": "internal_'
    + INTERNAL_SECRET.replace("=", "_")
    + '", "message": "'
    + INTERNAL_SECRET
    + '"}'
).encode()

Mode = Literal["answer", "close", "silent"]


class RecordingListener(StartedInWith):
    """`mode`: "answer" replies 400 with a JSON body carrying `INTERNAL_SECRET`; "close"
    accepts and drops the connection at once (an open port that refuses to talk);
    "silent" accepts and never answers."""

    def __init__(self, mode: Mode = "answer") -> None:
        self.mode = mode
        self.connections: list[bytes] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sockets = _loopback_sockets()
        self.port: int = self._sockets[0].getsockname()[1]
        self._threads = [
            threading.Thread(target=self._serve, args=(s,), daemon=True) for s in self._sockets
        ]

    def start(self) -> RecordingListener:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        for sock in self._sockets:
            sock.close()

    @property
    def received(self) -> list[bytes]:
        with self._lock:
            return list(self.connections)

    def _serve(self, listening: socket.socket) -> None:
        listening.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = listening.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(0.5)
                data = b""
                with contextlib.suppress(OSError):
                    data = conn.recv(65536)
                with self._lock:
                    self.connections.append(data)
                if self.mode == "answer":
                    head = (
                        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {len(_BODY)}\r\nConnection: close\r\n\r\n"
                    )
                    with contextlib.suppress(OSError):
                        conn.sendall(head.encode() + _BODY)
                elif self.mode == "silent":
                    self._stop.wait(5)


def _loopback_sockets() -> list[socket.socket]:
    """127.0.0.1:P and, where the host has IPv6, [::1]:P on the same port P."""
    for _ in range(20):
        v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        v4.bind(("127.0.0.1", 0))
        v4.listen(16)
        port = v4.getsockname()[1]
        if not socket.has_ipv6:
            return [v4]
        v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        try:
            v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            v6.bind(("::1", port))
        except OSError:
            v6.close()
            if _ipv6_loopback_missing():
                return [v4]
            v4.close()
            continue  # the port is taken on ::1; try another
        v6.listen(16)
        return [v4, v6]
    raise RuntimeError("no free loopback port for the listener")


def _ipv6_loopback_missing() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return True
    return False


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
