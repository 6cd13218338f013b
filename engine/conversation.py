"""Conversations and their messages: the only SQL the answer service runs besides retrieval."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.ids import BotId, TenantId
from core.models import Conversation, Message
from engine.types import Turn

HISTORY_TURNS = 12


async def open_conversation(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    bot_id: BotId,
    conversation_id: uuid.UUID | None,
    visitor_id: str | None,
    page_url: str | None,
) -> Conversation:
    """The shopper's conversation with this bot; another bot's or tenant's id is a 404."""
    if conversation_id is None:
        conversation = Conversation(
            tenant_id=tenant_id, bot_id=bot_id, visitor_id=visitor_id, page_url=page_url
        )
        session.add(conversation)
        await session.flush()
        return conversation
    found = await session.scalar(
        select(Conversation).where(
            Conversation.id == conversation_id,
            Conversation.tenant_id == tenant_id,
            Conversation.bot_id == bot_id,
        )
    )
    if found is None or (visitor_id and found.visitor_id not in (None, visitor_id)):
        raise NotFound("conversation not found")
    return found


async def history(
    session: AsyncSession, *, tenant_id: TenantId, conversation_id: uuid.UUID
) -> list[Turn]:
    rows = (
        await session.execute(
            select(Message.role, Message.content)
            .where(Message.tenant_id == tenant_id, Message.conversation_id == conversation_id)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(HISTORY_TURNS)
        )
    ).all()
    # The table's check constraint allows only "user" and "assistant".
    return [
        Turn("assistant" if role == "assistant" else "user", content)
        for role, content in reversed(rows)
    ]


async def add_message(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    conversation_id: uuid.UUID,
    role: str,
    content: str,
    **fields: Any,
) -> Message:
    message = Message(
        tenant_id=tenant_id, conversation_id=conversation_id, role=role, content=content, **fields
    )
    session.add(message)
    await session.flush()
    await session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.tenant_id == tenant_id)
        .values(last_message_at=func.now(), message_count=Conversation.message_count + 1)
    )
    return message
