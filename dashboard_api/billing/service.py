"""What a tenant's billing looks like now: its plan, standing, limits and usage; the plans
on offer. Reads in the request's session (no Stripe call: these work without Stripe)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing import usage
from core.billing.entitlements import Entitlement, entitlement_for
from core.billing.plan_changes import reconcile
from core.billing.plans import COUNTED_QUOTAS, PlanInfo, offered_plans
from core.billing.room import count_usage
from core.ids import TenantId
from core.models.billing import SubscriptionStatus, UsageMetric
from dashboard_api.billing.apply import Applied, audit_change
from dashboard_api.billing.schemas import BillingOut, PlanOffer, PlansOut, PlanSummary

# Quotas counted per month (usage_counters); every other counted quota is counted from rows.
MONTHLY = {
    "messages_per_month": UsageMetric.MESSAGES,
    "model_tokens_per_month": UsageMetric.MODEL_TOKENS,
}


def plan_summary(plan: PlanInfo) -> PlanSummary:
    return PlanSummary(
        code=plan.code,
        name=plan.name,
        version=plan.version,
        monthly_price_cents=plan.monthly_price_cents,
        currency=plan.currency,
    )


async def usage_of(session: AsyncSession, tenant_id: TenantId) -> dict[str, int]:
    monthly = await usage.used_this_month(session, tenant_id, MONTHLY.values())
    counted = {}
    for quota in COUNTED_QUOTAS:
        metric = MONTHLY.get(quota)
        counted[quota] = monthly[metric] if metric else await count_usage(session, tenant_id, quota)
    return counted


def grace_ended(entitlement: Entitlement, now: datetime) -> bool:
    return (
        entitlement.status == SubscriptionStatus.PAST_DUE.value
        and entitlement.grace_until is not None
        and entitlement.grace_until <= now
    )


async def settle_expired_grace(
    session: AsyncSession, tenant_id: TenantId, *, actor: str, now: datetime | None = None
) -> Entitlement:
    """A past-due subscription whose grace ended has Free's limits at once (entitlements
    say so); what runs beyond them is suspended here. Idempotent: the second call finds
    nothing over the limits. Runs on `GET /v1/billing` and from the periodic sweep."""
    now = now or datetime.now(UTC)
    entitlement = await entitlement_for(session, tenant_id, now=now)
    if not grace_ended(entitlement, now):
        return entitlement
    reconciled = await reconcile(session, tenant_id, now=now)
    if reconciled.suspended or reconciled.resumed:
        # `before` is the paid plan: the grace ran out between the last change and now.
        before = Entitlement(
            plan=entitlement.subscribed_plan or entitlement.plan,
            status=entitlement.status,
            subscribed_plan=entitlement.subscribed_plan,
            period_end=entitlement.period_end,
            grace_until=entitlement.grace_until,
            cancel_at_period_end=entitlement.cancel_at_period_end,
        )
        applied = Applied(True, before, entitlement, reconciled)
        await audit_change(session, tenant_id, applied, reason="grace_period_ended", actor=actor)
    return entitlement


async def billing_overview(session: AsyncSession, tenant_id: TenantId) -> BillingOut:
    entitlement = await settle_expired_grace(session, tenant_id, actor="system")
    subscribed = entitlement.subscribed_plan
    return BillingOut(
        plan=plan_summary(entitlement.plan),
        subscribed_plan=(
            plan_summary(subscribed)
            if subscribed is not None and subscribed.id != entitlement.plan.id
            else None
        ),
        status=entitlement.status,
        period_end=entitlement.period_end,
        cancel_at_period_end=entitlement.cancel_at_period_end,
        grace_until=entitlement.grace_until,
        limits=entitlement.limits.as_json(),
        usage=await usage_of(session, tenant_id),
    )


async def plans_on_offer(
    session: AsyncSession, tenant_id: TenantId, *, stripe_configured: bool
) -> PlansOut:
    current = (await entitlement_for(session, tenant_id)).plan
    return PlansOut(
        items=[
            PlanOffer(
                **plan_summary(plan).model_dump(),
                limits=plan.limits.as_json(),
                purchasable=stripe_configured and plan.stripe_price_id is not None,
                current=plan.code == current.code,
            )
            for plan in await offered_plans(session)
        ]
    )
