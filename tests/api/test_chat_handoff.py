"""The answer offers a person from the store when the shopper asks for one, or when the bot
has failed them twice in a row, through `POST /widget/v1/chat` with the real answer service
(offline answerer): JSON and SSE carry `"handoff": {"offered": true}`, and the text says how
to reach the store; an ordinary answer carries no flag (the body clients knew)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import update

from api.app import create_app
from core.db.database import Database
from core.models import Tenant
from engine.answer import AnswerService
from evals.answers.metrics.behaviour import is_handoff
from tests.api.harness import (
    Shop,
    bearer,
    client_for,
    make_deps,
    open_session,
    sse_events,
)

SUPPORT = "help@alpha-outdoors.test"


@pytest.fixture
async def answering(db: Database, shop: Shop) -> AsyncIterator[httpx.AsyncClient]:
    """An empty catalogue (every product question goes unanswered) and a support email."""
    from engine.embeddings import shared_local_embedder

    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == shop.tenant_id).values(support_email=SUPPORT)
        )
    service = AnswerService(db, shared_local_embedder())
    async with client_for(create_app(make_deps(db, answer_service=service))) as client:
        yield client


async def _ask(client: httpx.AsyncClient, token: str, message: str, conversation_id=None) -> dict:
    response = await client.post(
        "/widget/v1/chat",
        json={"message": message, "conversation_id": conversation_id},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("message", "offer"),
    [
        ("Can I talk to a real person please?", "a person from the store can reply"),
        ("¿Puedo hablar con una persona?", "una persona de la tienda puede responderte"),
        ("Je voudrais parler à un conseiller", "une personne de la boutique peut vous répondre"),
        (
            "Kann ich mit einem Mitarbeiter sprechen?",
            "eine Person aus dem Shop kann Ihnen antworten",
        ),
        ("Posso parlare con un operatore?", "una persona del negozio può risponderti"),
        ("Quero falar com um atendente", "uma pessoa da loja pode responder"),
    ],
)
async def test_asking_for_a_person_offers_a_handoff(
    answering: httpx.AsyncClient, shop: Shop, message: str, offer: str
) -> None:
    token = (await open_session(answering, shop))["session_token"]
    body = await _ask(answering, token, message)
    assert body["handoff"] == {"offered": True}
    assert offer in body["answer"]  # in the shopper's language
    assert SUPPORT in body["answer"] and is_handoff(body["answer"], SUPPORT)
    assert body["sources"] == []


async def test_the_sse_done_event_carries_the_offer(
    answering: httpx.AsyncClient, shop: Shop
) -> None:
    token = (await open_session(answering, shop))["session_token"]
    response = await answering.post(
        "/widget/v1/chat",
        json={"message": "I need customer service"},
        headers=bearer(token) | {"Accept": "text/event-stream"},
    )
    events = sse_events(response.text)
    done = next(data for name, data in events if name == "done")
    shown = "".join(data["delta"] for name, data in events if name == "token")
    assert done["handoff"] == {"offered": True}
    assert shown == done["answer"]


async def test_a_second_unanswered_reply_in_a_row_offers_a_handoff(
    answering: httpx.AsyncClient, shop: Shop
) -> None:
    token = (await open_session(answering, shop))["session_token"]
    first = await _ask(answering, token, "Do you sell inflatable kayaks?")
    assert "handoff" not in first  # one miss: no offer yet, and the body clients knew
    assert set(first) == {"conversation_id", "message_id", "answer", "sources"}
    second = await _ask(answering, token, "What about canoe paddles?", first["conversation_id"])
    assert second["handoff"] == {"offered": True}
    assert second["answer"].startswith(first["answer"].split("\n")[0][:20])
    assert SUPPORT in second["answer"]

    # Another conversation starts with a clean slate.
    fresh = await _ask(answering, token, "Do you sell inflatable kayaks?")
    assert "handoff" not in fresh


async def test_misses_in_different_conversations_are_not_in_a_row(
    answering: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token = (await open_session(answering, shop))["session_token"]
    first = await _ask(answering, token, "Do you sell inflatable kayaks?")
    # The same questions in a new conversation each time: no history, no "in a row".
    second = await _ask(answering, token, "What about canoe paddles?")
    assert first["conversation_id"] != second["conversation_id"]
    assert "handoff" not in second


async def test_two_policy_answers_in_a_row_are_not_failures(
    answering: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    """A quoted policy cites no source (engine.analytics.answered counts it unanswered), but
    the bot answered: no person is offered after two of them. (A store with a product: with
    an empty catalogue every reply is `no_answer`, the policy quoted or not.)"""
    from engine.embeddings import shared_local_embedder
    from tests.support.index import SeedProduct, seed_store

    await seed_store(
        db,
        shop.tenant_id,
        shared_local_embedder(),
        [SeedProduct("Alpine Rain Jacket", "89.00", "A waterproof shell.", ["Jackets"])],
    )
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Tenant)
            .where(Tenant.id == shop.tenant_id)
            .values(
                shipping_policy="Free shipping on every order.",
                returns_policy="Returns within 30 days.",
            )
        )
    token = (await open_session(answering, shop))["session_token"]
    first = await _ask(answering, token, "What is your shipping policy?")
    assert "Free shipping on every order." in first["answer"]
    second = await _ask(answering, token, "And what about returns?", first["conversation_id"])
    assert "Returns within 30 days." in second["answer"]
    assert "handoff" not in second
