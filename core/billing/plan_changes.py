"""Changing a tenant's plan, and keeping what it runs within the plan's counts.

A downgrade never deletes: what is over the new plan's count is suspended, newest first
(`suspended_by_plan_at`; a suspended bot is also inactive), and an upgrade resumes what the
plan suspended, oldest first, as far as the new counts allow. A merchant chooses what stays
by disabling one thing and enabling another (enabling needs room, `room.require_room`).
Rows the merchant disabled themselves are never touched. The owner's seat is never suspended.

`reconcile` runs after every change of plan or standing (a Stripe event, an operator's
`set-plan`, a grace period that ran out); it is idempotent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import Entitlement, entitlement_for
from core.billing.plans import PlanInfo
from core.ids import TenantId
from core.models.billing import Subscription, SubscriptionStatus
from core.models.bot import Bot
from core.models.knowledge import KnowledgeDocument
from core.models.store import StoreConnection, StoreStatus
from core.models.user import Membership, MembershipRole


@dataclass(slots=True)
class Reconciled:
    """Ids suspended and resumed, per quota: what the audit log and the merchant are told."""

    suspended: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    resumed: dict[str, list[uuid.UUID]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "suspended": {k: [str(i) for i in v] for k, v in self.suspended.items() if v},
            "resumed": {k: [str(i) for i in v] for k, v in self.resumed.items() if v},
        }


@dataclass(frozen=True, slots=True)
class _Kind:
    quota: str
    model: Any
    enabled: ColumnElement[bool]  # what takes a slot now
    resumable: ColumnElement[bool]  # suspended by the plan (not by the merchant)


def _kinds(tenant_id: TenantId) -> list[_Kind]:
    return [
        _Kind(
            "bots",
            Bot,
            (Bot.tenant_id == tenant_id) & Bot.is_active,
            (Bot.tenant_id == tenant_id) & Bot.suspended_by_plan_at.is_not(None),
        ),
        _Kind(
            "stores",
            StoreConnection,
            (StoreConnection.tenant_id == tenant_id)
            & StoreConnection.suspended_by_plan_at.is_(None)
            & (StoreConnection.status != StoreStatus.DISCONNECTED.value),
            (StoreConnection.tenant_id == tenant_id)
            & StoreConnection.suspended_by_plan_at.is_not(None),
        ),
        _Kind(
            "knowledge_documents",
            KnowledgeDocument,
            (KnowledgeDocument.tenant_id == tenant_id)
            & KnowledgeDocument.suspended_by_plan_at.is_(None),
            (KnowledgeDocument.tenant_id == tenant_id)
            & KnowledgeDocument.suspended_by_plan_at.is_not(None),
        ),
        _Kind(
            "seats",
            Membership,
            (Membership.tenant_id == tenant_id)
            & Membership.suspended_by_plan_at.is_(None)
            & (Membership.role != MembershipRole.OWNER.value),
            (Membership.tenant_id == tenant_id) & Membership.suspended_by_plan_at.is_not(None),
        ),
    ]


def _suspend_values(kind: _Kind, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {"suspended_by_plan_at": now}
    if kind.model is Bot:
        values["is_active"] = False
    return values


def _resume_values(kind: _Kind) -> dict[str, Any]:
    values: dict[str, Any] = {"suspended_by_plan_at": None}
    if kind.model is Bot:
        values["is_active"] = True
    return values


async def _slots_taken(session: AsyncSession, kind: _Kind, tenant_id: TenantId) -> int:
    taken = int(await session.scalar(select(func.count()).where(kind.enabled)) or 0)
    if kind.quota == "seats":  # the owner holds a seat that is never suspended
        owners = await session.scalar(
            select(func.count()).where(
                Membership.tenant_id == tenant_id, Membership.role == MembershipRole.OWNER.value
            )
        )
        taken += int(owners or 0)
    return taken


async def _over_bytes(session: AsyncSession, tenant_id: TenantId, limit: int) -> list[uuid.UUID]:
    """Documents to suspend, newest first, until the enabled ones fit `limit` bytes."""
    rows = (
        await session.execute(
            select(KnowledgeDocument.id, func.octet_length(KnowledgeDocument.body))
            .where(
                KnowledgeDocument.tenant_id == tenant_id,
                KnowledgeDocument.suspended_by_plan_at.is_(None),
            )
            .order_by(KnowledgeDocument.created_at.desc(), KnowledgeDocument.id.desc())
        )
    ).all()
    total = sum(int(size) for _, size in rows)
    chosen = []
    for doc_id, size in rows:
        if total <= limit:
            break
        chosen.append(doc_id)
        total -= int(size)
    return chosen


async def reconcile(
    session: AsyncSession, tenant_id: TenantId, *, now: datetime | None = None
) -> Reconciled:
    """Suspend what is over the tenant's current plan and resume what now fits."""
    now = now or datetime.now(UTC)
    limits = (await entitlement_for(session, tenant_id, now=now)).limits
    result = Reconciled()
    for kind in _kinds(tenant_id):
        limit = limits.count_limit(kind.quota)
        taken = await _slots_taken(session, kind, tenant_id)
        model = kind.model
        if taken > limit:
            newest = (
                select(model.id)
                .where(kind.enabled)
                .order_by(model.created_at.desc(), model.id.desc())
                .limit(taken - limit)
            )
            ids = list((await session.scalars(newest)).all())
            await session.execute(
                update(model).where(model.id.in_(ids)).values(**_suspend_values(kind, now))
            )
            result.suspended[kind.quota] = ids
        elif taken < limit:
            oldest = (
                select(model.id)
                .where(kind.resumable)
                .order_by(model.created_at, model.id)
                .limit(limit - taken)
            )
            ids = list((await session.scalars(oldest)).all())
            if ids:
                await session.execute(
                    update(model).where(model.id.in_(ids)).values(**_resume_values(kind))
                )
                result.resumed[kind.quota] = ids
    over_bytes = await _over_bytes(session, tenant_id, limits.knowledge_bytes)
    if over_bytes:
        await session.execute(
            update(KnowledgeDocument)
            .where(KnowledgeDocument.id.in_(over_bytes))
            .values(suspended_by_plan_at=now)
        )
        result.suspended.setdefault("knowledge_documents", []).extend(over_bytes)
    return result


async def billing_row(session: AsyncSession, tenant_id: TenantId) -> Subscription | None:
    """The tenant's billing row, locked for the change that follows."""
    return await session.scalar(
        select(Subscription).where(Subscription.tenant_id == tenant_id).with_for_update()
    )


async def set_plan_manually(
    session: AsyncSession, tenant_id: TenantId, plan: PlanInfo, *, now: datetime | None = None
) -> tuple[Entitlement, Reconciled]:
    """An operator's plan change (support, the demo): status `manual`, no Stripe involved.
    A tenant that pays through Stripe keeps its Stripe ids; the next Stripe event that
    changes the subscription decides again."""
    row = await billing_row(session, tenant_id)
    if row is None:
        row = Subscription(tenant_id=tenant_id, plan_id=plan.id, status="")
        session.add(row)
    row.plan_id = plan.id
    row.status = SubscriptionStatus.MANUAL.value
    row.grace_until = None
    await session.flush()
    reconciled = await reconcile(session, tenant_id, now=now)
    return await entitlement_for(session, tenant_id, now=now), reconciled
