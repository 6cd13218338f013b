"""/v1/privacy/visitors/{visitor_id}: a merchant exports or erases one shopper's data across
every bot of the business; the erasure is audit-logged without anything the shopper wrote,
another business's visitor is a 404, and erasing needs an admin or the owner."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from core.db.database import Database
from core.ids import TenantId, new_widget_key
from core.models import Bot, Conversation, Feedback, Message, WidgetEvent
from tests.dashboard_api.harness import Merchant, add_member, register

SECRET_QUESTION = "My email is jane@example.com, where is order 1234?"


async def _seed_visitor(
    db: Database, tenant_id: TenantId, bot_id: uuid.UUID, visitor_id: str
) -> uuid.UUID:
    """A conversation of `visitor_id` (question, rated answer) and a click on it."""
    # Explicit times: a rolled-back test is one transaction, so now() is the same throughout.
    asked = datetime.now(UTC) - timedelta(seconds=5)
    async with db.tenant_session(tenant_id) as session:
        conversation = Conversation(
            tenant_id=tenant_id, bot_id=bot_id, visitor_id=visitor_id, message_count=2
        )
        session.add(conversation)
        await session.flush()
        question = Message(
            tenant_id=tenant_id,
            conversation_id=conversation.id,
            role="user",
            content=SECRET_QUESTION,
            created_at=asked,
        )
        answer = Message(
            tenant_id=tenant_id,
            conversation_id=conversation.id,
            role="assistant",
            content="It ships tomorrow.",
            created_at=asked + timedelta(seconds=1),
        )
        session.add_all([question, answer])
        await session.flush()
        session.add_all(
            [
                Feedback(tenant_id=tenant_id, message_id=answer.id, rating="up"),
                WidgetEvent(
                    tenant_id=tenant_id,
                    bot_id=bot_id,
                    conversation_id=conversation.id,
                    message_id=answer.id,
                    type="product_click",
                    payload={"visitor_id": visitor_id},
                ),
                WidgetEvent(
                    tenant_id=tenant_id,
                    bot_id=bot_id,
                    type="open",
                    payload={"visitor_id": visitor_id},
                ),
            ]
        )
        return conversation.id


async def _second_bot(db: Database, merchant: Merchant) -> uuid.UUID:
    async with db.tenant_session(merchant.tenant_id) as session:
        bot = Bot(tenant_id=merchant.tenant_id, name="Second", widget_key=new_widget_key())
        session.add(bot)
        await session.flush()
        return bot.id


async def _counts(db: Database, tenant_id: TenantId) -> dict[str, int]:
    async with db.tenant_session(tenant_id) as session:
        return {
            model.__tablename__: (await session.scalar(select(func.count()).select_from(model)))
            or 0
            for model in (Conversation, Message, Feedback, WidgetEvent)
        }


@pytest.fixture
async def shopper(db: Database, merchant: Merchant) -> dict[str, uuid.UUID]:
    """Visitor `v_jane` with both bots of the business, and `v_other` with the first."""
    second_bot = await _second_bot(db, merchant)
    return {
        "first": await _seed_visitor(db, merchant.tenant_id, merchant.bot_id, "v_jane"),
        "second": await _seed_visitor(db, merchant.tenant_id, second_bot, "v_jane"),
        "other": await _seed_visitor(db, merchant.tenant_id, merchant.bot_id, "v_other"),
    }


async def test_export_holds_the_visitors_data_with_every_bot(
    client: httpx.AsyncClient, merchant: Merchant, shopper: dict[str, uuid.UUID]
) -> None:
    response = await client.get("/v1/privacy/visitors/v_jane/export", headers=merchant.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment;")
    body = response.json()
    assert body["visitor_id"] == "v_jane"
    assert sorted(c["id"] for c in body["conversations"]) == sorted(
        str(shopper[name]) for name in ("first", "second")
    )
    for conversation in body["conversations"]:
        assert [m["content"] for m in conversation["messages"]] == [
            SECRET_QUESTION,
            "It ships tomorrow.",
        ]
        assert conversation["messages"][1]["feedback"]["rating"] == "up"
    assert len(body["events"]) == 4
    assert str(shopper["other"]) not in response.text
    # DESIGN's path for the same download.
    design = await client.get("/v1/privacy/visitors/v_jane", headers=merchant.headers)
    assert design.status_code == 200 and design.json() == body


async def test_delete_erases_the_visitor_and_audits_it_without_their_words(
    client: httpx.AsyncClient,
    db: Database,
    merchant: Merchant,
    shopper: dict[str, uuid.UUID],
) -> None:
    response = await client.delete("/v1/privacy/visitors/v_jane", headers=merchant.headers)
    assert response.status_code == 204, response.text

    # Only v_other's conversation is left, whole.
    assert await _counts(db, merchant.tenant_id) == {
        "conversations": 1,
        "messages": 2,
        "feedback": 1,
        "widget_events": 2,
    }
    assert (
        await client.get("/v1/privacy/visitors/v_other/export", headers=merchant.headers)
    ).status_code == 200
    gone = await client.get("/v1/privacy/visitors/v_jane/export", headers=merchant.headers)
    assert gone.status_code == 404, gone.text

    # A second erasure finds nothing: 404, and no second entry.
    again = await client.delete("/v1/privacy/visitors/v_jane", headers=merchant.headers)
    assert again.status_code == 404, again.text
    log = await client.get(
        "/v1/audit-log",
        headers=merchant.headers,
        params={"action": "privacy.visitor_erased"},
    )
    [entry] = log.json()["items"]
    assert entry["target_type"] == "visitor" and entry["target_id"] == "v_jane"
    assert entry["actor_user_id"] == str(merchant.user_id)
    assert entry["details"] == {"conversations": 2, "messages": 4, "feedback": 2, "events": 4}
    assert "jane@example.com" not in json.dumps(log.json())
    assert "ships tomorrow" not in json.dumps(log.json())


async def test_another_business_gets_a_404_and_changes_nothing(
    client: httpx.AsyncClient,
    db: Database,
    merchant: Merchant,
    shopper: dict[str, uuid.UUID],
) -> None:
    other = await register(client, "Other Business")
    before = await _counts(db, merchant.tenant_id)
    for method, path in (
        ("GET", "/v1/privacy/visitors/v_jane/export"),
        ("DELETE", "/v1/privacy/visitors/v_jane"),
    ):
        response = await client.request(method, path, headers=other.headers)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert await _counts(db, merchant.tenant_id) == before


async def test_a_viewer_may_export_but_not_delete(
    app: FastAPI,
    client: httpx.AsyncClient,
    db: Database,
    merchant: Merchant,
    shopper: dict[str, uuid.UUID],
) -> None:
    viewer = await add_member(app, db, merchant.tenant_id, "viewer")
    exported = await client.get("/v1/privacy/visitors/v_jane/export", headers=viewer)
    assert exported.status_code == 200, exported.text
    refused = await client.delete("/v1/privacy/visitors/v_jane", headers=viewer)
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "insufficient_role"
    assert (await _counts(db, merchant.tenant_id))["conversations"] == 3
    admin = await add_member(app, db, merchant.tenant_id, "admin")
    assert (await client.delete("/v1/privacy/visitors/v_jane", headers=admin)).status_code == 204
