"""The configured public URLs are the only source of links: the API's for the widget
snippet, the dashboard's for emailed links (by default the web app this server serves at
`<public API URL>/app`); a dashboard API without one is not built."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from core.db.database import Database
from core.email import EmailSender, LoggingEmailSender
from core.errors import ConfigurationError
from core.settings import get_settings
from dashboard_api.dependencies import DashboardDependencies, DashboardRuntime
from tests.dashboard_api.harness import (
    PUBLIC_API_URL,
    build_app,
    client_for,
    register,
    unique_email,
)
from tests.support.mail import SmtpTestServer

DASHBOARD_URL = "https://app.shopbot.test"
HOSTILE = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}


async def test_snippet_points_at_the_api_url_and_mails_at_the_dashboard_url_whatever_the_host(
    db: Database,
    redis: Redis,
    outbox: EmailSender,
    mailbox: SmtpTestServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOPBOT_DASHBOARD_URL", DASHBOARD_URL)
    get_settings.cache_clear()
    try:
        app = build_app(db, redis=redis, email_sender=outbox)
    finally:
        monkeypatch.delenv("SHOPBOT_DASHBOARD_URL")
        get_settings.cache_clear()

    async with client_for(app) as client:
        client.headers.update(HOSTILE)
        merchant = await register(client)
        snippet = (
            await client.get(f"/v1/bots/{merchant.bot_id}/snippet", headers=merchant.headers)
        ).json()
        await client.post("/v1/auth/request-password-reset", json={"email": merchant.email})
        invitee = unique_email("invitee")
        invited = await client.post(
            "/v1/team/invitations",
            headers=merchant.headers,
            json={"email": invitee, "role": "viewer"},
        )
        assert invited.status_code == 201

    assert snippet["script_url"] == f"{PUBLIC_API_URL}/widget.js"
    emailed = [
        mailbox.wait_for(merchant.email, "confirm your email").link("/verify-email"),
        mailbox.wait_for(merchant.email, "reset your").link("/reset-password"),
        mailbox.wait_for(invitee, "invited").link("/accept-invitation"),
    ]
    assert all(link.startswith(DASHBOARD_URL + "/") for link in emailed), emailed
    assert "attacker.example" not in snippet["snippet"] + "".join(emailed)


async def test_emailed_links_land_in_the_web_app_at_app_by_default(
    db: Database, redis: Redis, outbox: EmailSender, mailbox: SmtpTestServer
) -> None:
    app = build_app(db, redis=redis, email_sender=outbox)
    async with client_for(app) as client:
        merchant = await register(client)
        await client.post("/v1/auth/request-password-reset", json={"email": merchant.email})
        invitee = unique_email("invitee")
        invited = await client.post(
            "/v1/team/invitations",
            headers=merchant.headers,
            json={"email": invitee, "role": "viewer"},
        )
        assert invited.status_code == 201
    verify = mailbox.wait_for(merchant.email, "confirm your email").link("/verify-email")
    reset = mailbox.wait_for(merchant.email, "reset your").link("/reset-password")
    accept = mailbox.wait_for(invitee, "invited").link("/accept-invitation")
    assert verify.startswith(f"{PUBLIC_API_URL}/app/verify-email?token=")
    assert reset.startswith(f"{PUBLIC_API_URL}/app/reset-password?token=")
    assert accept.startswith(f"{PUBLIC_API_URL}/app/accept-invitation?token=")
    assert app.state.shopbot_dashboard_runtime.link_base == f"{PUBLIC_API_URL}/app"


def test_a_dashboard_api_without_a_public_url_is_refused_rather_than_guessing_from_requests(
    db: Database,
) -> None:
    settings = get_settings().model_copy(update={"public_api_url": None})
    deps = DashboardDependencies(
        db=db,
        settings=settings,
        signing_key="k" * 40,
        secret_box=None,  # type: ignore[arg-type]  # deliberate: the URL check comes first
        redis=None,
        answer_service=None,
        email_sender=LoggingEmailSender(),
    )
    with pytest.raises(ConfigurationError, match="SHOPBOT_PUBLIC_API_URL"):
        DashboardRuntime.build(deps)
