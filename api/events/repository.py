"""SQL for widget analytics events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import BotId, StoreId, TenantId, new_id, parse_uuid
from core.models import Product, WidgetEvent


async def resolve_product(
    session: AsyncSession, tenant_id: TenantId, store_id: StoreId | None, given: str
) -> uuid.UUID | None:
    """Our uuid, or the store's external id (within the bot's store when it has one; an
    external id that several of the tenant's stores share is ambiguous: None)."""
    as_uuid = parse_uuid(given)
    if as_uuid is not None:
        found = await session.scalar(
            select(Product.id).where(Product.tenant_id == tenant_id, Product.id == as_uuid)
        )
        if found is not None:
            return found
    statement = select(Product.id).where(
        Product.tenant_id == tenant_id, Product.external_id == given
    )
    if store_id is not None:
        statement = statement.where(Product.store_id == store_id)
    matches = (await session.scalars(statement.limit(2))).all()
    return matches[0] if len(matches) == 1 else None


async def insert_event(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    bot_id: BotId,
    type_: str,
    product_id: uuid.UUID | None,
    message_id: uuid.UUID | None,
    conversation_id: uuid.UUID | None,
    url: str | None,
    payload: dict[str, Any],
) -> uuid.UUID:
    event = WidgetEvent(
        id=new_id(),
        tenant_id=tenant_id,
        bot_id=bot_id,
        type=type_,
        product_id=product_id,
        message_id=message_id,
        conversation_id=conversation_id,
        url=url,
        payload=payload,
    )
    session.add(event)
    await session.flush()
    return event.id
