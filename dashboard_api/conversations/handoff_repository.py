"""SQL for the merchant's side of a hand-off: the conversation's flag and contact, replies."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Conversation


async def conversation_for_update(
    session: AsyncSession, tenant_id: TenantId, conversation_id: uuid.UUID
) -> Conversation | None:
    return await session.scalar(
        select(Conversation)
        .where(Conversation.tenant_id == tenant_id, Conversation.id == conversation_id)
        .with_for_update(key_share=True)
    )


async def handoff_of(
    session: AsyncSession, tenant_id: TenantId, conversation_id: uuid.UUID
) -> Conversation | None:
    return await session.scalar(
        select(Conversation).where(
            Conversation.tenant_id == tenant_id,
            Conversation.id == conversation_id,
            Conversation.handoff_state.is_not(None),
        )
    )


async def close_handoff(
    session: AsyncSession, tenant_id: TenantId, conversation_id: uuid.UUID
) -> None:
    await session.execute(
        update(Conversation)
        .where(Conversation.tenant_id == tenant_id, Conversation.id == conversation_id)
        .values(handoff_state="closed", handoff_closed_at=func.now())
    )
