"""GET /widget/v1/me/export and DELETE /widget/v1/me: a shopper reads and erases their own
data (conversations, messages, feedback, events with this bot), and only theirs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select

from api.sessions.tokens import SessionTokens
from core.db.database import Database
from core.models import Conversation, Feedback, Message, WidgetEvent
from tests.api.harness import (
    SIGNING_KEY,
    Shop,
    add_exchange,
    assert_problem,
    bearer,
    open_session,
    provision_shop,
    visitor_of,
)


async def _visit(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> tuple[str, dict[str, uuid.UUID]]:
    """A session whose visitor asked a question, rated the answer and clicked a card."""
    token = (await open_session(api, shop))["session_token"]
    exchange = await add_exchange(db, shop, visitor_id=visitor_of(token))
    answer = str(exchange["answer_id"])
    rated = await api.post(
        "/widget/v1/feedback", json={"message_id": answer, "rating": "up"}, headers=bearer(token)
    )
    assert rated.status_code == 200, rated.text
    for body in ({"type": "product_click", "message_id": answer}, {"type": "open"}):
        sent = await api.post("/widget/v1/events", json=body, headers=bearer(token))
        assert sent.status_code == 202, sent.text
    return token, exchange


async def _counts(db: Database, shop: Shop) -> dict[str, int]:
    async with db.tenant_session(shop.tenant_id) as session:
        return {
            model.__tablename__: (await session.scalar(select(func.count()).select_from(model)))
            or 0
            for model in (Conversation, Message, Feedback, WidgetEvent)
        }


async def test_the_export_holds_exactly_this_visitors_data(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token, exchange = await _visit(api, db, shop)
    await _visit(api, db, shop)  # another visitor of the same bot

    response = await api.get("/widget/v1/me/export", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == shop.origin
    body = response.json()
    assert body["visitor_id"] == visitor_of(token)
    [conversation] = body["conversations"]
    assert conversation["id"] == str(exchange["conversation_id"])
    # (add_exchange writes both in one transaction: one created_at, so no order to check.)
    messages = {m["role"]: m for m in conversation["messages"]}
    assert len(conversation["messages"]) == 2
    assert messages["user"]["content"] == "Do you sell rain jackets?"
    assert messages["assistant"]["content"] == "Yes: the Blue Rain Jacket."
    assert messages["user"]["feedback"] is None
    assert messages["assistant"]["feedback"]["rating"] == "up"
    assert sorted((e["type"], e["conversation_id"]) for e in body["events"]) == [
        ("open", None),
        ("product_click", str(exchange["conversation_id"])),
    ]


async def test_a_new_visitor_exports_nothing(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    await _visit(api, db, shop)
    token = (await open_session(api, shop))["session_token"]
    response = await api.get("/widget/v1/me/export", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.json() == {"visitor_id": visitor_of(token), "conversations": [], "events": []}


async def test_erasing_removes_this_visitors_rows_only_and_is_idempotent(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token, _ = await _visit(api, db, shop)
    other_token, other_exchange = await _visit(api, db, shop)
    other_shop = await provision_shop(db, name="Beta Books")
    await _visit(api, db, other_shop)
    before_other_shop = await _counts(db, other_shop)

    for _ in range(2):
        response = await api.delete("/widget/v1/me", headers=bearer(token))
        assert response.status_code == 204, response.text
        assert response.content == b""
        assert response.headers["access-control-allow-origin"] == shop.origin

    # What is left in the shop is the other visitor's, whole.
    assert await _counts(db, shop) == {
        "conversations": 1,
        "messages": 2,
        "feedback": 1,
        "widget_events": 2,
    }
    left = (await api.get("/widget/v1/me/export", headers=bearer(other_token))).json()
    assert [c["id"] for c in left["conversations"]] == [str(other_exchange["conversation_id"])]
    assert len(left["events"]) == 2
    assert await _counts(db, other_shop) == before_other_shop
    mine = (await api.get("/widget/v1/me/export", headers=bearer(token))).json()
    assert mine["conversations"] == [] and mine["events"] == []


async def test_a_forged_or_expired_token_is_refused(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token, _ = await _visit(api, db, shop)
    visitor = visitor_of(token)
    forged, _ = SessionTokens("another-signing-key-" + "x" * 32).issue(
        tenant_id=shop.tenant_id, bot_id=shop.bot_id, origin=shop.origin, visitor_id=visitor
    )
    expired, _ = SessionTokens(SIGNING_KEY).issue(
        tenant_id=shop.tenant_id,
        bot_id=shop.bot_id,
        origin=shop.origin,
        visitor_id=visitor,
        now=datetime.now(UTC) - timedelta(hours=2),
    )
    for bad in (forged, expired, "not-a-token"):
        for method, path in (("GET", "/widget/v1/me/export"), ("DELETE", "/widget/v1/me")):
            response = await api.request(method, path, headers=bearer(bad))
            assert_problem(response, 401, "invalid_session")
    missing = await api.delete("/widget/v1/me", headers={"Origin": shop.origin})
    assert_problem(missing, 401, "invalid_session")
    assert (await _counts(db, shop))["messages"] == 2  # nothing was erased


async def test_another_sites_origin_is_refused(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token, _ = await _visit(api, db, shop)
    response = await api.delete("/widget/v1/me", headers=bearer(token, "https://evil.test"))
    assert response.status_code == 403, response.text
    assert "access-control-allow-origin" not in response.headers
    assert (await _counts(db, shop))["conversations"] == 1
