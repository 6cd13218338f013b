"""Links are never built from the `Host` header: `shopbot serve` in development without a
public URL puts the address it was started on into the widget snippet, the reset link and
the invitation link, whatever Host (or X-Forwarded-Host) a caller sends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from tests.cli.serving import free_port, serving
from tests.support.mail import SmtpTestServer

PASSWORD = "correct horse battery staple"
HOSTILE = {
    "Host": "attacker.example",
    "X-Forwarded-Host": "attacker.example",
    "X-Forwarded-Proto": "https",
}


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpTestServer]:
    server = SmtpTestServer(tmp_path_factory.mktemp("smtp")).start()
    yield server
    server.stop()


def test_snippet_reset_and_invitation_links_use_the_started_on_url_not_the_host_header(
    owner_url: URL, mailbox: SmtpTestServer, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "SHOPBOT_DATA_DIR": str(tmp_path),
        "SHOPBOT_PUBLIC_API_URL": "",
        "SHOPBOT_DASHBOARD_URL": "",
        "SHOPBOT_SMTP_HOST": mailbox.host,
        "SHOPBOT_SMTP_PORT": str(mailbox.port),
        "SHOPBOT_SMTP_SECURITY": "none",
    }
    started_on = f"http://127.0.0.1:{port}"
    email = f"host-owner-{port}@example.com"
    invitee = f"host-invitee-{port}@example.com"
    with (
        serving(env, port=port) as base,
        httpx.Client(base_url=base, headers=HOSTILE, timeout=30) as client,
    ):
        registered = client.post(
            "/v1/auth/register",
            json={"email": email, "password": PASSWORD, "business_name": "Host Shop"},
        )
        assert registered.status_code == 201, registered.text
        body = registered.json()
        auth = {"Authorization": f"Bearer {body['access_token']}"}

        snippet = client.get(f"/v1/bots/{body['bot_id']}/snippet", headers=auth).json()
        assert (
            client.post("/v1/auth/request-password-reset", json={"email": email}).status_code == 202
        )
        invited = client.post(
            "/v1/team/invitations", headers=auth, json={"email": invitee, "role": "viewer"}
        )
        assert invited.status_code == 201, invited.text

    links = [
        snippet["script_url"],
        mailbox.wait_for(email, "confirm your email").link("/verify-email"),
        mailbox.wait_for(email, "reset your").link("/reset-password"),
        mailbox.wait_for(invitee, "invited").link("/accept-invitation"),
    ]
    assert snippet["script_url"] == f"{started_on}/widget.js"
    assert f'src="{started_on}/widget.js"' in snippet["snippet"]
    for link in links[1:]:  # emailed links land in the web app (served at /app/)
        assert link.startswith(started_on + "/app/"), link
    assert "attacker.example" not in snippet["snippet"] + "".join(links)
