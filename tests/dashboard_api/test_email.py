"""Email that arrives: the SMTP settings an operator sets (`SHOPBOT_SMTP_*`) deliver the
verification, reset and invitation mails to a real SMTP server over STARTTLS with a login,
and their links do what they say. The logging backend never writes a token or a link."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiosmtplib
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from core.db.database import Database
from core.email import LoggingEmailSender, OutgoingEmail, email_sender_from_settings
from core.settings import Settings
from tests.dashboard_api.harness import (
    PASSWORD,
    PUBLIC_API_URL,
    build_app,
    client_for,
    register,
    unique_email,
)
from tests.support import mail
from tests.support.mail import SmtpTestServer

SENDER = "Shopbot Test <mailer@shopbot.test>"


@pytest.fixture
def operator_settings(monkeypatch: pytest.MonkeyPatch, mailbox: SmtpTestServer) -> Settings:
    """Settings read from the environment, as a deployment sets them."""
    for name, value in {
        "SHOPBOT_SMTP_HOST": mailbox.host,
        "SHOPBOT_SMTP_PORT": str(mailbox.port),
        "SHOPBOT_SMTP_USERNAME": mail.USERNAME,
        "SHOPBOT_SMTP_PASSWORD": mail.PASSWORD,
        "SHOPBOT_SMTP_SECURITY": "starttls",
        "SHOPBOT_SMTP_SENDER": SENDER,
        # The server's certificate is this test's own: trusted the way an operator would.
        "SSL_CERT_FILE": str(mailbox.ca_file),
    }.items():
        monkeypatch.setenv(name, value)
    return Settings()


@pytest.fixture
def mailing_app(db: Database, redis: Redis, operator_settings: Settings) -> FastAPI:
    return build_app(db, redis=redis, email_sender=email_sender_from_settings(operator_settings))


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


async def test_registration_mail_arrives_over_starttls_and_its_link_verifies_the_email(
    mailing_app: FastAPI, mailbox: SmtpTestServer
) -> None:
    async with client_for(mailing_app) as client:
        merchant = await register(client)
        arrived = mailbox.wait_for(merchant.email, "confirm your email")
        assert arrived.over_tls and arrived.login == mail.USERNAME
        assert arrived.sender == "mailer@shopbot.test"
        link = arrived.link("/verify-email")
        assert link.startswith(PUBLIC_API_URL + "/app/verify-email?token=")

        verified = await client.post("/v1/auth/verify-email", json={"token": _token(link)})
        assert verified.status_code == 200, verified.text
        me = await client.get("/v1/auth/me", headers=merchant.headers)
        assert me.json()["email_verified"] is True


async def test_reset_mail_arrives_and_its_token_sets_a_password_that_signs_in(
    mailing_app: FastAPI, mailbox: SmtpTestServer
) -> None:
    async with client_for(mailing_app) as client:
        merchant = await register(client)
        requested = await client.post(
            "/v1/auth/request-password-reset", json={"email": merchant.email}
        )
        assert requested.status_code == 202
        link = mailbox.wait_for(merchant.email, "reset your").link("/reset-password")

        new_password = "mail delivered passphrase"
        reset = await client.post(
            "/v1/auth/reset-password", json={"token": _token(link), "password": new_password}
        )
        assert reset.status_code == 204, reset.text
        signed_in = await client.post(
            "/v1/auth/login", json={"email": merchant.email, "password": new_password}
        )
        assert signed_in.status_code == 200 and signed_in.json()["user_id"] == str(merchant.user_id)


async def test_invitation_mail_arrives_and_the_invitee_joins_with_its_token(
    mailing_app: FastAPI, mailbox: SmtpTestServer
) -> None:
    async with client_for(mailing_app) as client:
        owner = await register(client)
        invitee = unique_email("invitee")
        created = await client.post(
            "/v1/team/invitations", headers=owner.headers, json={"email": invitee, "role": "editor"}
        )
        assert created.status_code == 201, created.text
        link = mailbox.wait_for(invitee, "invited").link("/accept-invitation")

        accepted = await client.post(
            "/v1/team/invitations/accept", json={"token": _token(link), "password": PASSWORD}
        )
        assert accepted.status_code == 200, accepted.text
        login = await client.post(
            "/v1/auth/login",
            json={"email": invitee, "password": PASSWORD, "tenant_id": str(owner.tenant_id)},
        )
        assert login.status_code == 200 and login.json()["role"] == "editor"


async def test_the_log_backend_logs_recipient_and_subject_but_never_a_token_or_link(
    db: Database, redis: Redis, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SHOPBOT_EMAIL_BACKEND", "log")
    monkeypatch.setenv(
        "SHOPBOT_SMTP_HOST", "smtp.never-used.test"
    )  # log wins when chosen explicitly
    sender = email_sender_from_settings(Settings())
    assert isinstance(sender, LoggingEmailSender)
    caplog.set_level(logging.DEBUG)

    async with client_for(build_app(db, redis=redis, email_sender=sender)) as client:
        merchant = await register(client)
        await client.post("/v1/auth/request-password-reset", json={"email": merchant.email})
        invitee = unique_email("invitee")
        invitation = (
            await client.post(
                "/v1/team/invitations",
                headers=merchant.headers,
                json={"email": invitee, "role": "viewer"},
            )
        ).json()

    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    # Each mail was accounted for in the log...
    for to, subject in (
        (merchant.email, "Confirm your email"),
        (merchant.email, "Reset your"),
        (invitee, "invited"),
    ):
        assert any(to in r.getMessage() and subject in r.getMessage() for r in caplog.records), (
            to,
            subject,
        )
    # ...and no credential it carried, nor any link, reached it.
    for secret in (
        invitation["token"],
        merchant.access_token,
        merchant.refresh_token,
        "token=",
        PUBLIC_API_URL,
    ):
        assert secret not in logged
    # Nothing of the messages stays in the sender either.
    assert not any(isinstance(value, list | dict) for value in vars(sender).values())


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch):
    def configure(server: SmtpTestServer, security: str, *, trust: bool = True) -> Settings:
        monkeypatch.setenv("SHOPBOT_SMTP_HOST", server.host)
        monkeypatch.setenv("SHOPBOT_SMTP_PORT", str(server.port))
        monkeypatch.setenv("SHOPBOT_SMTP_SECURITY", security)
        monkeypatch.setenv("SHOPBOT_SMTP_USERNAME", mail.USERNAME)
        monkeypatch.setenv("SHOPBOT_SMTP_PASSWORD", mail.PASSWORD)
        if trust:
            monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        return Settings()

    return configure


@pytest.fixture
def smtps_server(tmp_path: Path) -> Iterator[SmtpTestServer]:
    server = SmtpTestServer(tmp_path, mode="tls").start()
    yield server
    server.stop()


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[SmtpTestServer]:
    server = SmtpTestServer(tmp_path, mode="plain").start()
    yield server
    server.stop()


async def test_implicit_tls_delivers_with_a_login(smtps_server: SmtpTestServer, smtp_env) -> None:
    sender = email_sender_from_settings(smtp_env(smtps_server, "tls"))
    await sender.send(OutgoingEmail(to="smtps@example.com", subject="Over TLS", body="hello"))
    arrived = smtps_server.wait_for("smtps@example.com", "over tls")
    assert arrived.over_tls and arrived.login == mail.USERNAME


async def test_starttls_never_falls_back_to_plain_text(
    plain_server: SmtpTestServer, smtp_env
) -> None:
    sender = email_sender_from_settings(smtp_env(plain_server, "starttls"))
    with pytest.raises(aiosmtplib.SMTPException):
        await sender.send(
            OutgoingEmail(to="downgrade@example.com", subject="Secret link", body="token=abc")
        )
    assert plain_server.received_by("downgrade@example.com") == []


async def test_an_untrusted_certificate_is_refused(mailbox: SmtpTestServer, smtp_env) -> None:
    sender = email_sender_from_settings(smtp_env(mailbox, "starttls", trust=False))
    with pytest.raises(ssl.SSLCertVerificationError):
        await sender.send(
            OutgoingEmail(to="mitm@example.com", subject="Secret link", body="token=abc")
        )
    assert mailbox.received_by("mitm@example.com") == []
