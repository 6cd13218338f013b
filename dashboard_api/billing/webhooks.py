"""`StripeWebhooks`: verify a delivery, find its tenant, apply it once.

A named orchestrator over the `Database` because applying needs a network call in the
middle: the subscription is fetched from Stripe (the convergence rule in `apply.py`), and
no transaction is held open across it. The steps:

1. verify `Stripe-Signature` on the raw bytes (tolerance 300 s): unsigned, forged, altered
   or stale → 400, nothing read or written;
2. find the tenant: the customer through the SECURITY DEFINER lookup
   `app_stripe_customer_tenant`, else the `client_reference_id` / `metadata.tenant_id` we
   put on every Checkout Session and subscription; none → 200 `ignored` (logged);
3. an event recorded before → 200 `duplicate` (a cheap check before fetching);
4. fetch the subscription the event is about; Stripe failing → 503 and nothing recorded,
   so Stripe delivers the event again;
5. one transaction: insert the event into `webhook_events` (unique per tenant, source and
   event id: a concurrent twin finds it there and answers `duplicate`) and apply its effect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from core.db.database import Database
from core.ids import TenantId, parse_uuid
from dashboard_api.billing import repository
from dashboard_api.billing.apply import (
    SubscriptionState,
    apply_subscription,
    audit_change,
    object_id,
)
from dashboard_api.billing.gateway import StripeGateway

log = logging.getLogger(__name__)

HANDLED_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.paid",
        "invoice.payment_failed",
    }
)


def subscription_of(event_type: str, obj: dict[str, Any]) -> str | None:
    """The id of the subscription an event is about (None: it is about none)."""
    if event_type.startswith("customer.subscription."):
        return object_id(obj.get("id"))
    if event_type.startswith("invoice."):
        details = (obj.get("parent") or {}).get("subscription_details") or {}
        # API 2025-03-31 moved it under `parent`; older versions have it on the invoice.
        return object_id(details.get("subscription")) or object_id(obj.get("subscription"))
    return object_id(obj.get("subscription"))


def claimed_tenant(obj: dict[str, Any]) -> TenantId | None:
    """The tenant id we wrote on the object: a Checkout Session's `client_reference_id`,
    the `metadata.tenant_id` of a session or subscription, an invoice's subscription's."""
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    for value in (
        obj.get("client_reference_id"),
        (obj.get("metadata") or {}).get("tenant_id"),
        (details.get("metadata") or {}).get("tenant_id"),
        ((obj.get("subscription_details") or {}).get("metadata") or {}).get("tenant_id"),
    ):
        parsed = parse_uuid(value) if value else None
        if parsed is not None:
            return TenantId(parsed)
    return None


@dataclass
class StripeWebhooks:
    db: Database
    gateway: StripeGateway
    grace: timedelta

    async def receive(self, payload: bytes, signature: str | None) -> str:
        """`processed`, `duplicate` or `ignored`; raises InvalidSignature (400) or
        BillingUnavailable (503)."""
        event = self.gateway.verified_event(payload, signature)
        event_type = str(event.get("type", ""))
        obj = (event.get("data") or {}).get("object") or {}
        if event_type not in HANDLED_EVENTS:
            return "ignored"
        tenant_id = await self._tenant_of(obj)
        if tenant_id is None:
            log.info("stripe event %s (%s) names no tenant of ours", event.get("id"), event_type)
            return "ignored"
        async with self.db.tenant_session(tenant_id) as session:
            if await repository.event_recorded(session, tenant_id, str(event["id"])):
                return "duplicate"
        state = await self._current_state(event_type, obj, event)
        async with self.db.tenant_session(tenant_id) as session:
            if await repository.record_event(session, tenant_id, event) is None:
                return "duplicate"
            if state is not None:
                applied = await apply_subscription(session, tenant_id, state, grace=self.grace)
                await audit_change(
                    session, tenant_id, applied, reason=event_type, cause=str(event["id"])
                )
        return "processed"

    async def _tenant_of(self, obj: dict[str, Any]) -> TenantId | None:
        customer = object_id(obj.get("customer"))
        claimed = claimed_tenant(obj)
        if customer is not None:
            async with self.db.system_session() as session:
                owner = await repository.tenant_by_customer(session, customer)
            if owner is not None:
                if claimed is not None and claimed != owner:
                    log.warning(
                        "stripe customer %s belongs to another tenant than claimed", customer
                    )
                return owner
        if claimed is None:
            return None
        async with self.db.tenant_session(claimed) as session:
            exists = await repository.tenant_exists(session, claimed)
        return claimed if exists else None

    async def _current_state(
        self, event_type: str, obj: dict[str, Any], event: dict[str, Any]
    ) -> SubscriptionState | None:
        subscription_id = subscription_of(event_type, obj)
        if subscription_id is None:
            return None
        observed_at = datetime.now(UTC)
        current = await self.gateway.subscription(subscription_id)
        if current is not None:
            return SubscriptionState.of(current, observed_at)
        if event_type.startswith("customer.subscription."):
            # Stripe no longer has it: the event's own copy, as of the event.
            created = datetime.fromtimestamp(int(event.get("created") or 0), UTC)
            return SubscriptionState.of(obj, created)
        return None
