"""Applying a Stripe subscription's state to the tenant's billing row.

Convergence rule: what is applied is always the subscription object as Stripe holds it (the
webhook fetches it before applying, whatever the event said), stamped with when it was
observed. An observation older than the one the row already holds is dropped, so events
that arrive late, twice or out of order (`updated` before `created`, `payment_failed`
after a later `paid`) all end in the state Stripe has now. A subscription that ended
(`canceled`, `incomplete_expired`) never replaces a different subscription the tenant holds:
a merchant who cancelled and subscribed again keeps the new one.

After every applied change the tenant's rows are reconciled with the plan that now holds
(`core.billing.plan_changes.reconcile`: a downgrade suspends, an upgrade resumes) and the
change is written to the audit log with the actor `stripe`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import Entitlement, entitlement_for
from core.billing.plan_changes import Reconciled, billing_row, reconcile
from core.billing.plans import FREE_PLAN, offered_plan, plan_by_stripe_price
from core.ids import TenantId
from core.models.billing import Subscription, SubscriptionStatus
from dashboard_api.audit_log import service as audit

log = logging.getLogger(__name__)

ENDED = frozenset({SubscriptionStatus.CANCELED.value, SubscriptionStatus.INCOMPLETE_EXPIRED.value})
KNOWN_STATUSES = frozenset(status.value for status in SubscriptionStatus)


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def object_id(value: Any) -> str | None:
    """A field that is an id, or the object it names when it was expanded."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


@dataclass(frozen=True, slots=True)
class SubscriptionState:
    """The fields of a Stripe subscription that billing keeps."""

    subscription_id: str
    customer_id: str | None
    status: str
    price_id: str | None
    period_start: datetime | None
    period_end: datetime | None
    cancel_at_period_end: bool
    observed_at: datetime

    @classmethod
    def of(cls, subscription: dict[str, Any], observed_at: datetime) -> SubscriptionState:
        items = (subscription.get("items") or {}).get("data") or []
        first: dict[str, Any] = items[0] if items else {}
        # Since API version 2025-03-31 the period lives on the items; older ones have it here.
        start = subscription.get("current_period_start") or first.get("current_period_start")
        end = subscription.get("current_period_end") or first.get("current_period_end")
        return cls(
            subscription_id=str(subscription["id"]),
            customer_id=object_id(subscription.get("customer")),
            status=str(subscription.get("status")),
            price_id=object_id(first.get("price")),
            period_start=_time(start),
            period_end=_time(end),
            cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
            observed_at=observed_at,
        )


@dataclass(frozen=True, slots=True)
class Applied:
    applied: bool  # False: older than what the row holds, or an ended other subscription
    before: Entitlement | None = None
    after: Entitlement | None = None
    reconciled: Reconciled | None = None


def _superseded(row: Subscription | None, state: SubscriptionState) -> bool:
    if row is None:
        return False
    if row.stripe_state_at is not None and row.stripe_state_at > state.observed_at:
        return True
    replaced = row.stripe_subscription_id not in (None, state.subscription_id)
    return replaced and state.status in ENDED


async def _new_row(session: AsyncSession, tenant_id: TenantId) -> Subscription:
    free = await offered_plan(session, FREE_PLAN)
    row = Subscription(tenant_id=tenant_id, plan_id=free.id, status=SubscriptionStatus.NONE.value)
    session.add(row)
    return row


async def _write_state(
    session: AsyncSession, row: Subscription, state: SubscriptionState, grace: timedelta
) -> None:
    if state.price_id is not None:
        plan = await plan_by_stripe_price(session, state.price_id)
        if plan is None:
            # Not one of our prices: keep the plan the row names rather than guess.
            log.warning("stripe subscription %s has an unknown price", state.subscription_id)
        else:
            row.plan_id = plan.id
    if state.status not in KNOWN_STATUSES:
        log.warning("stripe subscription status %r is unknown: kept", state.status)
    else:
        row.status = state.status
    row.stripe_subscription_id = state.subscription_id
    row.stripe_price_id = state.price_id
    row.stripe_customer_id = row.stripe_customer_id or state.customer_id
    row.current_period_start = state.period_start
    row.current_period_end = state.period_end
    row.cancel_at_period_end = state.cancel_at_period_end
    row.stripe_state_at = state.observed_at
    if row.status == SubscriptionStatus.PAST_DUE.value:
        # The grace period starts when we first see the subscription past due; later
        # retries of the charge do not extend it.
        row.grace_until = row.grace_until or state.observed_at + grace
    else:
        row.grace_until = None


async def apply_subscription(
    session: AsyncSession,
    tenant_id: TenantId,
    state: SubscriptionState,
    *,
    grace: timedelta,
    now: datetime | None = None,
) -> Applied:
    now = now or datetime.now(UTC)
    row = await billing_row(session, tenant_id)  # locked until the transaction ends
    if _superseded(row, state):
        return Applied(applied=False)
    before = await entitlement_for(session, tenant_id, now=now)
    if row is None:
        row = await _new_row(session, tenant_id)
    await _write_state(session, row, state, grace)
    await session.flush()
    reconciled = await reconcile(session, tenant_id, now=now)
    after = await entitlement_for(session, tenant_id, now=now)
    return Applied(applied=True, before=before, after=after, reconciled=reconciled)


def _code(entitlement: Entitlement | None, subscribed: bool = False) -> str | None:
    if entitlement is None:
        return None
    plan = entitlement.subscribed_plan if subscribed else entitlement.plan
    return plan.code if plan is not None else None


async def audit_change(
    session: AsyncSession,
    tenant_id: TenantId,
    applied: Applied,
    *,
    reason: str,
    cause: str | None = None,
    actor: str = "stripe",
) -> None:
    """One audit entry when the plan, the subscription's status or what runs changed:
    `billing.plan_changed` (effective or subscribed plan, or suspensions) or
    `billing.status_changed` (standing only)."""
    before, after, reconciled = applied.before, applied.after, applied.reconciled
    if not applied.applied or before is None or after is None or reconciled is None:
        return
    moved = reconciled.as_json()
    plan_moved = _code(before) != _code(after) or _code(before, True) != _code(after, True)
    status_moved = (before.status, before.grace_until) != (after.status, after.grace_until)
    if not (plan_moved or status_moved or moved["suspended"] or moved["resumed"]):
        return
    action = (
        "billing.plan_changed" if plan_moved or any(moved.values()) else "billing.status_changed"
    )
    await audit.record(
        session,
        tenant_id,
        action,
        target_type="subscription",
        details={
            "actor": actor,
            "reason": reason,
            "cause": cause,
            "from": _code(before),
            "to": _code(after),
            "subscribed_from": _code(before, True),
            "subscribed_to": _code(after, True),
            "status_from": before.status,
            "status": after.status,
            **moved,
        },
    )
