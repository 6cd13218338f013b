"""Outgoing email (verification links, password resets, invitations, hand-off notices).

Shared by both APIs (the widget API notifies merchants of hand-off requests), so it lives
in core rather than in the merchant API.

`EmailSender` is the interface the services use. Two implementations, chosen by
`email_sender_from_settings` (`SHOPBOT_EMAIL_BACKEND`, `SHOPBOT_SMTP_*`):
- `SmtpEmailSender`: aiosmtplib on the event loop, STARTTLS, implicit TLS or plain.
- `LoggingEmailSender`: development without a mail server. It logs who would have been
  written to and about what, never the body: the body carries a one-time link that
  grants the action it names, and logs travel further than mailboxes.
Neither keeps what it sent. A failing sender is logged and swallowed by the services: a
lost email must not turn a registration into a 500 (the user can ask again).
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal, Protocol

import aiosmtplib

from core.errors import ConfigurationError
from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    body: str


class EmailSender(Protocol):
    async def send(self, email: OutgoingEmail) -> None: ...


class LoggingEmailSender:
    """Development only: records that a message was due, not what it said."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or log

    async def send(self, email: OutgoingEmail) -> None:
        self._log.info(
            "email not delivered "
            "(SHOPBOT_EMAIL_BACKEND=log; configure SHOPBOT_SMTP_HOST to send it) "
            "to=%s subject=%r",
            email.to,
            email.subject,
        )


SmtpSecurity = Literal["starttls", "tls", "none"]


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    sender: str = "Shopbot <no-reply@shopbot.dev>"
    security: SmtpSecurity = "starttls"
    timeout_s: float = 15.0


class SmtpEmailSender:
    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, email: OutgoingEmail) -> None:
        config = self._config
        message = EmailMessage()
        message["From"] = config.sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message.set_content(email.body)
        await aiosmtplib.send(
            message,
            hostname=config.host,
            port=config.port,
            username=config.username,
            password=config.password,
            use_tls=config.security == "tls",
            # Explicit either way: aiosmtplib would otherwise upgrade opportunistically,
            # and `starttls` must fail rather than fall back to plain text.
            start_tls=config.security == "starttls",
            # The system's trust store (honours SSL_CERT_FILE), certificates verified.
            tls_context=ssl.create_default_context(),
            timeout=config.timeout_s,
        )
        # The body carries a one-time link: only the recipient and subject are logged.
        log.info("email sent to %s: %s", email.to, email.subject)


def smtp_config_from_settings(settings: Settings) -> SmtpConfig:
    if not settings.smtp_host:
        raise ConfigurationError("SHOPBOT_EMAIL_BACKEND=smtp needs SHOPBOT_SMTP_HOST")
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        sender=settings.smtp_sender,
        security=settings.smtp_security,
        timeout_s=settings.smtp_timeout,
    )


def email_sender_from_settings(settings: Settings) -> EmailSender:
    """The configured backend; unset, SMTP when a host is configured, else the log."""
    backend = settings.email_backend or ("smtp" if settings.smtp_host else "log")
    if backend == "log":
        return LoggingEmailSender()
    return SmtpEmailSender(smtp_config_from_settings(settings))


async def send_quietly(sender: EmailSender, email: OutgoingEmail) -> bool:
    try:
        await sender.send(email)
    except Exception as exc:
        # The error's type and the server's reply say what went wrong; no traceback, whose
        # frames would show the message being sent, link included.
        log.warning(
            "could not send email %r to %s: %s: %s",
            email.subject,
            email.to,
            type(exc).__name__,
            exc,
        )
        return False
    return True
