"""A real SMTP server for the email tests: aiosmtpd on 127.0.0.1 in its own thread, with
STARTTLS (a throwaway self-signed certificate for 127.0.0.1) and AUTH, keeping what it
receives."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from emulators.server import write_self_signed_tls

USERNAME = "mailer"
PASSWORD = "mail-password-for-tests"
# How the server offers TLS: STARTTLS, from the first byte (SMTPS), or not at all.
SmtpMode = Literal["starttls", "tls", "plain"]


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
            over_tls=session.ssl is not None or _implicit_tls(server),
            login=session.auth_data.login.decode()
            if session.authenticated and session.auth_data
            else None,
        )
        with self._arrived:
            self._inbox.append(received)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"


def _implicit_tls(server: SMTP) -> bool:
    """Whether the connection a message came over was TLS from its first byte (SMTPS)."""
    transport = server.transport
    assert transport is not None  # a message arrives over an open connection
    return transport.get_extra_info("ssl_object") is not None


def _authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USERNAME.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, auth_data=auth_data if ok else None, handled=False)


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

    def __init__(self, directory: Path, mode: SmtpMode = "starttls") -> None:
        import ssl

        certificate = write_self_signed_tls(directory, common_name="127.0.0.1")
        self.ca_file = certificate.cert_file
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(certificate.cert_file, certificate.key_file)
        self._inbox: list[ReceivedMail] = []
        self._arrived = threading.Condition()
        self.port = _free_port()
        self._controller = Controller(
            _Handler(self._inbox, self._arrived),
            hostname=self.host,
            port=self.port,
            # aiosmtpd counts only STARTTLS as TLS for AUTH; SMTPS is encrypted from the start.
            authenticator=_authenticate,
            auth_require_tls=mode != "tls",
            tls_context=tls if mode == "starttls" else None,
            ssl_context=tls if mode == "tls" else None,
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
