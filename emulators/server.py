"""Run an emulator's ASGI app with uvicorn on 127.0.0.1 in a background thread.

`BackgroundServer` serves any ASGI app on a free port, optionally over real TLS with a
throwaway self-signed certificate (`self_signed_tls`); the WooCommerce and OpenAI emulators
and tests that need a one-off HTTP endpoint all run on it. `StartedInWith` gives every
fake its `with` block; `ServedInBackground` stops a fake's own server.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
import ssl
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


class StartedInWith(ABC):
    """`with thing:` starts it and stops it on the way out, for every fake a test runs."""

    @abstractmethod
    def start(self) -> Self: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass(frozen=True)
class TlsFiles:
    cert_file: Path
    key_file: Path

    def client_context(self) -> ssl.SSLContext:
        """An SSL context that trusts exactly this self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.cert_file))


@lru_cache(maxsize=1)
def self_signed_tls() -> TlsFiles:
    """A throwaway certificate for 127.0.0.1/localhost, made once per test process."""
    folder = Path(tempfile.mkdtemp(prefix="fake-woo-tls-"))
    return write_self_signed_tls(folder, common_name="fake-woocommerce.test")


def write_self_signed_tls(folder: Path, *, common_name: str) -> TlsFiles:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for two days, written
    with its key as cert.pem and key.pem into `folder` (which it owns)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return TlsFiles(cert_file, key_file)


class _DropExpectedNoise(logging.Filter):
    """The `disconnect` fault abandons responses on purpose; uvicorn need not shout about it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without completing response" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_DropExpectedNoise())


class BackgroundServer:
    """uvicorn on a pre-bound socket (so the port is known before it starts), in a daemon thread."""

    def __init__(
        self,
        app: Callable[..., Any],
        *,
        tls: TlsFiles | None = None,
        name: str = "fake-woo",
        log_level: str = "warning",
    ) -> None:
        # IPPROTO_TCP and TCP_NODELAY: Nagle off on every connection it accepts, as a real
        # server's streams are (asyncio sets it only when the listening socket says TCP).
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            lifespan="off",
            log_level=log_level,
            access_log=False,
            timeout_graceful_shutdown=1,
            timeout_keep_alive=30,
            ssl_certfile=str(tls.cert_file) if tls else None,
            ssl_keyfile=str(tls.key_file) if tls else None,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self.socket]},
            name=f"{name}-{self.port}",
            daemon=True,
        )

    def start(self, timeout_s: float = 10.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the {self.thread.name} server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


class ServedInBackground(StartedInWith):
    """A fake whose app runs on a `BackgroundServer` of its own while it is started."""

    _server: BackgroundServer | None = None

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
