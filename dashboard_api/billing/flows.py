"""`BillingFlows`: Checkout, the Customer Portal and invoices, each a Stripe call between
short transactions.

A named orchestrator over the `Database` (not the request's session) because every flow
calls Stripe, and no transaction is held open across a network call: the tenant's billing
row is read in one short transaction, Stripe is called, and what must be kept (the
customer id) is written in another.

Buying a plan: without a live subscription, a Checkout Session (mode `subscription`, the
plan's Stripe price, the tenant id as `client_reference_id` and in the metadata of the
session and of the subscription it makes). With one, a Customer Portal session whose flow
is `subscription_update_confirm` for the new price: Stripe shows the proration and the
merchant confirms there, and the change reaches us as a webhook like any other (we never
change a subscription's price behind the merchant's back with `subscriptions.update`).
Choosing Free with a live subscription opens the portal's `subscription_cancel` flow
(cancellation at the period's end, as the portal is configured); without one it is a 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.billing.plans import FREE_PLAN, PlanInfo, offered_plan
from core.db.database import Database
from core.ids import TenantId
from core.models.billing import SubscriptionStatus
from dashboard_api.auth.context import MerchantContext
from dashboard_api.billing import repository
from dashboard_api.billing.errors import AlreadyOnPlan, NoBillingCustomer, PlanNotPurchasable
from dashboard_api.billing.gateway import StripeGateway
from dashboard_api.billing.schemas import InvoiceOut, InvoicePage, InvoicePeriod

# A subscription in these states is changed in the portal, not replaced by a new Checkout.
LIVE = frozenset(
    {
        SubscriptionStatus.ACTIVE.value,
        SubscriptionStatus.TRIALING.value,
        SubscriptionStatus.PAST_DUE.value,
        SubscriptionStatus.UNPAID.value,
        SubscriptionStatus.PAUSED.value,
    }
)


@dataclass(frozen=True)
class _Billing:
    plan: PlanInfo
    free_plan_id: Any
    customer_id: str | None
    subscription_id: str | None  # set only while the subscription is live
    name: str | None
    email: str | None


def _time(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def invoice_out(invoice: dict[str, Any]) -> InvoiceOut:
    return InvoiceOut(
        id=str(invoice["id"]),
        number=invoice.get("number"),
        status=invoice.get("status"),
        amount_due=int(invoice.get("amount_due") or 0),
        amount_paid=int(invoice.get("amount_paid") or 0),
        currency=str(invoice.get("currency") or ""),
        created=datetime.fromtimestamp(int(invoice["created"]), UTC),
        hosted_invoice_url=invoice.get("hosted_invoice_url"),
        period=InvoicePeriod(
            start=_time(invoice.get("period_start")), end=_time(invoice.get("period_end"))
        ),
    )


@dataclass
class BillingFlows:
    db: Database
    gateway: StripeGateway
    link_base: str  # the merchant web app: where Stripe sends the browser back

    @property
    def billing_page(self) -> str:
        return f"{self.link_base.rstrip('/')}/billing"

    async def checkout(self, context: MerchantContext, plan_code: str) -> str:
        billing = await self._read(context, plan_code)
        if billing.plan.code == FREE_PLAN:
            if billing.subscription_id is None:
                raise AlreadyOnPlan("This business has no paid subscription to cancel.")
            return await self._portal_flow(
                billing.customer_id or "",
                {
                    "type": "subscription_cancel",
                    "subscription_cancel": {"subscription": billing.subscription_id},
                },
            )
        price = billing.plan.stripe_price_id
        if price is None:
            raise PlanNotPurchasable(f"The {billing.plan.name} plan is not sold online.")
        customer = billing.customer_id or await self._new_customer(context.tenant_id, billing)
        if billing.subscription_id is not None:
            change = await self._plan_change(customer, billing.subscription_id, price)
            if change is not None:
                return change
        return await self._checkout_session(context.tenant_id, customer, billing.plan)

    async def portal(self, tenant_id: TenantId) -> str:
        async with self.db.tenant_session(tenant_id) as session:
            row = await repository.billing_row(session, tenant_id)
        if row is None or row.stripe_customer_id is None:
            raise NoBillingCustomer("Subscribe to a plan first; the portal manages a subscription.")
        return await self.gateway.create_portal_session(
            {"customer": row.stripe_customer_id, "return_url": self.billing_page}
        )

    async def invoices(self, tenant_id: TenantId, *, limit: int, cursor: str | None) -> InvoicePage:
        async with self.db.tenant_session(tenant_id) as session:
            row = await repository.billing_row(session, tenant_id)
        if row is None or row.stripe_customer_id is None:
            return InvoicePage(items=[])
        found, more = await self.gateway.invoices(
            row.stripe_customer_id, limit=limit, starting_after=cursor
        )
        items = [invoice_out(invoice) for invoice in found]
        return InvoicePage(items=items, next_cursor=items[-1].id if more and items else None)

    # --- steps ----------------------------------------------------------------------------
    async def _read(self, context: MerchantContext, plan_code: str) -> _Billing:
        tenant_id = context.tenant_id
        async with self.db.tenant_session(tenant_id) as session:
            plan = await offered_plan(session, plan_code)
            free = await offered_plan(session, FREE_PLAN)
            row = await repository.billing_row(session, tenant_id)
            name, email = await repository.customer_contact(session, tenant_id, context.user_id)
        live = row is not None and row.stripe_subscription_id and row.status in LIVE
        return _Billing(
            plan=plan,
            free_plan_id=free.id,
            customer_id=row.stripe_customer_id if row is not None else None,
            subscription_id=row.stripe_subscription_id if live and row is not None else None,
            name=name,
            email=email,
        )

    async def _new_customer(self, tenant_id: TenantId, billing: _Billing) -> str:
        made = await self.gateway.create_customer(tenant_id, name=billing.name, email=billing.email)
        async with self.db.tenant_session(tenant_id) as session:
            return await repository.attach_customer(session, tenant_id, made, billing.free_plan_id)

    async def _plan_change(self, customer: str, subscription_id: str, price: str) -> str | None:
        """A portal session confirming the new price; None when the subscription turned out
        not to be live any more (then a new Checkout is the way)."""
        current = await self.gateway.subscription(subscription_id)
        if current is None or current.get("status") not in LIVE:
            return None
        items = (current.get("items") or {}).get("data") or []
        if not items:
            return None
        item = items[0]
        if (item.get("price") or {}).get("id") == price:
            raise AlreadyOnPlan("The subscription is already on this plan.")
        return await self._portal_flow(
            customer,
            {
                "type": "subscription_update_confirm",
                "subscription_update_confirm": {
                    "subscription": subscription_id,
                    "items": [{"id": item["id"], "price": price, "quantity": 1}],
                },
            },
        )

    async def _portal_flow(self, customer: str, flow: dict[str, Any]) -> str:
        flow["after_completion"] = {
            "type": "redirect",
            "redirect": {"return_url": f"{self.billing_page}?changed=1"},
        }
        return await self.gateway.create_portal_session(
            {"customer": customer, "return_url": self.billing_page, "flow_data": flow}
        )

    async def _checkout_session(self, tenant_id: TenantId, customer: str, plan: PlanInfo) -> str:
        metadata = {"tenant_id": str(tenant_id), "plan": plan.code}
        return await self.gateway.create_checkout_session(
            {
                "mode": "subscription",
                "customer": customer,
                "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
                "client_reference_id": str(tenant_id),
                "metadata": metadata,
                "subscription_data": {"metadata": metadata},
                "success_url": f"{self.billing_page}?checkout=success"
                "&session_id={CHECKOUT_SESSION_ID}",
                "cancel_url": f"{self.billing_page}?checkout=canceled",
            }
        )
