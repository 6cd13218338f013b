"""Consent before storage through the real widget API (sessions and chat, JSON and SSE) and
the real answer service: without the consent a bot asks for, the answer is given and
nothing is kept, while the message still counts against the plan; with it, the turn is
stored as always, masked."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from core.billing.usage import month_start
from core.db.database import Database
from core.models import Conversation, Feedback, Message, WidgetEvent
from core.models.billing import UsageCounter, UsageMetric
from core.privacy.consent import DEFAULT_CONSENT_TEXT
from engine.answer import AnswerService
from tests.api.harness import (
    Shop,
    bearer,
    client_for,
    make_deps,
    open_session,
    sse_events,
    update_bot,
)

QUESTION = "Do you have a rain jacket? Reach me at jane@example.com"


@pytest.fixture
async def answering(db: Database, shop: Shop) -> AsyncIterator[httpx.AsyncClient]:
    from engine.embeddings import shared_local_embedder
    from tests.support.index import SeedProduct, seed_store

    embedder = shared_local_embedder()
    await seed_store(
        db,
        shop.tenant_id,
        embedder,
        [
            SeedProduct(
                "Alpine Rain Jacket",
                "89.00",
                "A waterproof shell jacket with taped seams for hiking in the rain.",
                ["Jackets"],
                external_id="101",
            )
        ],
    )
    service = AnswerService(db, embedder)
    async with client_for(create_app(make_deps(db, answer_service=service))) as client:
        yield client


async def _stored(db: Database, shop: Shop) -> dict[str, int]:
    async with db.tenant_session(shop.tenant_id) as session:
        counts = {
            model.__tablename__: (await session.scalar(select(func.count()).select_from(model)))
            or 0
            for model in (Conversation, Message, Feedback, WidgetEvent)
        }
        counts["messages_counted"] = (
            await session.scalar(
                select(UsageCounter.value).where(
                    UsageCounter.period_start == month_start(),
                    UsageCounter.metric == UsageMetric.MESSAGES.value,
                )
            )
            or 0
        )
    return counts


async def test_the_session_tells_the_widget_to_ask_and_with_what_text(
    answering: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    await update_bot(db, shop, consent_required=True)
    assert (await open_session(answering, shop))["bot"]["consent_text"] == DEFAULT_CONSENT_TEXT
    await update_bot(db, shop, consent_text="Keep this chat so we can help you later?")
    bot = (await open_session(answering, shop))["bot"]
    assert bot["consent_required"] is True
    assert bot["consent_text"] == "Keep this chat so we can help you later?"


@pytest.mark.parametrize("consent", [None, False])
async def test_without_consent_the_answer_is_given_and_nothing_is_kept(
    answering: httpx.AsyncClient, db: Database, shop: Shop, consent: bool | None
) -> None:
    await update_bot(db, shop, consent_required=True)
    token = (await open_session(answering, shop))["session_token"]
    before = await _stored(db, shop)
    body = {"message": QUESTION} if consent is None else {"message": QUESTION, "consent": consent}

    answered = await answering.post("/widget/v1/chat", json=body, headers=bearer(token))
    streamed = await answering.post(
        "/widget/v1/chat", json=body, headers={**bearer(token), "Accept": "text/event-stream"}
    )

    assert answered.status_code == 200, answered.text
    reply = answered.json()
    assert reply["conversation_id"] is None and reply["message_id"] is None
    assert reply["answer"].strip() and any(
        s["title"] == "Alpine Rain Jacket" for s in reply["sources"]
    )
    done = sse_events(streamed.text)[-1]
    assert done[0] == "done" and done[1]["answer"].strip()
    assert done[1]["conversation_id"] is None and done[1]["message_id"] is None
    after = await _stored(db, shop)
    assert {k: after[k] for k in ("conversations", "messages", "feedback", "widget_events")} == {
        k: before[k] for k in ("conversations", "messages", "feedback", "widget_events")
    }
    # Billing stays honest: both answered messages count against the month's quota.
    assert after["messages_counted"] == before["messages_counted"] + 2


async def test_with_consent_the_turn_is_stored_masked(
    answering: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    await update_bot(db, shop, consent_required=True)
    token = (await open_session(answering, shop))["session_token"]

    answered = await answering.post(
        "/widget/v1/chat", json={"message": QUESTION, "consent": True}, headers=bearer(token)
    )

    assert answered.status_code == 200, answered.text
    reply = answered.json()
    assert reply["conversation_id"] and reply["message_id"]
    async with db.tenant_session(shop.tenant_id) as session:
        contents = set(
            (
                await session.scalars(
                    select(Message.content).where(
                        Message.conversation_id == reply["conversation_id"], Message.role == "user"
                    )
                )
            ).all()
        )
    assert contents == {"Do you have a rain jacket? Reach me at [email]"}
    rated = await answering.post(
        "/widget/v1/feedback",
        json={"message_id": reply["message_id"], "rating": "up"},
        headers=bearer(token),
    )
    assert rated.status_code == 200, rated.text


async def test_a_bot_that_does_not_ask_stores_whatever_consent_says(
    answering: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token = (await open_session(answering, shop))["session_token"]
    answered = await answering.post(
        "/widget/v1/chat", json={"message": QUESTION, "consent": False}, headers=bearer(token)
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["conversation_id"] is not None


async def test_consent_must_be_a_boolean(answering: httpx.AsyncClient, shop: Shop) -> None:
    token = (await open_session(answering, shop))["session_token"]
    response = await answering.post(
        "/widget/v1/chat", json={"message": "hi", "consent": "maybe"}, headers=bearer(token)
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
