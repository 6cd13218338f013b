"""Which plan's limits hold for a tenant now.

A subscription that is active or trialing gets its plan. One that is past due keeps its
plan until `grace_until` (set when a payment fails), then falls to Free; so do every other
status (canceled, unpaid, incomplete, paused) and a tenant with no billing row. `manual`
(an operator's `shopbot tenants set-plan`) holds its plan until changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.plans import FREE_PLAN, PlanInfo, PlanLimits, offered_plan
from core.ids import TenantId
from core.models.billing import Plan, Subscription, SubscriptionStatus

GOOD_STANDING = frozenset(
    {SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING, SubscriptionStatus.MANUAL}
)


@dataclass(frozen=True, slots=True)
class Entitlement:
    plan: PlanInfo  # whose limits hold now
    status: str  # the billing row's status, or "none"
    subscribed_plan: PlanInfo | None  # what the tenant pays for (None: nothing)
    period_end: datetime | None
    grace_until: datetime | None
    cancel_at_period_end: bool

    @property
    def limits(self) -> PlanLimits:
        return self.plan.limits


def in_good_standing(status: str, grace_until: datetime | None, now: datetime) -> bool:
    if status in GOOD_STANDING:
        return True
    return status == SubscriptionStatus.PAST_DUE and grace_until is not None and now < grace_until


async def entitlement_for(
    session: AsyncSession, tenant_id: TenantId, *, now: datetime | None = None
) -> Entitlement:
    now = now or datetime.now(UTC)
    row = (
        await session.execute(
            select(Subscription, Plan)
            .join(Plan, Plan.id == Subscription.plan_id)
            .where(Subscription.tenant_id == tenant_id)
        )
    ).first()
    if row is None:
        free = await offered_plan(session, FREE_PLAN)
        return Entitlement(free, SubscriptionStatus.NONE.value, None, None, None, False)
    subscription, plan_row = row
    subscribed = PlanInfo.of(plan_row)
    standing = in_good_standing(subscription.status, subscription.grace_until, now)
    plan = subscribed if standing else await offered_plan(session, FREE_PLAN)
    return Entitlement(
        plan=plan,
        status=subscription.status,
        subscribed_plan=subscribed,
        period_end=subscription.current_period_end,
        grace_until=subscription.grace_until,
        cancel_at_period_end=subscription.cancel_at_period_end,
    )


def current_plan_id_sql(tenant_id: TenantId | ColumnElement[Any]) -> ColumnElement[Any]:
    """The id of the plan that holds now, as one SQL expression: a query that reads a
    tenant's rows can read it in the same round trip (the widget API's per-request bot
    policy does), and the plan version's limits come from `plans.version_limits`, read once
    per process. The same rule as `entitlement_for`, at the database's clock: the subscribed
    plan in good standing (or within its grace period), else Free. `tenant_id` may be a
    bound parameter, for a statement compiled once (api.sessions.repository)."""
    standing = or_(
        Subscription.status.in_([status.value for status in GOOD_STANDING]),
        and_(
            Subscription.status == SubscriptionStatus.PAST_DUE.value,
            Subscription.grace_until > func.now(),
        ),
    )
    subscribed = (
        select(Subscription.plan_id)
        .where(Subscription.tenant_id == tenant_id, standing)
        .scalar_subquery()
    )
    free = (
        select(Plan.id)
        .where(Plan.code == FREE_PLAN, Plan.is_active.is_(True))
        .order_by(Plan.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(subscribed, free)
