"""A shopper's message stored by `engine.conversation.record_question`: a question that
opens a conversation is written with its conversation in one statement, and ends as the
two-statement path ended (the conversation counting it, the analytics triggers counting
both); a question in that conversation then reads it back as history."""

from __future__ import annotations

from sqlalchemy import func, select

from core.db.database import Database
from core.models import AnalyticsQuarterHour, Conversation, Message
from engine.answer_events import Question
from engine.conversation import StoragePolicy, record_question
from engine.types import PageContext
from tests.api.harness import provision_shop


async def test_a_new_conversation_and_its_first_question(db: Database) -> None:
    shop = await provision_shop(db)
    policy = StoragePolicy(mask_contact_details=True)
    opening = Question(
        tenant_id=shop.tenant_id,
        bot_id=shop.bot_id,
        message="Do you ship to Oslo? Mail me at kari@example.no",
        page=PageContext(url="https://shop.example/tents"),
        visitor_id="visitor-1",
    )
    async with db.tenant_session(shop.tenant_id) as session:
        conversation_id, message_id, history = await record_question(
            session, opening, bot_id=shop.bot_id, policy=policy, message=opening.message
        )
        assert conversation_id is not None and message_id is not None and history == []
        conversation = await session.get(Conversation, conversation_id)
        assert conversation is not None
        assert (conversation.bot_id, conversation.visitor_id, conversation.page_url) == (
            shop.bot_id,
            "visitor-1",
            "https://shop.example/tents",
        )
        stored = await session.get(Message, message_id)
        assert stored is not None and stored.conversation_id == conversation_id
        assert stored.role == "user" and "kari@example.no" not in stored.content  # masked
        assert conversation.message_count == 1
        assert conversation.last_message_at == stored.created_at
        # The message's trigger found its conversation, inserted by the same statement.
        counted = (
            await session.execute(
                select(
                    func.sum(AnalyticsQuarterHour.conversations),
                    func.sum(AnalyticsQuarterHour.messages),
                ).where(AnalyticsQuarterHour.bot_id == shop.bot_id)
            )
        ).one()
        assert tuple(counted) == (1, 1)

        follow_up = Question(
            tenant_id=shop.tenant_id,
            bot_id=shop.bot_id,
            message="And to Bergen?",
            conversation_id=conversation_id,
            visitor_id="visitor-1",
        )
        same, second_id, history = await record_question(
            session, follow_up, bot_id=shop.bot_id, policy=policy, message=follow_up.message
        )
        assert same == conversation_id and second_id not in (None, message_id)
        assert [turn.content for turn in history] == [stored.content]
        await session.refresh(conversation)
        assert conversation.message_count == 2


async def test_without_the_consent_the_bot_asks_for_nothing_is_stored(db: Database) -> None:
    shop = await provision_shop(db)
    question = Question(tenant_id=shop.tenant_id, bot_id=shop.bot_id, message="Hi", consent=False)
    async with db.tenant_session(shop.tenant_id) as session:
        stored = await record_question(
            session,
            question,
            bot_id=shop.bot_id,
            policy=StoragePolicy(consent_required=True),
            message=question.message,
        )
        assert stored == (None, None, [])
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 0
