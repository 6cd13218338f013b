"""Buying a plan: Checkout for a first subscription, the Customer Portal for a change,
owner-only writes, invoices from Stripe, and what the merchant sees before and after."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from core.db.database import Database
from emulators.stripe import FakeStripe
from tests.dashboard_api.billing.harness import billing, billing_row, session_id_of, subscribe
from tests.dashboard_api.harness import Merchant, add_member


async def test_a_new_business_is_on_free_with_its_usage(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    body = await billing(client, merchant)
    assert body["plan"]["code"] == "free" and body["status"] == "none"
    assert body["limits"]["bots"] == 1
    assert body["usage"]["bots"] == 1  # registration made the default bot
    assert body["usage"]["seats"] == 1 and body["usage"]["messages_per_month"] == 0
    assert set(body["usage"]) >= {"products", "stores", "knowledge_bytes", "model_tokens_per_month"}


async def test_checkout_then_webhooks_then_the_new_plan(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe, db: Database,
    stripe_prices: dict[str, str],
) -> None:
    response = await client.post(
        "/v1/billing/checkout", json={"plan": "growth"}, headers=merchant.headers
    )
    assert response.status_code == 200, response.text
    session = fake_stripe.checkout_sessions[session_id_of(response.json()["url"])]
    assert session["mode"] == "subscription"
    assert session["client_reference_id"] == str(merchant.tenant_id)
    assert session["metadata"] == {"tenant_id": str(merchant.tenant_id), "plan": "growth"}
    row = await billing_row(db, merchant.tenant_id)
    assert row is not None and row.status == "none" and row.stripe_customer_id == session["customer"]

    first = len(fake_stripe.events)
    fake_stripe.complete_checkout(session["id"])
    for event in fake_stripe.events[first:]:
        from tests.dashboard_api.billing.harness import deliver

        assert (await deliver(client, event)).status_code == 200
    body = await billing(client, merchant)
    assert body["plan"]["code"] == "growth" and body["status"] == "active"
    assert body["limits"]["bots"] == 3 and body["period_end"] is not None
