"""POST /widget/v1/feedback: only answers in the session visitor's own conversations with
this bot, in this tenant, can be rated."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from core.db.database import Database
from core.ids import new_id, new_widget_key
from core.models import Bot, Feedback
from tests.api.harness import (
    Shop,
    add_exchange,
    assert_problem,
    bearer,
    open_session,
    provision_shop,
    visitor_of,
)


async def _ratings(db: Database, shop: Shop) -> list[tuple[uuid.UUID, str, str | None]]:
    async with db.tenant_session(shop.tenant_id) as session:
        rows = await session.execute(select(Feedback.message_id, Feedback.rating, Feedback.comment))
        return [(message_id, rating, comment) for message_id, rating, comment in rows]


async def _session_with_exchange(
    api: httpx.AsyncClient, db: Database, shop: Shop, bot_id: uuid.UUID | None = None
) -> tuple[str, dict[str, uuid.UUID]]:
    """A widget session, and a question and answer in a conversation of its visitor."""
    token = (await open_session(api, shop))["session_token"]
    return token, await add_exchange(db, shop, bot_id=bot_id, visitor_id=visitor_of(token))


async def test_rating_an_answer_and_changing_it(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token, exchange = await _session_with_exchange(api, db, shop)
    answer_id = str(exchange["answer_id"])

    first = await api.post(
        "/widget/v1/feedback", json={"message_id": answer_id, "rating": "up"}, headers=bearer(token)
    )
    assert first.status_code == 200, first.text
    assert first.json()["rating"] == "up" and first.json()["comment"] is None
    assert first.headers["access-control-allow-origin"] == shop.origin

    second = await api.post(
        "/widget/v1/feedback",
        json={"message_id": answer_id, "rating": "down", "comment": "  Wrong size chart  "},
        headers=bearer(token),
    )
    assert second.status_code == 200, second.text
    assert second.json()["message_id"] == answer_id
    assert await _ratings(db, shop) == [(exchange["answer_id"], "down", "Wrong size chart")]


async def test_another_tenants_answer_is_404(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    _, exchange = await _session_with_exchange(api, db, shop)
    other = await provision_shop(db, name="Beta Books")
    other_token = (await open_session(api, other))["session_token"]
    response = await api.post(
        "/widget/v1/feedback",
        json={"message_id": str(exchange["answer_id"]), "rating": "down"},
        headers=bearer(other_token, other.origin),
    )
    assert_problem(response, 404, "not_found")
    assert await _ratings(db, shop) == []


async def test_another_bots_answer_is_404(api: httpx.AsyncClient, db: Database, shop: Shop) -> None:
    second_bot_id = new_id()
    async with db.tenant_session(shop.tenant_id) as session:
        session.add(
            Bot(
                id=second_bot_id,
                tenant_id=shop.tenant_id,
                name="Second",
                widget_key=new_widget_key(),
                allowed_origins=[shop.origin],
            )
        )
    # The same visitor, but the answer belongs to the tenant's other bot.
    token, exchange = await _session_with_exchange(api, db, shop, bot_id=second_bot_id)
    response = await api.post(
        "/widget/v1/feedback",
        json={"message_id": str(exchange["answer_id"]), "rating": "up"},
        headers=bearer(token),
    )
    assert_problem(response, 404, "not_found")


async def test_questions_and_unknown_ids_are_404(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    token, exchange = await _session_with_exchange(api, db, shop)
    for message_id in (exchange["question_id"], uuid.uuid4()):
        response = await api.post(
            "/widget/v1/feedback",
            json={"message_id": str(message_id), "rating": "up"},
            headers=bearer(token),
        )
        assert_problem(response, 404, "not_found")


async def test_another_visitors_answer_of_the_same_bot_is_404_like_a_missing_one(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    owner_token, exchange = await _session_with_exchange(api, db, shop)
    stranger_token = (await open_session(api, shop))["session_token"]
    assert visitor_of(stranger_token) != visitor_of(owner_token)

    foreign = await api.post(
        "/widget/v1/feedback",
        json={"message_id": str(exchange["answer_id"]), "rating": "down"},
        headers=bearer(stranger_token),
    )
    missing = await api.post(
        "/widget/v1/feedback",
        json={"message_id": str(uuid.uuid4()), "rating": "down"},
        headers=bearer(stranger_token),
    )
    assert_problem(foreign, 404, "not_found")
    assert_problem(missing, 404, "not_found")
    assert foreign.json() == missing.json()
    assert await _ratings(db, shop) == []

    # The answer's own visitor still rates it.
    own = await api.post(
        "/widget/v1/feedback",
        json={"message_id": str(exchange["answer_id"]), "rating": "up"},
        headers=bearer(owner_token),
    )
    assert own.status_code == 200, own.text
    assert await _ratings(db, shop) == [(exchange["answer_id"], "up", None)]


async def test_feedback_is_validated(api: httpx.AsyncClient, shop: Shop) -> None:
    token = (await open_session(api, shop))["session_token"]
    for body, field in (
        ({"message_id": "not-a-uuid", "rating": "up"}, "message_id"),
        ({"message_id": str(uuid.uuid4()), "rating": "meh"}, "rating"),
        ({"message_id": str(uuid.uuid4()), "rating": "up", "comment": "x" * 2001}, "comment"),
    ):
        response = await api.post("/widget/v1/feedback", json=body, headers=bearer(token))
        problem = assert_problem(response, 422, "validation_failed")
        assert [e["field"] for e in problem["errors"]] == [field]
