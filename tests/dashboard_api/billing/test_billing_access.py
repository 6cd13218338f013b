"""Who may do what with billing, what one business sees of another's, and what the merchant
gets when Stripe is not configured or fails: a problem with a stable code, never a 500."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from core.db.database import Database
from emulators.stripe import FakeStripe, Fault
from tests.dashboard_api.billing.harness import (
    billing,
    billing_row,
    deliver,
    recorded_events,
    session_id_of,
    subscribe,
)
from tests.dashboard_api.harness import Merchant, add_member, build_app, client_for, register


async def test_only_the_owner_buys_or_manages_and_every_member_reads(
    app: FastAPI, client: httpx.AsyncClient, merchant: Merchant, db: Database
) -> None:
    editor = await add_member(app, db, merchant.tenant_id, "editor")
    admin = await add_member(app, db, merchant.tenant_id, "admin")
    for headers in (editor, admin):
        for path, body in (
            ("/v1/billing/checkout", {"plan": "starter"}),
            ("/v1/billing/portal", None),
        ):
            refused = await client.post(path, json=body, headers=headers)
            assert refused.status_code == 403, refused.text
            assert refused.json()["code"] == "insufficient_role"
        assert (await client.get("/v1/billing", headers=headers)).status_code == 200
        assert (await client.get("/v1/billing/invoices", headers=headers)).json()["items"] == []
    assert await billing_row(db, merchant.tenant_id) is None  # no customer was made


async def test_another_business_billing_is_invisible(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe
) -> None:
    other = await register(client, business="Other Shop")
    await subscribe(client, merchant, fake_stripe, "growth")
    theirs = await billing(client, other)
    assert theirs["plan"]["code"] == "free" and theirs["status"] == "none"
    assert (await client.get("/v1/billing/invoices", headers=other.headers)).json()["items"] == []
    portal = await client.post("/v1/billing/portal", headers=other.headers)
    assert portal.status_code == 409 and portal.json()["code"] == "no_billing_customer"
    mine = await client.get("/v1/billing/invoices", headers=merchant.headers)
    assert len(mine.json()["items"]) == 1


async def test_a_plan_without_a_price_and_an_unknown_plan_are_refused(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    free = await client.post(
        "/v1/billing/checkout", json={"plan": "free"}, headers=merchant.headers
    )
    assert free.status_code == 409 and free.json()["code"] == "already_on_plan"
    unknown = await client.post(
        "/v1/billing/checkout", json={"plan": "platinum"}, headers=merchant.headers
    )
    assert unknown.status_code == 404
    plans = (await client.get("/v1/billing/plans", headers=merchant.headers)).json()["items"]
    assert [(p["code"], p["purchasable"], p["current"]) for p in plans] == [
        ("free", False, True),
        ("starter", True, False),
        ("growth", True, False),
        ("scale", True, False),
    ]


async def test_stripe_faults_are_503_and_a_webhook_is_kept_for_redelivery(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe, db: Database
) -> None:
    fake_stripe.inject(Fault("api_error", path="/v1/customers"))
    failed = await client.post(
        "/v1/billing/checkout", json={"plan": "starter"}, headers=merchant.headers
    )
    assert failed.status_code == 503, failed.text
    assert failed.json()["code"] == "billing_unavailable" and "Retry-After" in failed.headers

    checkout = await client.post(
        "/v1/billing/checkout", json={"plan": "starter"}, headers=merchant.headers
    )
    first = len(fake_stripe.events)
    fake_stripe.complete_checkout(session_id_of(checkout.json()["url"]))
    completed = next(e for e in fake_stripe.events[first:] if e["type"].startswith("checkout."))
    fake_stripe.inject(Fault("disconnect", path="/v1/subscriptions/"))
    refused = await deliver(client, completed)
    assert refused.status_code == 503 and refused.json()["code"] == "billing_unavailable"
    assert await recorded_events(db, merchant.tenant_id) == 0
    assert (await billing(client, merchant))["plan"]["code"] == "free"
    # Stripe delivers it again later: now it applies.
    assert (await deliver(client, completed)).json() == {"status": "processed"}
    assert (await billing(client, merchant))["plan"]["code"] == "starter"

    fake_stripe.inject(Fault("rate_limit", path="/v1/invoices"))
    invoices = await client.get("/v1/billing/invoices", headers=merchant.headers)
    assert invoices.status_code == 503 and invoices.json()["code"] == "billing_unavailable"


async def test_without_stripe_billing_reads_work_and_writes_say_so(
    db: Database, fake_stripe: FakeStripe
) -> None:
    app = build_app(db)  # the process settings: no Stripe key
    async with client_for(app) as client:
        merchant = await register(client)
        body = await billing(client, merchant)
        assert body["plan"]["code"] == "free"
        for path, payload in (
            ("/v1/billing/checkout", {"plan": "starter"}),
            ("/v1/billing/portal", None),
        ):
            refused = await client.post(path, json=payload, headers=merchant.headers)
            assert refused.status_code == 503, refused.text
            assert refused.json()["code"] == "billing_not_configured"
        webhook = await client.post("/webhooks/stripe", content=b"{}")
        assert webhook.status_code == 503
        assert webhook.json()["code"] == "billing_not_configured"
        plans = (await client.get("/v1/billing/plans", headers=merchant.headers)).json()
        assert not any(plan["purchasable"] for plan in plans["items"])
    assert fake_stripe.requests == []
