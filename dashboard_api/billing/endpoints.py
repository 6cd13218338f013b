"""`/v1/billing/...`: every member reads the plan, usage and invoices; only the owner buys,
changes or manages the subscription. `POST /webhooks/stripe` is public (Stripe holds no
credential of ours): its authenticity is the `Stripe-Signature` on the raw body."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from dashboard_api.auth.context import MerchantOwner, MerchantRead, TenantSession
from dashboard_api.billing import service
from dashboard_api.billing.flows import BillingFlows
from dashboard_api.billing.schemas import (
    BillingOut,
    CheckoutIn,
    InvoicePage,
    PlansOut,
    RedirectOut,
)
from dashboard_api.billing.webhooks import StripeWebhooks
from dashboard_api.dependencies import DashboardRuntime, RuntimeDep
from dashboard_api.openapi import COMMON_RESPONSES
from dashboard_api.pagination import LimitQuery

router = APIRouter(prefix="/billing", tags=["billing"])
# Stripe's own cursor (the last invoice id of the previous page), checked before it is sent.
InvoiceCursor = Annotated[
    str | None,
    Query(
        pattern=r"^in_[A-Za-z0-9]{1,200}$",
        description="`next_cursor` from the previous page.",
    ),
]
webhook_router = APIRouter(tags=["webhooks"])


def _flows(runtime: DashboardRuntime) -> BillingFlows:
    return BillingFlows(runtime.db, runtime.stripe(), link_base=runtime.link_base)


@router.get("", operation_id="billing_get")
async def get_billing(context: MerchantRead, session: TenantSession) -> BillingOut:
    return await service.billing_overview(session, context.tenant_id)


@router.get("/plans", operation_id="billing_plans_list")
async def list_plans(
    context: MerchantRead, session: TenantSession, runtime: RuntimeDep
) -> PlansOut:
    return await service.plans_on_offer(
        session, context.tenant_id, stripe_configured=runtime.stripe_configured
    )


@router.post("/checkout", operation_id="billing_checkout")
async def checkout(body: CheckoutIn, context: MerchantOwner, runtime: RuntimeDep) -> RedirectOut:
    """A Stripe Checkout URL to subscribe; with a subscription already, a Customer Portal
    URL confirming the change of plan (or its cancellation, for `free`)."""
    return RedirectOut(url=await _flows(runtime).checkout(context, body.plan))


@router.post("/portal", operation_id="billing_portal")
async def portal(context: MerchantOwner, runtime: RuntimeDep) -> RedirectOut:
    return RedirectOut(url=await _flows(runtime).portal(context.tenant_id))


@router.get("/invoices", operation_id="billing_invoices_list")
async def list_invoices(
    context: MerchantRead,
    runtime: RuntimeDep,
    limit: LimitQuery = 20,
    cursor: InvoiceCursor = None,
) -> InvoicePage:
    """Newest first, from Stripe; `cursor` is the `next_cursor` of the previous page."""
    return await _flows(runtime).invoices(context.tenant_id, limit=limit, cursor=cursor)


_WEBHOOK_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        **COMMON_RESPONSES[400],
        "description": "Unsigned, forged, altered or stale delivery (nothing was changed)",
    },
    413: COMMON_RESPONSES[413],
    503: {
        **COMMON_RESPONSES[503],
        "description": "Billing not configured, or Stripe unreachable: deliver it again later",
    },
}


@webhook_router.post(
    "/webhooks/stripe",
    operation_id="billing_stripe_webhook",
    summary="Receive a Stripe event (public, Stripe-Signature verified)",
    responses=_WEBHOOK_RESPONSES,
)
async def stripe_webhook(request: Request, runtime: RuntimeDep) -> JSONResponse:
    """`{"status": "processed" | "duplicate" | "ignored"}`."""
    receiver = StripeWebhooks(
        runtime.db,
        runtime.stripe(),
        grace=timedelta(days=runtime.deps.settings.billing_grace_days),
    )
    status = await receiver.receive(await request.body(), request.headers.get("stripe-signature"))
    return JSONResponse({"status": status})
