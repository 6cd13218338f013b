"""Outgoing email (verification links, password resets, invitations).

`EmailSender` is the interface the services use. Two implementations:
- `LoggingEmailSender`: for development and the embedded demo. It *is* the delivery
  channel there, so it logs the whole message, link included, at INFO — never use it in
  production (the link grants the action it names).
- `SmtpEmailSender`: `smtplib` in a worker thread (never on the event loop), STARTTLS or
  implicit TLS, configured from settings (`email_sender_from_settings`).
A failing sender is logged and swallowed by the services: a lost email must not turn a
registration into a 500 (the user can ask again).
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    body: str


class EmailSender(Protocol):
    async def send(self, email: OutgoingEmail) -> None: ...


class LoggingEmailSender:
    """Development only: the log is the mailbox."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or log
        self.sent: list[OutgoingEmail] = []  # handy for tests and the demo

    async def send(self, email: OutgoingEmail) -> None:
        self.sent.append(email)
        self._log.info(
            "DEVELOPMENT EMAIL (logging sender, not delivered) to=%s subject=%r\n%s",
            email.to, email.subject, email.body,
        )


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    sender: str = "Shopbot <no-reply@shopbot.dev>"
    security: str = "starttls"  # starttls | tls | none
    timeout_s: float = 15.0


class SmtpEmailSender:
    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, email: OutgoingEmail) -> None:
        await asyncio.to_thread(self._send_blocking, email)

    def _send_blocking(self, email: OutgoingEmail) -> None:
        config = self._config
        message = EmailMessage()
        message["From"] = config.sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message.set_content(email.body)
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if config.security == "tls":
            client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout_s, context=context)
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout_s)
        with client:
            if config.security == "starttls":
                client.starttls(context=context)
            if config.username and config.password:
                client.login(config.username, config.password)
            client.send_message(message)
        # The body carries a one-time link: only the recipient and subject are logged.
        log.info("email sent to %s: %s", email.to, email.subject)


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    getter = getattr(value, "get_secret_value", None)
    return getter() if callable(getter) else str(value)


def email_sender_from_settings(settings: Any) -> EmailSender:
    """SMTP when `smtp_host` is configured, else the logging sender.

    Reads `smtp_host`, `smtp_port`, `smtp_username`, `smtp_password`, `smtp_from`,
    `smtp_security` from the settings object when it has them (core.settings declares
    them as `SHOPBOT_SMTP_*`).
    """
    host = getattr(settings, "smtp_host", None)
    if not host:
        return LoggingEmailSender()
    return SmtpEmailSender(
        SmtpConfig(
            host=host,
            port=int(getattr(settings, "smtp_port", None) or 587),
            username=getattr(settings, "smtp_username", None),
            password=_secret(getattr(settings, "smtp_password", None)),
            sender=getattr(settings, "smtp_from", None) or SmtpConfig.sender,
            security=getattr(settings, "smtp_security", None) or "starttls",
        )
    )


async def send_quietly(sender: EmailSender, email: OutgoingEmail) -> bool:
    try:
        await sender.send(email)
    except Exception:  # noqa: BLE001 - a mail outage must not fail the request
        log.warning("could not send email %r to %s", email.subject, email.to, exc_info=True)
        return False
    return True
