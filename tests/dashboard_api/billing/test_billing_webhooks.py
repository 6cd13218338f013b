"""`POST /webhooks/stripe` against the Stripe emulator: only signed, fresh deliveries count,
each event applies once, and events late, repeated or out of order end in the state the
subscription has at Stripe."""

from __future__ import annotations

import time

import httpx

from core.db.database import Database
from emulators.stripe import FakeStripe, event_body
from emulators.stripe.state import AUTOMATIC
from tests.dashboard_api.billing.harness import (
    audit_actions,
    billing,
    billing_row,
    deliver,
    deliver_all,
    recorded_events,
    subscribe,
)
from tests.dashboard_api.harness import Merchant


async def test_forged_stale_and_unsigned_deliveries_change_nothing(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe, db: Database
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "starter")
    events_before = await recorded_events(db, merchant.tenant_id)
    # Stripe ends the subscription; only a genuine delivery may tell us (it would fetch
    # the canceled subscription and fall to Free).
    event = fake_stripe.set_subscription(sub["id"], status="canceled")

    forged = await deliver(client, event, secret="whsec_someone_else")
    stale = await deliver(client, event, timestamp=int(time.time()) - 301)
    altered = await deliver(client, event, body=event_body(event).replace(b"canceled", b"active"))
    unsigned = await client.post("/webhooks/stripe", content=event_body(event))

    for response in (forged, stale, altered, unsigned):
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "invalid_signature"
    assert await recorded_events(db, merchant.tenant_id) == events_before
    row = await billing_row(db, merchant.tenant_id)
    assert row is not None and row.status == "active"
    assert (await billing(client, merchant))["plan"]["code"] == "starter"


async def test_the_same_event_twice_applies_once(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe, db: Database
) -> None:
    response = await client.post(
        "/v1/billing/checkout", json={"plan": "growth"}, headers=merchant.headers
    )
    session_id = response.json()["url"].rsplit("/", 1)[-1]
    first = len(fake_stripe.events)
    fake_stripe.complete_checkout(session_id)
    created = next(e for e in fake_stripe.events[first:] if e["type"].endswith(".created"))

    assert (await deliver(client, created)).json() == {"status": "processed"}
    assert (await deliver(client, created)).json() == {"status": "duplicate"}
    assert await recorded_events(db, merchant.tenant_id) == 1
    changes = await audit_actions(db, merchant.tenant_id)
    assert [(c["action"], c["from"], c["to"], c["actor"]) for c in changes] == [
        ("billing.plan_changed", "free", "growth", "stripe")
    ]


async def test_updated_before_created_ends_on_the_plan_stripe_holds(
    client: httpx.AsyncClient,
    merchant: Merchant,
    fake_stripe: FakeStripe,
    stripe_prices: dict[str, str],
) -> None:
    response = await client.post(
        "/v1/billing/checkout", json={"plan": "starter"}, headers=merchant.headers
    )
    first = len(fake_stripe.events)
    sub = fake_stripe.complete_checkout(response.json()["url"].rsplit("/", 1)[-1])
    fake_stripe.set_subscription(sub["id"], price=stripe_prices["scale"])
    created = fake_stripe.events_of("customer.subscription.created")[-1]
    updated = fake_stripe.events_of("customer.subscription.updated")[-1]
    # `created` carries Starter; it arrives last and must not undo the change to Scale.
    assert await deliver_all(client, [updated, created]) == ["processed", "processed"]
    body = await billing(client, merchant)
    assert body["plan"]["code"] == "scale" and body["status"] == "active"
    assert len(fake_stripe.events) > first


async def test_payment_failed_after_a_later_paid_ends_active_on_the_paid_plan(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe, db: Database
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "growth")
    failed = fake_stripe.fail_payment(sub["id"])
    paid = fake_stripe.pay_invoice(sub["id"])
    assert await deliver_all(client, [paid, failed]) == ["processed", "processed"]
    body = await billing(client, merchant)
    assert (body["plan"]["code"], body["status"], body["grace_until"]) == (
        "growth",
        "active",
        None,
    )
    row = await billing_row(db, merchant.tenant_id)
    assert row is not None and row.grace_until is None


async def test_a_failed_payment_keeps_the_plan_for_the_grace_period(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "growth")
    first = len(fake_stripe.events)
    fake_stripe.fail_payment(sub["id"])
    await deliver_all(client, fake_stripe.events[first:])
    body = await billing(client, merchant)
    assert body["status"] == "past_due" and body["plan"]["code"] == "growth"
    assert body["grace_until"] is not None
    grace_days = (
        time.mktime(time.strptime(body["grace_until"][:19], "%Y-%m-%dT%H:%M:%S")) - time.time()
    ) / 86400
    assert 6.9 < grace_days < 7.1
    # The charge is retried and fails again: the grace period does not start over.
    again = fake_stripe.fail_payment(sub["id"])
    await deliver(client, again)
    assert (await billing(client, merchant))["grace_until"] == body["grace_until"]


async def test_a_deleted_subscription_falls_to_free_and_suspends_what_is_over(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe, db: Database
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "growth")
    for name in ("Second", "Third"):
        made = await client.post("/v1/bots", json={"name": name}, headers=merchant.headers)
        assert made.status_code == 201, made.text
    deleted = fake_stripe.delete_subscription(sub["id"])
    assert (await deliver(client, deleted)).json() == {"status": "processed"}
    body = await billing(client, merchant)
    assert (body["plan"]["code"], body["status"]) == ("free", "canceled")
    assert body["usage"]["bots"] == 1
    bots = (await client.get("/v1/bots", headers=merchant.headers)).json()["items"]
    assert len(bots) == 3  # suspended, never deleted
    change = (await audit_actions(db, merchant.tenant_id))[-1]
    assert (change["from"], change["to"]) == ("growth", "free")
    assert len(change["suspended"]["bots"]) == 2


async def test_events_for_no_tenant_of_ours_are_ignored(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe
) -> None:
    # A customer of the same Stripe account made elsewhere (another app, the dashboard).
    stranger = fake_stripe.create_customer({"email": "x@elsewhere.example"}, AUTOMATIC)
    gone = {"id": "sub_elsewhere", "object": "subscription", "customer": stranger["id"]}
    event = fake_stripe.emit("customer.subscription.deleted", gone, AUTOMATIC)
    assert (await deliver(client, event)).json() == {"status": "ignored"}
    assert (await billing(client, merchant))["plan"]["code"] == "free"
