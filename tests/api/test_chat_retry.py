"""A retry after an interrupted answer (engine.question_retry, api/chat/streaming.py): the
server shuts down while the model is answering, the `error` (SSE) or 503 problem (JSON)
carries the stored question's conversation and message ids, and the retry on the restarted
server (a second app on the same database) answers that question in that conversation
without storing it twice. The real answer service and `openai` client against the paced
fake model, which begins the shutdown when the answer's model call reaches it."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from api.app import create_app
from api.dependencies import WIDGET_RUNTIME
from api.shutdown import ShutdownSignal
from core.billing import usage
from core.db.database import Database
from core.ids import new_id
from core.models import Conversation, Message
from core.models.billing import UsageMetric
from emulators.openai import PacedFakeOpenAI
from engine.answer import AnswerService
from tests.api.harness import (
    Shop,
    add_exchange,
    assert_problem,
    bearer,
    client_for,
    make_deps,
    open_session,
    provision_shop,
    sse_events,
    update_bot,
    visitor_of,
)
from tests.dashboard_api.support import HashingEmbedder
from tests.support.index import SeedProduct, seed_store

SSE = {"Accept": "text/event-stream"}
QUESTION = "Do you have a waterproof rain jacket for hiking?"
ANSWER = "The Alpine Rain Jacket keeps you dry on wet trails."
NEVER_FINISHED = "This answer is still being written when the server stops. " * 5
GRACE_S = 0.2


def _sentence_ends(text: str) -> list[int]:
    return [match.end() for match in re.finditer(r"[.!?](?=\s|$)", text)]


@pytest.fixture(scope="module")
def model() -> Iterator[PacedFakeOpenAI]:
    with PacedFakeOpenAI(sentence_ends=_sentence_ends) as server:
        yield server


@pytest.fixture
async def service(db: Database, shop: Shop, model: PacedFakeOpenAI) -> AnswerService:
    return await _answer_service(db, shop, model)


async def _answer_service(db: Database, shop: Shop, model: PacedFakeOpenAI) -> AnswerService:
    model.reset()
    embedder = HashingEmbedder()
    await seed_store(
        db,
        shop.tenant_id,
        embedder,
        [
            SeedProduct(
                "Alpine Rain Jacket",
                "89.00",
                "A waterproof, breathable shell jacket with taped seams for hiking in the rain.",
                ["Jackets"],
                external_id="101",
            )
        ],
    )
    await update_bot(
        db,
        shop,
        llm_settings={"provider": "openai", "model": "gpt-4o-mini", "max_retries": 0},
    )
    return AnswerService(db, embedder, openai_api_key=model.api_key, openai_base_url=model.base_url)


def _stopping_app(db: Database, service: AnswerService, model: PacedFakeOpenAI) -> Any:
    """An app whose server is told to stop as soon as an answer's model call arrives (the
    shopper's message is stored by then); the model takes longer than the grace."""
    app = create_app(make_deps(db, answer_service=service))
    shutdown = ShutdownSignal(grace_s=GRACE_S)
    WIDGET_RUNTIME.get(app).shutdown = shutdown
    loop = asyncio.get_running_loop()

    def stop_the_server(_messages: list[dict[str, Any]]) -> str:
        loop.call_soon_threadsafe(shutdown.begin)  # the fake runs on a thread of its own
        return NEVER_FINISHED

    model.pace(first_token_delay_s=5.0, token_delay_s=0.0)
    model.reply_fn(stop_the_server)
    return app


def _restarted_app(db: Database, service: AnswerService, model: PacedFakeOpenAI) -> Any:
    model.pace(first_token_delay_s=0.0, token_delay_s=0.0)
    model.reply_fn(lambda _messages: ANSWER)
    return create_app(make_deps(db, answer_service=service))


async def _transcript(db: Database, shop: Shop, conversation_id: uuid.UUID) -> list[Any]:
    async with db.tenant_session(shop.tenant_id) as session:
        rows = await session.execute(
            select(Message.id, Message.role, Message.content)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.created_at, Message.role.desc())
        )
        return [tuple(row) for row in rows]


async def _conversations(db: Database, shop: Shop) -> list[Conversation]:
    async with db.tenant_session(shop.tenant_id) as session:
        return list(await session.scalars(select(Conversation)))


async def _messages_counted(db: Database, shop: Shop) -> int:
    async with db.tenant_session(shop.tenant_id) as session:
        used = await usage.used_this_month(session, shop.tenant_id, [UsageMetric.MESSAGES])
    return used[UsageMetric.MESSAGES]


def _times_asked(model: PacedFakeOpenAI) -> int:
    """How often the question is in the last prompt the model was sent."""
    prompt = model.requests_to("/v1/chat/completions")[-1].body["messages"]
    return json.dumps(prompt, ensure_ascii=False).count(QUESTION)


async def test_a_first_message_interrupted_by_a_shutdown_is_retried_in_its_conversation(
    db: Database, shop: Shop, service: AnswerService, model: PacedFakeOpenAI
) -> None:
    async with client_for(_stopping_app(db, service, model)) as client:
        token = (await open_session(client, shop))["session_token"]
        response = await client.post(
            "/widget/v1/chat", json={"message": QUESTION}, headers={**bearer(token), **SSE}
        )
    assert response.status_code == 200, response.text
    name, error = sse_events(response.text)[-1]
    assert name == "error" and error["code"] == "shutting_down" and error["retryable"] is True
    # The conversation this request opened, and the question stored in it, unanswered.
    [conversation] = await _conversations(db, shop)
    assert error["conversation_id"] == str(conversation.id)
    question_id = uuid.UUID(error["message_id"])
    assert await _transcript(db, shop, conversation.id) == [(question_id, "user", QUESTION)]
    assert await _messages_counted(db, shop) == 1

    retry = {
        "message": QUESTION,
        "conversation_id": str(conversation.id),
        "retry_of": str(question_id),
    }
    async with client_for(_restarted_app(db, service, model)) as client:
        response = await client.post(
            "/widget/v1/chat", json=retry, headers={**bearer(token), **SSE}
        )
        assert response.status_code == 200, response.text
        name, done = sse_events(response.text)[-1]
        assert name == "done" and done["conversation_id"] == str(conversation.id), done
        assert _times_asked(model) == 1  # the stored question is not also its own history

        transcript = await _transcript(db, shop, conversation.id)
        assert transcript == [
            (question_id, "user", QUESTION),
            (uuid.UUID(done["message_id"]), "assistant", done["answer"]),
        ]
        assert ANSWER in done["answer"]
        assert [c.id for c in await _conversations(db, shop)] == [conversation.id]
        assert await _messages_counted(db, shop) == 1  # counted when it was stored, once

        again = await client.post("/widget/v1/chat", json=retry, headers=bearer(token))
        assert_problem(again, 409, "retry_conflict")
        assert await _transcript(db, shop, conversation.id) == transcript


async def test_a_json_answer_interrupted_in_an_existing_conversation_is_a_503_with_the_ids(
    db: Database, shop: Shop, service: AnswerService, model: PacedFakeOpenAI
) -> None:
    async with client_for(_stopping_app(db, service, model)) as client:
        token = (await open_session(client, shop))["session_token"]
        conversation_id = (await add_exchange(db, shop, visitor_id=visitor_of(token)))[
            "conversation_id"
        ]
        await _written_a_minute_ago(db, shop, conversation_id)
        asked = {"message": QUESTION, "conversation_id": str(conversation_id)}
        response = await client.post("/widget/v1/chat", json=asked, headers=bearer(token))
    problem = assert_problem(response, 503, "shutting_down")
    assert problem["conversation_id"] == str(conversation_id)
    question_id = uuid.UUID(problem["message_id"])

    async with client_for(_restarted_app(db, service, model)) as client:
        retry = asked | {"retry_of": str(question_id)}
        response = await client.post("/widget/v1/chat", json=retry, headers=bearer(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["conversation_id"] == str(conversation_id)
    roles = [(role, text) for _, role, text in await _transcript(db, shop, conversation_id)]
    assert roles == [
        ("user", "Do you sell rain jackets?"),
        ("assistant", "Yes: the Blue Rain Jacket."),
        ("user", QUESTION),
        ("assistant", body["answer"]),
    ]
    async with db.tenant_session(shop.tenant_id) as session:
        stored = await session.get(Conversation, conversation_id)
        assert stored is not None and stored.message_count == 4


async def _written_a_minute_ago(db: Database, shop: Shop, conversation_id: uuid.UUID) -> None:
    """Every session of the test joins one transaction, so every row gets the same `now()`;
    the earlier turn of a real conversation was written by an earlier transaction."""
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Message)
            .where(Message.conversation_id == conversation_id)
            .values(created_at=func.now() - timedelta(minutes=1))
        )


async def _unanswered(db: Database, shop: Shop, visitor_id: str) -> dict[str, uuid.UUID]:
    """A conversation whose last message is the shopper's question, as an interrupted
    answer leaves it."""
    conversation_id, question_id = new_id(), new_id()
    async with db.tenant_session(shop.tenant_id) as session:
        session.add(
            Conversation(
                id=conversation_id,
                tenant_id=shop.tenant_id,
                bot_id=shop.bot_id,
                visitor_id=visitor_id,
                message_count=1,
            )
        )
        await session.flush()
        session.add(
            Message(
                id=question_id,
                tenant_id=shop.tenant_id,
                conversation_id=conversation_id,
                role="user",
                content=QUESTION,
            )
        )
    return {"conversation_id": conversation_id, "question_id": question_id}


async def test_a_retry_names_an_unanswered_question_of_its_own_conversation(
    db: Database, shop: Shop, service: AnswerService, model: PacedFakeOpenAI
) -> None:
    other_shop = await provision_shop(db, name="Beta Bikes")
    async with client_for(_restarted_app(db, service, model)) as client:
        token = (await open_session(client, shop))["session_token"]
        visitor = visitor_of(token)
        mine = await _unanswered(db, shop, visitor)
        answered = await add_exchange(db, shop, visitor_id=visitor)
        theirs = await _unanswered(db, other_shop, visitor)

        async def retry(retry_of: uuid.UUID, message: str = QUESTION) -> httpx.Response:
            body = {
                "message": message,
                "conversation_id": str(mine["conversation_id"]),
                "retry_of": str(retry_of),
            }
            return await client.post("/widget/v1/chat", json=body, headers=bearer(token))

        # Another tenant's question, another conversation's, an answer: not found here.
        assert_problem(await retry(theirs["question_id"]), 404, "not_found")
        assert_problem(await retry(answered["question_id"]), 404, "not_found")
        assert_problem(await retry(answered["answer_id"]), 404, "not_found")
        # Another question than the stored one would answer what the transcript does not show.
        assert_problem(await retry(mine["question_id"], "Any tents?"), 409, "retry_conflict")
        # Without its conversation a retry cannot be checked against it.
        no_conversation = {"message": QUESTION, "retry_of": str(mine["question_id"])}
        response = await client.post("/widget/v1/chat", json=no_conversation, headers=bearer(token))
        assert_problem(response, 422, "validation_failed")
        assert model.requests_to("/v1/chat/completions") == []  # refused before any answer

        answered_now = await retry(mine["question_id"])
        assert answered_now.status_code == 200, answered_now.text
    roles = [role for _, role, _ in await _transcript(db, shop, mine["conversation_id"])]
    assert roles == ["user", "assistant"]
    assert [
        role for _, role, _ in await _transcript(db, other_shop, theirs["conversation_id"])
    ] == ["user"]


async def test_two_retries_at_once_store_one_answer(
    committed_db: Database, model: PacedFakeOpenAI
) -> None:
    """Both retries find the question unanswered (each turn's first transaction commits
    long before the model's first token), both are answered, and the question keeps one
    stored answer: the first one written. The other stream still ends with `done`, without a
    message id (nothing to rate: it was not stored)."""
    db = committed_db
    shop = await provision_shop(db, name=f"Twice Alpha {uuid.uuid4()}")
    service = await _answer_service(db, shop, model)
    model.pace(first_token_delay_s=1.0, token_delay_s=0.0)
    model.reply_fn(lambda _messages: ANSWER)
    async with client_for(create_app(make_deps(db, answer_service=service))) as client:
        token = (await open_session(client, shop))["session_token"]
        asked = await _unanswered(db, shop, visitor_of(token))
        retry = {
            "message": QUESTION,
            "conversation_id": str(asked["conversation_id"]),
            "retry_of": str(asked["question_id"]),
        }
        responses = await asyncio.gather(
            *(
                client.post("/widget/v1/chat", json=retry, headers={**bearer(token), **SSE})
                for _ in range(2)
            )
        )
    dones = []
    for response in responses:
        assert response.status_code == 200, response.text
        name, done = sse_events(response.text)[-1]
        assert name == "done" and ANSWER in done["answer"], (name, done)
        dones.append(done)
    assert len(model.requests_to("/v1/chat/completions")) == 2  # both were answered
    transcript = await _transcript(db, shop, asked["conversation_id"])
    [(answer_id, role, _)] = [row for row in transcript if row[0] != asked["question_id"]]
    assert role == "assistant"
    assert {d["message_id"] for d in dones} == {None, str(answer_id)}
    async with db.tenant_session(shop.tenant_id) as session:
        stored = await session.get(Message, answer_id)
        conversation = await session.get(Conversation, asked["conversation_id"])
    assert stored is not None and stored.question_id == asked["question_id"]
    assert conversation is not None and conversation.message_count == 2
