"""Billing's SQL: the tenant's billing row, its Stripe customer, and recorded Stripe events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Tenant, User, WebhookEvent
from core.models.billing import Subscription, SubscriptionStatus
from core.models.sync import WebhookEventStatus

STRIPE_SOURCE = "stripe"


async def billing_row(session: AsyncSession, tenant_id: TenantId) -> Subscription | None:
    return await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant_id))


async def attach_customer(
    session: AsyncSession, tenant_id: TenantId, customer_id: str, free_plan_id: uuid.UUID
) -> str:
    """Store the tenant's Stripe customer (a new billing row on Free with status `none`
    when it has none) and return the customer the row holds: a customer stored first by a
    concurrent request wins, so a tenant never has two."""
    new_row = insert(Subscription).values(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        plan_id=free_plan_id,
        status=SubscriptionStatus.NONE.value,
        stripe_customer_id=customer_id,
    )
    statement = new_row.on_conflict_do_update(
        index_elements=[Subscription.tenant_id],
        set_={
            "stripe_customer_id": func.coalesce(
                Subscription.stripe_customer_id, new_row.excluded.stripe_customer_id
            )
        },
    ).returning(Subscription.stripe_customer_id)
    return str(await session.scalar(statement))


async def customer_contact(
    session: AsyncSession, tenant_id: TenantId, user_id: uuid.UUID | None
) -> tuple[str | None, str | None]:
    """The business name and the requesting user's email: what Stripe shows on invoices."""
    name = await session.scalar(select(Tenant.name).where(Tenant.id == tenant_id))
    email = None
    if user_id is not None:
        email = await session.scalar(select(User.email).where(User.id == user_id))
    return name, email


async def tenant_by_customer(system_session: AsyncSession, customer_id: str) -> TenantId | None:
    """Through the SECURITY DEFINER lookup: no tenant is known when a webhook arrives."""
    found = await system_session.scalar(
        text("SELECT app_stripe_customer_tenant(:customer)"), {"customer": customer_id}
    )
    return TenantId(found) if found is not None else None


async def tenant_exists(session: AsyncSession, tenant_id: TenantId) -> bool:
    return await session.scalar(select(Tenant.id).where(Tenant.id == tenant_id)) is not None


async def event_recorded(session: AsyncSession, tenant_id: TenantId, event_id: str) -> bool:
    found = await session.scalar(
        select(WebhookEvent.id).where(
            WebhookEvent.tenant_id == tenant_id,
            WebhookEvent.source == STRIPE_SOURCE,
            WebhookEvent.external_id == event_id,
        )
    )
    return found is not None


async def record_event(
    session: AsyncSession, tenant_id: TenantId, event: dict[str, Any]
) -> uuid.UUID | None:
    """Insert the event as processed (its effect is written in the same transaction); None
    when it was recorded before (the unique (tenant, source, external id) says so)."""
    statement = (
        insert(WebhookEvent)
        .values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            source=STRIPE_SOURCE,
            external_id=str(event["id"]),
            topic=str(event.get("type", ""))[:100],
            payload=event,
            status=WebhookEventStatus.PROCESSED.value,
            processed_at=text("now()"),
        )
        .on_conflict_do_nothing(
            index_elements=[WebhookEvent.tenant_id, WebhookEvent.source, WebhookEvent.external_id]
        )
        .returning(WebhookEvent.id)
    )
    return await session.scalar(statement)
