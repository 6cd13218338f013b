"""What a merchant sees before buying (Free, with its usage), and a first subscription:
Checkout → the emulator's payment → webhooks → `GET /v1/billing` on the new plan."""

from __future__ import annotations

import httpx

from core.db.database import Database
from emulators.stripe import FakeStripe
from tests.dashboard_api.billing.harness import billing, billing_row, deliver_all, session_id_of
from tests.dashboard_api.harness import Merchant


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
    client: httpx.AsyncClient,
    merchant: Merchant,
    fake_stripe: FakeStripe,
    db: Database,
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
    assert (
        row is not None and row.status == "none" and row.stripe_customer_id == session["customer"]
    )

    first = len(fake_stripe.events)
    fake_stripe.complete_checkout(session["id"])
    statuses = await deliver_all(client, fake_stripe.events[first:])
    assert statuses == ["processed", "processed", "processed"]
    body = await billing(client, merchant)
    assert body["plan"]["code"] == "growth" and body["status"] == "active"
    assert body["limits"]["bots"] == 3 and body["period_end"] is not None
