"""Quotas counted from rows: bots, stores, seats, knowledge documents and their size.

`require_room` serialises the check with the insert that follows it: a transaction-scoped
advisory lock per tenant and quota is taken first, so two concurrent "create a bot" calls at
the limit run one after the other and the second sees the first's row. The lock is released
at commit or rollback; nothing else waits on it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import Entitlement, entitlement_for
from core.billing.plans import cheapest_allowing, offered_plans
from core.errors import QuotaExceeded
from core.ids import TenantId
from core.models.bot import Bot
from core.models.knowledge import KnowledgeDocument
from core.models.product import Product
from core.models.store import StoreConnection, StoreStatus
from core.models.user import Invitation, Membership


async def lock_quota(session: AsyncSession, tenant_id: TenantId, quota: str) -> None:
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"quota:{tenant_id}:{quota}"},
    )


async def count_usage(session: AsyncSession, tenant_id: TenantId, quota: str) -> int:
    """What counts against `quota` now: only what is enabled (a suspended or merchant-
    disabled bot does not take a slot; enabling it again needs one)."""
    if quota == "bots":
        statement = select(func.count()).where(Bot.tenant_id == tenant_id, Bot.is_active)
    elif quota == "stores":
        statement = select(func.count()).where(
            StoreConnection.tenant_id == tenant_id,
            StoreConnection.suspended_by_plan_at.is_(None),
            StoreConnection.status != StoreStatus.DISCONNECTED.value,
        )
    elif quota == "seats":
        members = await session.scalar(
            select(func.count()).where(
                Membership.tenant_id == tenant_id, Membership.suspended_by_plan_at.is_(None)
            )
        )
        pending = await session.scalar(
            select(func.count()).where(
                Invitation.tenant_id == tenant_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > datetime.now(UTC),
            )
        )
        return int(members or 0) + int(pending or 0)
    elif quota in ("knowledge_documents", "knowledge_bytes"):
        measure = (
            func.count()
            if quota == "knowledge_documents"
            else func.coalesce(func.sum(func.octet_length(KnowledgeDocument.body)), 0)
        )
        statement = select(measure).where(
            KnowledgeDocument.tenant_id == tenant_id,
            KnowledgeDocument.suspended_by_plan_at.is_(None),
        )
    elif quota == "products":
        statement = select(func.count()).where(Product.tenant_id == tenant_id)
    else:
        raise KeyError(quota)
    return int(await session.scalar(statement) or 0)


async def quota_error(
    session: AsyncSession, entitlement: Entitlement, quota: str, usage: int, needed: int
) -> QuotaExceeded:
    """The 402 for `quota`, naming the cheapest plan that would allow `needed`."""
    limit = entitlement.limits.count_limit(quota)
    upgrade = cheapest_allowing(
        await offered_plans(session),
        entitlement.plan,
        lambda limits: limits.count_limit(quota) >= needed,
    )
    label = quota.replace("_", " ")
    detail = f"The {entitlement.plan.name} plan allows {limit} {label}; you have {usage}."
    if upgrade is not None:
        detail += f" The {upgrade.name} plan allows {upgrade.limits.count_limit(quota)}."
    return QuotaExceeded(
        detail,
        quota=quota,
        limit=limit,
        usage=usage,
        plan=entitlement.plan.code,
        upgrade_plan=upgrade.code if upgrade else None,
    )


async def require_room(
    session: AsyncSession, tenant_id: TenantId, quota: str, *, adding: int = 1
) -> Entitlement:
    """Raise `QuotaExceeded` unless `adding` more of `quota` fit the tenant's plan. Call it
    in the transaction that then writes the row: the lock it takes holds until commit."""
    await lock_quota(session, tenant_id, quota)
    entitlement = await entitlement_for(session, tenant_id)
    usage = await count_usage(session, tenant_id, quota)
    if usage + adding > entitlement.limits.count_limit(quota):
        raise await quota_error(session, entitlement, quota, usage, usage + adding)
    return entitlement
