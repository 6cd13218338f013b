"""A person from the store answers a shopper who asked for one, through the process's one
app (`cli.asgi.build_app`): the hand-off is listed and filtered, the merchant's reply
reaches the widget's poll (and is then never emailed), a reply the widget does not fetch in
time is emailed once to the address the shopper left, the merchant closes the hand-off;
roles, other tenants, the audit log, the analytics, export and erasure."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import URL

from api.sessions.tokens import SessionTokens
from core.background.celery_app import celery_app
from core.db.database import Database
from core.models import AnalyticsQuarterHour, Conversation, Message, Tenant
from core.settings import get_settings
from tests.api.harness import Shop, add_exchange, bearer, open_session, provision_shop
from tests.dashboard_api.harness import add_member
from tests.support.composed_app import composed_app, composed_client
from tests.support.mail import SmtpTestServer

SHOPPER = "pat.shopper@example.org"
STORE_INBOX = "care@alpha-outdoors.test"
DELAY_S = 0.4


@dataclass
class Handoff:
    app: FastAPI
    client: httpx.AsyncClient
    shop: Shop
    widget: dict[str, str]  # the shopper's widget headers
    merchant: dict[str, str]  # an editor's headers
    conversation_id: str

    @property
    def poll(self) -> str:
        return f"/widget/v1/conversations/{self.conversation_id}/messages"

    @property
    def replies(self) -> str:
        return f"/v1/conversations/{self.conversation_id}/replies"


@pytest.fixture
async def handoff(
    db: Database, app_url: URL, mailbox: SmtpTestServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Handoff]:
    # No broker: the delayed reply email runs on this event loop (core.handoff.replies).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    app = composed_app(
        db,
        app_url,
        settings_update={
            "smtp_host": mailbox.host,
            "smtp_port": mailbox.port,
            "smtp_security": "none",
            "email_backend": "smtp",
            "handoff_reply_email_delay_s": DELAY_S,
        },
    )
    shop = await provision_shop(db)
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == shop.tenant_id).values(support_email=STORE_INBOX)
        )
    async with composed_client(app) as client:
        token = (await open_session(client, shop))["session_token"]
        exchange = await add_exchange(db, shop, visitor_id=_visitor_of(token))
        conversation_id = str(exchange["conversation_id"])
        asked = await client.post(
            "/widget/v1/handoff",
            json={"conversation_id": conversation_id, "email": SHOPPER, "consent": True},
            headers=bearer(token),
        )
        assert asked.status_code == 200, asked.text
        merchant = await add_member(app, db, shop.tenant_id, "editor")
        yield Handoff(app, client, shop, bearer(token), merchant, conversation_id)


def _visitor_of(token: str) -> str:
    """The visitor a session token names, read with the composed app's signing key."""
    key = get_settings().secret_key
    assert key is not None
    return SessionTokens(key.get_secret_value()).verify(token).visitor_id


async def _arrived(mailbox: SmtpTestServer, to: str, wait_s: float) -> int:
    """How many mails reached `to` within `wait_s` (the event loop keeps running meanwhile)."""
    for _ in range(int(wait_s / 0.05)):
        if mailbox.received_by(to):
            break
        await asyncio.sleep(0.05)
    return len(mailbox.received_by(to))


async def test_the_merchant_sees_the_request_and_the_reply_reaches_the_open_widget(
    handoff: Handoff, mailbox: SmtpTestServer, db: Database
) -> None:
    client, merchant = handoff.client, handoff.merchant
    listed = await client.get("/v1/conversations", params={"handoff": "open"}, headers=merchant)
    assert [c["id"] for c in listed.json()["items"]] == [handoff.conversation_id]
    assert listed.json()["items"][0]["handoff_state"] == "open"
    none = await client.get("/v1/conversations", params={"handoff": "none"}, headers=merchant)
    assert handoff.conversation_id not in [c["id"] for c in none.json()["items"]]
    detail = await client.get(f"/v1/conversations/{handoff.conversation_id}", headers=merchant)
    assert detail.json()["handoff"]["email"] == SHOPPER
    assert detail.json()["handoff"]["state"] == "open"

    replied = await client.post(
        handoff.replies, json={"text": "  Hi Pat, the tent ships Monday.  "}, headers=merchant
    )
    assert replied.status_code == 201, replied.text
    assert replied.json()["role"] == "merchant"
    assert replied.json()["content"] == "Hi Pat, the tent ships Monday."

    polled = await client.get(handoff.poll, headers=handoff.widget)
    assert polled.status_code == 200, polled.text
    assert [m["content"] for m in polled.json()["messages"]] == ["Hi Pat, the tent ships Monday."]
    after = polled.json()["messages"][-1]["created_at"]
    again = await client.get(handoff.poll, params={"after": after}, headers=handoff.widget)
    assert again.json()["messages"] == []
    # Fetched in time: no email follows, even after the delay.
    assert await _arrived(mailbox, SHOPPER, DELAY_S * 4) == 0

    shown = await client.get(f"/v1/conversations/{handoff.conversation_id}", headers=merchant)
    # (One rolled-back transaction: every row has the same now(), so order is not checked.)
    assert sorted(m["role"] for m in shown.json()["messages"]) == ["assistant", "merchant", "user"]
    owner = await add_member(handoff.app, db, handoff.shop.tenant_id, "owner")
    audit = await client.get(
        "/v1/audit-log", params={"action": "conversation.replied"}, headers=owner
    )
    assert audit.status_code == 200, audit.text
    entries = audit.json()["items"]
    assert entries and entries[0]["target_id"] == handoff.conversation_id
    assert "tent" not in str(entries)  # counts and ids, not what was written


async def test_a_reply_the_widget_does_not_fetch_is_emailed_once(
    handoff: Handoff, mailbox: SmtpTestServer
) -> None:
    text_ = "Your card 4111 1111 1111 1111 was not charged. Write to care@alpha-outdoors.test"
    replied = await handoff.client.post(
        handoff.replies, json={"text": text_}, headers=handoff.merchant
    )
    assert replied.status_code == 201, replied.text
    assert await _arrived(mailbox, SHOPPER, DELAY_S * 20) == 1
    mail = mailbox.received_by(SHOPPER)[0]
    assert "replied" in mail.subject
    assert "was not charged" in mail.body and "4111" not in mail.body
    assert "care@alpha-outdoors.test" in mail.body  # the merchant's own contact is kept
    # Once: a later poll shows it, and no second mail comes.
    polled = await handoff.client.get(handoff.poll, headers=handoff.widget)
    assert len(polled.json()["messages"]) == 1
    await asyncio.sleep(DELAY_S * 2)
    assert len(mailbox.received_by(SHOPPER)) == 1


async def test_closing_stops_replies_and_roles_and_tenants_are_enforced(
    handoff: Handoff, db: Database
) -> None:
    client, merchant = handoff.client, handoff.merchant
    app_viewer = await add_member(handoff.app, db, handoff.shop.tenant_id, "viewer")
    refused = await client.post(handoff.replies, json={"text": "hello"}, headers=app_viewer)
    assert refused.status_code == 403
    too_long = await client.post(handoff.replies, json={"text": "x" * 4001}, headers=merchant)
    assert too_long.status_code == 422
    blank = await client.post(handoff.replies, json={"text": "   "}, headers=merchant)
    assert blank.status_code == 422

    other = await provision_shop(db, name="Beta Bikes")
    outsider = await add_member(handoff.app, db, other.tenant_id, "owner")
    foreign = await client.post(handoff.replies, json={"text": "hi"}, headers=outsider)
    assert foreign.status_code == 404
    foreign_close = await client.post(
        f"/v1/conversations/{handoff.conversation_id}/handoff/close", headers=outsider
    )
    assert foreign_close.status_code == 404
    no_request = await add_exchange(db, handoff.shop, visitor_id="v_other")
    unasked = await client.post(
        f"/v1/conversations/{no_request['conversation_id']}/replies",
        json={"text": "hi"},
        headers=merchant,
    )
    assert unasked.status_code == 409

    closed = await client.post(
        f"/v1/conversations/{handoff.conversation_id}/handoff/close", headers=merchant
    )
    assert closed.status_code == 204
    listed = await client.get("/v1/conversations", params={"handoff": "closed"}, headers=merchant)
    assert [c["id"] for c in listed.json()["items"]] == [handoff.conversation_id]
    polled = await client.get(handoff.poll, headers=handoff.widget)
    assert polled.json()["state"] == "closed"
    after_close = await client.post(handoff.replies, json={"text": "late"}, headers=merchant)
    assert after_close.status_code == 409


async def test_merchant_replies_are_not_counted_as_shopper_messages(
    handoff: Handoff, db: Database
) -> None:
    tenant_id = handoff.shop.tenant_id

    async def counted() -> tuple[int, int]:
        async with db.tenant_session(tenant_id) as session:
            row = (
                await session.execute(
                    select(
                        func.coalesce(func.sum(AnalyticsQuarterHour.messages), 0),
                        func.coalesce(func.sum(AnalyticsQuarterHour.answers), 0),
                    ).where(AnalyticsQuarterHour.tenant_id == tenant_id)
                )
            ).one()
        return int(row[0]), int(row[1])

    before = await counted()
    replied = await handoff.client.post(
        handoff.replies, json={"text": "On its way."}, headers=handoff.merchant
    )
    assert replied.status_code == 201
    assert await counted() == before
    async with db.tenant_session(tenant_id) as session:
        await session.execute(text("SELECT analytics_rebuild(:t)"), {"t": tenant_id})
    assert await counted() == before


async def test_the_shoppers_export_has_the_handoff_and_erasure_removes_it(
    handoff: Handoff, db: Database
) -> None:
    await handoff.client.post(handoff.replies, json={"text": "Hello!"}, headers=handoff.merchant)
    exported = await handoff.client.get("/widget/v1/me/export", headers=handoff.widget)
    conversation = exported.json()["conversations"][0]
    assert conversation["handoff"]["email"] == SHOPPER
    assert {"role": "merchant", "content": "Hello!"} in [
        {"role": m["role"], "content": m["content"]} for m in conversation["messages"]
    ]

    erased = await handoff.client.delete("/widget/v1/me", headers=handoff.widget)
    assert erased.status_code == 204
    conversation_id = uuid.UUID(handoff.conversation_id)
    async with db.tenant_session(handoff.shop.tenant_id) as session:
        left = await session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.id == conversation_id)
        )
        messages = await session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation_id)
        )
    assert left == 0 and messages == 0
