"""The database going away, or giving up on a statement, is a 503 `database_unavailable` with
`Retry-After` on widget and merchant routes alike: one log line, never a traceback."""

from __future__ import annotations

import logging
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import URL

from core.db.database import Database, SessionTimeouts
from core.provisioning import provision_tenant
from engine.answer import AnswerService
from tests.api.harness import SHOP_ORIGIN, assert_problem
from tests.dashboard_api.support import HashingEmbedder
from tests.support.composed_app import composed_app, composed_client
from tests.support.db_relay import DatabaseRelay

PASSWORD = "correct horse battery staple"


def assert_database_unavailable(response: httpx.Response) -> None:
    assert_problem(response, 503, "database_unavailable")
    assert int(response.headers["retry-after"]) >= 1


def assert_one_line_per_outage(caplog: pytest.LogCaptureFixture) -> None:
    """However many requests the outage failed: within 30 s the log has its first line
    only (web.errors' ThrottledWarning counts the rest into the next line)."""
    assert not [r for r in caplog.records if r.exc_info], "an outage must not log a traceback"
    lines = [
        r
        for r in caplog.records
        if r.name == "web.errors" and "database unavailable" in r.getMessage()
    ]
    assert len(lines) == 1, [r.getMessage() for r in lines]


@pytest.fixture
async def relay(app_url: URL) -> AsyncIterator[DatabaseRelay]:
    # A short directory: Unix socket paths are limited to ~100 bytes.
    listen_dir = Path(tempfile.mkdtemp(prefix="dbr", dir="/tmp"))
    relay = DatabaseRelay(app_url, listen_dir)
    await relay.start()
    try:
        yield relay
    finally:
        await relay.stop()
        shutil.rmtree(listen_dir, ignore_errors=True)


async def test_widget_routes_answer_503_with_retry_after_when_the_database_goes_away(
    relay: DatabaseRelay, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database.connect(relay.url, pool_size=2)
    try:
        created = await provision_tenant(db, name="Outage Outdoors", allowed_origins=[SHOP_ORIGIN])
        app = composed_app(db, relay.url, answer_service=AnswerService(db, HashingEmbedder()))
        async with composed_client(app) as client:
            opened = await client.post(
                "/widget/v1/sessions",
                json={"widget_key": created.widget_key},
                headers={"Origin": SHOP_ORIGIN},
            )
            assert opened.status_code == 200, opened.text
            token = opened.json()["session_token"]

            await relay.stop()  # pooled connections die, new ones are refused
            with caplog.at_level(logging.INFO):
                session = await client.post(
                    "/widget/v1/sessions",
                    json={"widget_key": created.widget_key},
                    headers={"Origin": SHOP_ORIGIN},
                )
                chat = await client.post(
                    "/widget/v1/chat",
                    json={"message": "Do you sell tents?"},
                    headers={"Authorization": f"Bearer {token}", "Origin": SHOP_ORIGIN},
                )
                # Webhooks too: WooCommerce retries nothing, but a 503 says "not your fault".
                webhook = await client.post(
                    f"/webhooks/woocommerce/{uuid.uuid4()}",
                    json={"id": 7},
                    headers={
                        "X-WC-Webhook-Signature": "c2lnbmF0dXJl",
                        "X-WC-Webhook-Topic": "product.updated",
                    },
                )
                ready = await client.get("/readyz")
    finally:
        await db.dispose()
    assert_database_unavailable(session)
    assert_database_unavailable(chat)
    assert_database_unavailable(webhook)
    assert_problem(ready, 503, "not_ready")
    assert int(ready.headers["retry-after"]) >= 1
    assert_one_line_per_outage(caplog)


async def test_merchant_routes_answer_503_with_retry_after_when_the_database_goes_away(
    relay: DatabaseRelay, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database.connect(relay.url, pool_size=2)
    email = f"outage-{uuid.uuid4().hex[:12]}@example.com"
    try:
        async with composed_client(composed_app(db, relay.url)) as client:
            registered = await client.post(
                "/v1/auth/register",
                json={"email": email, "password": PASSWORD, "business_name": "Outage Goods"},
            )
            assert registered.status_code == 201, registered.text
            headers = {"Authorization": f"Bearer {registered.json()['access_token']}"}
            assert (await client.get("/v1/bots", headers=headers)).status_code == 200

            await relay.stop()
            with caplog.at_level(logging.INFO):
                bots = await client.get("/v1/bots", headers=headers)
                login = await client.post(
                    "/v1/auth/login", json={"email": email, "password": PASSWORD}
                )
    finally:
        await db.dispose()
    assert_database_unavailable(bots)
    assert_database_unavailable(login)
    assert_one_line_per_outage(caplog)


async def test_an_unreachable_database_never_leaks_its_credentials(app_url: URL) -> None:
    db = Database.connect(
        URL.create("postgresql+psycopg", "secret_user", "hunter2", "127.0.0.1", 1, "none")
    )
    try:
        async with composed_client(composed_app(db, app_url)) as client:
            response = await client.post(
                "/widget/v1/sessions", json={"widget_key": "wk_x"}, headers={"Origin": SHOP_ORIGIN}
            )
    finally:
        await db.dispose()
    assert_database_unavailable(response)
    assert "hunter2" not in response.text and "secret_user" not in response.text


def owner_conninfo(owner_url: URL) -> str:
    return owner_url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.parametrize(
    ("timeouts", "what"),
    [
        (
            SessionTimeouts(statement_ms=300, lock_ms=0, idle_in_transaction_ms=0, connect_s=2),
            "statement_timeout",
        ),
        (
            SessionTimeouts(statement_ms=0, lock_ms=300, idle_in_transaction_ms=0, connect_s=2),
            "lock_timeout",
        ),
    ],
)
async def test_a_statement_or_lock_timeout_is_a_503(
    app_url: URL,
    owner_url: URL,
    timeouts: SessionTimeouts,
    what: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = Database.connect(app_url, pool_size=2, timeouts=timeouts)
    try:
        async with await psycopg.AsyncConnection.connect(owner_conninfo(owner_url)) as holder:
            # Another transaction holds the bots table: the widget key lookup has to wait.
            await holder.execute("LOCK TABLE bots IN ACCESS EXCLUSIVE MODE")
            async with composed_client(composed_app(db, app_url)) as client:
                with caplog.at_level(logging.INFO):
                    response = await client.post(
                        "/widget/v1/sessions",
                        json={"widget_key": "wk_waits"},
                        headers={"Origin": SHOP_ORIGIN},
                    )
            await holder.rollback()
    finally:
        await db.dispose()
    assert_database_unavailable(response)
    assert_one_line_per_outage(caplog)
    expected = "QueryCanceled" if what == "statement_timeout" else "LockNotAvailable"
    assert any(expected in r.getMessage() for r in caplog.records if r.name == "web.errors")
