"""The answer service end to end: real database, real MiniLM, the offline answerer and the
real `openai` client against the fake OpenAI server."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.errors import NotFound
from core.models import Conversation, Message
from core.provisioning import provision_tenant
from emulators.openai import FakeOpenAI, Fault
from engine.answer import AnswerService
from engine.answer_events import DoneEvent, Question, SourcesEvent, TokenEvent
from engine.embeddings import shared_local_embedder
from engine.types import PageContext
from tests.engine.support import question as _question
from tests.engine.support import use_openai as _use_openai
from tests.support.index import set_price


async def _collect(service: AnswerService, question: Question) -> list:
    return [event async for event in service.stream(question)]


async def test_offline_answer_streams_tokens_sources_then_done_and_persists(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    events = await _collect(service, _question(tenant, "do you have anything under $30?"))
    tokens = [e for e in events if isinstance(e, TokenEvent)]
    assert len(tokens) > 3, "the answer streams in pieces"
    assert isinstance(events[-2], SourcesEvent) and isinstance(events[-1], DoneEvent)
    sources = events[-2].sources
    assert sources and all(Decimal(s["price"]) <= 30 for s in sources)
    done = events[-1]
    assert "$" in done.answer or "USD" in done.answer
    async with db.tenant_session(tenant.tenant_id) as session:
        stored = (
            await session.scalars(
                select(Message)
                .where(Message.conversation_id == done.conversation_id)
                .order_by(Message.created_at)
            )
        ).all()
    # The test's one transaction gives both rows the same now(): the question, then the
    # answer, is read from the roles (each turn commits on its own when serving).
    stored = sorted(stored, key=lambda m: (m.created_at, m.role != "user"))
    assert [m.role for m in stored] == ["user", "assistant"]
    assert stored[1].id == done.message_id
    assert stored[1].content == done.answer
    assert stored[1].sources == sources
    assert stored[1].latency_ms is not None


async def test_follow_up_continues_the_conversation(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    first = await service.answer(_question(tenant, "I need a rain jacket"))
    second = await service.answer(
        _question(tenant, "is it waterproof?", conversation_id=first.conversation_id)
    )
    assert second.conversation_id == first.conversation_id
    assert second.sources[0]["title"] == "Alpine Rain Jacket"
    async with db.tenant_session(tenant.tenant_id) as session:
        conversation = await session.get(Conversation, first.conversation_id)
        assert conversation.message_count == 4


async def test_page_context_answers_about_that_product(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    result = await service.answer(
        _question(
            tenant, "what is the outsole like?", page=PageContext(url=None, product_id="1001")
        )
    )
    assert result.sources[0]["external_id"] == "1001"
    assert "outsole" in result.answer.lower()


async def test_out_of_scope_question_gets_a_polite_redirect(db, shop) -> None:
    tenant, _ = shop
    service = AnswerService(db, shared_local_embedder())
    result = await service.answer(_question(tenant, "write me a python script that sorts a list"))
    assert "Peak Outfitters" in result.answer
    assert result.sources == []


async def test_unknown_or_foreign_conversation_is_not_found(db, shop) -> None:
    tenant, _ = shop
    other = await provision_tenant(db, name="Other Shop", allowed_origins=[])
    service = AnswerService(db, shared_local_embedder())
    theirs = await service.answer(_question(other, "hello, do you sell tents?"))
    with pytest.raises(NotFound):
        await service.answer(
            _question(tenant, "and in blue?", conversation_id=theirs.conversation_id)
        )
    with pytest.raises(NotFound):
        await service.answer(_question(tenant, "and in blue?", conversation_id=uuid.uuid4()))


async def test_a_wrong_price_from_the_model_is_corrected_before_it_is_streamed(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, ids = shop
    await _use_openai(db, tenant)
    await set_price(db, tenant.tenant_id, ids["Cast Iron Skillet"], "31.00")
    fake_openai.reply_with(
        "The Cast Iron Skillet costs $12.00 and it is a great pan for campfire cooking."
    )
    service = AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
    )
    events = await _collect(service, _question(tenant, "how much is the cast iron skillet?"))
    streamed = "".join(e.delta for e in events if isinstance(e, TokenEvent))
    done = events[-1]
    assert (
        "$31.00" in done.answer and "$12.00" not in done.answer
    )  # what the model said is not kept...
    assert streamed == done.answer  # ...nor ever shown: the stream is the checked answer
    prompt = fake_openai.requests_to("/v1/chat/completions")[-1].messages
    assert "31.00" in prompt[-1]["content"], "the live price is in the prompt"
    async with db.tenant_session(tenant.tenant_id) as session:
        stored = await session.get(Message, done.message_id)
    assert stored.content == done.answer
    assert stored.prompt_tokens and stored.completion_tokens


async def test_provider_failure_falls_back_to_a_grounded_answer(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, _ = shop
    await _use_openai(db, tenant)
    fake_openai.inject(
        Fault("status", status=500), Fault("status", status=500), Fault("status", status=500)
    )
    service = AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
    )
    result = await service.answer(_question(tenant, "do you have a headlamp?"))
    assert "Camping Headlamp" in result.answer
    assert result.sources[0]["title"] == "Camping Headlamp"
