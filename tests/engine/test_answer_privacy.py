"""Minimisation in the answer path: the model reads the shopper's own words for this turn,
storage (and so the history of later turns) holds them masked; a bot that keeps contact
details still never keeps a card number. Real database, MiniLM and the fake OpenAI server."""

from __future__ import annotations

from sqlalchemy import select, update

from core.models import Bot, Message
from emulators.openai import FakeOpenAI
from engine.answer import AnswerService
from engine.answer_events import DoneEvent
from engine.embeddings import shared_local_embedder
from tests.engine.support import question as _question
from tests.engine.support import use_openai as _use_openai

EMAIL, PHONE, CARD = "jane.doe@example.com", "+49 151 23456789", "4111 1111 1111 1111"
ASKED = f"Is the Alpine Rain Jacket waterproof? Mail me at {EMAIL} or call {PHONE}."


def _service(db, fake_openai: FakeOpenAI) -> AnswerService:
    return AnswerService(
        db,
        shared_local_embedder(),
        openai_api_key=fake_openai.api_key,
        openai_base_url=fake_openai.base_url,
    )


async def _ask(service: AnswerService, tenant, message: str, **kw) -> DoneEvent:
    events = [event async for event in service.stream(_question(tenant, message, **kw))]
    done = events[-1]
    assert isinstance(done, DoneEvent)
    return done


async def _stored(db, tenant, conversation_id) -> list[tuple[str, str]]:
    async with db.tenant_session(tenant.tenant_id) as session:
        rows = await session.execute(
            select(Message.role, Message.content)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.created_at, Message.role.desc())
        )
        return [(role, content) for role, content in rows]


async def test_the_model_reads_the_original_storage_and_history_hold_it_masked(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, _ = shop
    await _use_openai(db, tenant)
    fake_openai.reply_with(
        f"Yes, the Alpine Rain Jacket is waterproof. We will write to {EMAIL} shortly.",
        "It has taped seams.",
    )
    service = _service(db, fake_openai)

    done = await _ask(service, tenant, ASKED)

    first_prompt = fake_openai.requests_to("/v1/chat/completions")[-1].messages
    assert EMAIL in first_prompt[-1]["content"] and PHONE in first_prompt[-1]["content"]
    assert EMAIL in done.answer  # what the shopper is shown is not changed
    stored = await _stored(db, tenant, done.conversation_id)
    assert stored[0] == (
        "user",
        "Is the Alpine Rain Jacket waterproof? Mail me at [email] or call [phone].",
    )
    assert stored[1][0] == "assistant" and "[email]" in stored[1][1]
    assert EMAIL not in stored[1][1]

    await _ask(service, tenant, "What about its seams?", conversation_id=done.conversation_id)
    follow_up_prompt = str(fake_openai.requests_to("/v1/chat/completions")[-1].messages)
    assert "[email]" in follow_up_prompt
    assert EMAIL not in follow_up_prompt and PHONE not in follow_up_prompt


async def test_kept_contact_details_stay_but_cards_never_do(
    db, shop, fake_openai: FakeOpenAI
) -> None:
    tenant, _ = shop
    await _use_openai(db, tenant)
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot).where(Bot.id == tenant.bot_id).values(mask_contact_details=False)
        )
    fake_openai.reply_with("Please never send card numbers here; we will email you.")

    done = await _ask(_service(db, fake_openai), tenant, f"{ASKED} My card is {CARD}.")

    stored = await _stored(db, tenant, done.conversation_id)
    assert stored[0][1] == f"{ASKED} My card is [card]."
    assert CARD not in str(stored)
