"""SQL for a shopper's hand-off: their own conversation, its flag, the replies to fetch."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import BotId, TenantId
from core.models import Conversation, Message
from core.models.conversation import MessageRole

REPLIES_PER_POLL = 50


async def visitors_conversation(
    session: AsyncSession,
    tenant_id: TenantId,
    bot_id: BotId,
    visitor_id: str,
    conversation_id: uuid.UUID,
    *,
    lock: bool = False,
) -> Conversation | None:
    """One of this visitor's own conversations with this bot; anything else: None."""
    statement = select(Conversation).where(
        Conversation.tenant_id == tenant_id,
        Conversation.id == conversation_id,
        Conversation.bot_id == bot_id,
        Conversation.visitor_id == visitor_id,
    )
    if lock:
        statement = statement.with_for_update(key_share=True)
    return await session.scalar(statement)


async def flag_requested(
    session: AsyncSession,
    conversation: Conversation,
    *,
    email_ciphertext: bytes,
    note: str | None,
) -> datetime | None:
    row = await session.execute(
        update(Conversation)
        .where(Conversation.tenant_id == conversation.tenant_id, Conversation.id == conversation.id)
        .values(
            handoff_state="open",
            handoff_requested_at=func.now(),
            handoff_closed_at=None,
            handoff_email_ciphertext=email_ciphertext,
            handoff_note=note,
        )
        .returning(Conversation.handoff_requested_at)
    )
    return row.scalar_one()


async def replies_after(
    session: AsyncSession,
    tenant_id: TenantId,
    conversation_id: uuid.UUID,
    after: datetime | None,
) -> list[Message]:
    statement = (
        select(Message)
        .where(
            Message.tenant_id == tenant_id,
            Message.conversation_id == conversation_id,
            Message.role == MessageRole.MERCHANT,
        )
        .order_by(Message.created_at, Message.id)
        .limit(REPLIES_PER_POLL)
    )
    if after is not None:
        statement = statement.where(Message.created_at > after)
    return list(await session.scalars(statement))


async def mark_seen(session: AsyncSession, tenant_id: TenantId, ids: list[uuid.UUID]) -> None:
    if ids:
        await session.execute(
            update(Message)
            .where(Message.tenant_id == tenant_id, Message.id.in_(ids), Message.seen_at.is_(None))
            .values(seen_at=func.now())
        )
