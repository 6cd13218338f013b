from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import search_vocabulary
from core.ids import TenantId
from core.models import Bot, StoreConnection
from dashboard_api.pagination import Keyset, SortKey

BOT_SORTS = (SortKey("created_at", Bot.created_at, datetime), SortKey("name", Bot.name, str))


async def list_bots(
    session: AsyncSession,
    tenant_id: TenantId,
    keyset: Keyset,
    *,
    is_active: bool | None,
) -> list[Bot]:
    statement = select(Bot).where(Bot.tenant_id == tenant_id)
    if is_active is not None:
        statement = statement.where(Bot.is_active.is_(is_active))
    return list(await session.scalars(keyset.apply(statement, Bot.id)))


async def get_bot(
    session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID, *, lock: bool = False
) -> Bot | None:
    statement = select(Bot).where(Bot.tenant_id == tenant_id, Bot.id == bot_id)
    if lock:
        statement = statement.with_for_update()
    return await session.scalar(statement)


async def bot_exists(session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID) -> bool:
    return (
        await session.scalar(select(Bot.id).where(Bot.tenant_id == tenant_id, Bot.id == bot_id))
        is not None
    )


async def add_bot(session: AsyncSession, tenant_id: TenantId, values: dict[str, Any]) -> Bot:
    bot = Bot(tenant_id=tenant_id, **values)
    session.add(bot)
    await session.flush()
    await session.refresh(bot)
    return bot


async def update_bot(
    session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID, values: dict[str, Any]
) -> Bot | None:
    if values:
        await session.execute(
            update(Bot).where(Bot.tenant_id == tenant_id, Bot.id == bot_id).values(**values)
        )
    return await session.scalar(
        select(Bot)
        .where(Bot.tenant_id == tenant_id, Bot.id == bot_id)
        .execution_options(populate_existing=True)
    )


async def delete_bot(session: AsyncSession, tenant_id: TenantId, bot_id: uuid.UUID) -> bool:
    deleted = await session.scalar(
        delete(Bot).where(Bot.tenant_id == tenant_id, Bot.id == bot_id).returning(Bot.id)
    )
    if deleted is not None:
        # The bot's knowledge documents went with it, and their chunks: the tenant's
        # chunk count (core.search_vocabulary) is counted again.
        await search_vocabulary.recompute(session, tenant_id)
    return deleted is not None


async def store_exists(session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(StoreConnection.id).where(
            StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id
        )
    )
    return found is not None
