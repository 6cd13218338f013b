"""SQL for shopper feedback, and the lookup of the visitor's own assistant message it hangs on."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import BotId, TenantId, new_id
from core.models import Conversation, Feedback, Message


@dataclass(frozen=True, slots=True)
class BotMessage:
    message_id: uuid.UUID
    conversation_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    message_id: uuid.UUID
    rating: str
    comment: str | None
    created_at: datetime


async def find_visitors_answer(
    session: AsyncSession,
    tenant_id: TenantId,
    bot_id: BotId,
    visitor_id: str,
    message_id: uuid.UUID,
) -> BotMessage | None:
    """An assistant message of one of this visitor's own conversations with this bot;
    anything else (a question, another visitor's or another bot's answer, no such id): None."""
    statement = (
        select(Message.id, Message.conversation_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.id == message_id,
            Message.tenant_id == tenant_id,
            Message.role == "assistant",
            Conversation.tenant_id == tenant_id,
            Conversation.bot_id == bot_id,
            Conversation.visitor_id == visitor_id,
        )
    )
    row = (await session.execute(statement)).first()
    return BotMessage(message_id=row.id, conversation_id=row.conversation_id) if row else None


async def upsert_feedback(
    session: AsyncSession,
    tenant_id: TenantId,
    message_id: uuid.UUID,
    rating: str,
    comment: str | None,
) -> FeedbackRow:
    """One feedback per message: a second submission replaces the first."""
    statement = (
        insert(Feedback)
        .values(
            id=new_id(), tenant_id=tenant_id, message_id=message_id, rating=rating, comment=comment
        )
        .on_conflict_do_update(
            index_elements=[Feedback.tenant_id, Feedback.message_id],
            set_={"rating": rating, "comment": comment},
            where=Feedback.tenant_id == tenant_id,
        )
        .returning(Feedback.message_id, Feedback.rating, Feedback.comment, Feedback.created_at)
    )
    row = (await session.execute(statement)).one()
    return FeedbackRow(
        message_id=row.message_id, rating=row.rating, comment=row.comment, created_at=row.created_at
    )
