"""A real SMTP server for the email tests: aiosmtpd on 127.0.0.1 in its own thread, with
STARTTLS (a certificate made here, for 127.0.0.1) and AUTH, keeping what it receives."""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USERNAME = "mailer"
PASSWORD = "mail-password-for-tests"


@dataclass(frozen=True)
class ReceivedMail:
    sender: str
    to: list[str]
    subject: str
    body: str
    over_tls: bool
    login: str | None

    def link(self, path: str) -> str:
        """The first link in the body whose path ends with `path` (e.g. "/verify-email")."""
        match = re.search(rf"https?://\S+?{re.escape(path)}\?token=[A-Za-z0-9_\-]+", self.body)
        assert match, f"no {path} link in:\n{self.body}"
        return match.group(0)


class _Handler:
    def __init__(self, inbox: list[ReceivedMail], arrived: threading.Condition) -> None:
        self._inbox = inbox
        self._arrived = arrived

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(
            envelope.original_content or b"", policy=email.policy.default
        )
        body = message.get_body(preferencelist=("plain",))
        received = ReceivedMail(
            sender=envelope.mail_from or "",
            to=[address.lower() for address in envelope.rcpt_tos],
            subject=str(message["Subject"]),
            body=body.get_content() if body is not None else "",
            # STARTTLS fills session.ssl; implicit TLS shows only on the transport.
            over_tls=session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None,
            login=session.auth_data.login.decode()
            if session.authenticated and session.auth_data
            else None,
        )
        with self._arrived:
            self._inbox.append(received)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"


def _authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USERNAME.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, auth_data=auth_data if ok else None, handled=False)


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpTestServer:
    """`mode="starttls"` (the default): STARTTLS is offered and AUTH is accepted only after
    it; plain, unauthenticated delivery is accepted too, so each test picks the client
    settings it checks. `mode="tls"`: TLS from the first byte (SMTPS). `mode="plain"`: no
    TLS offered at all."""

    host = "127.0.0.1"

    def __init__(self, directory: Path, mode: str = "starttls") -> None:
        import ssl

        self.ca_file, key_file = _certificate(directory)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(self.ca_file, key_file)
        self._inbox: list[ReceivedMail] = []
        self._arrived = threading.Condition()
        self.port = _free_port()
        transport: dict[str, object] = {
            "starttls": {"tls_context": tls},
            "tls": {"ssl_context": tls},
            "plain": {},
        }[mode]
        self._controller = Controller(
            _Handler(self._inbox, self._arrived),
            hostname=self.host,
            port=self.port,
            # aiosmtpd counts only STARTTLS as TLS for AUTH; SMTPS is encrypted from the start.
            authenticator=_authenticate,
            auth_require_tls=mode != "tls",
            **transport,
        )

    def start(self) -> SmtpTestServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def wait_for(self, to: str, subject_contains: str = "", timeout: float = 10.0) -> ReceivedMail:
        """The newest message to `to` whose subject contains the words; waits for it."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for mail in reversed(self._inbox):
                    if to.lower() in mail.to and subject_contains.lower() in mail.subject.lower():
                        return mail
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no mail to {to} about {subject_contains!r} arrived in {timeout} s"
                    )
                self._arrived.wait(left)

    def received_by(self, to: str) -> list[ReceivedMail]:
        with self._arrived:
            return [mail for mail in self._inbox if to.lower() in mail.to]
