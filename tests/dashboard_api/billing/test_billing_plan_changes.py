"""Changing plans once subscribed: the portal confirms a new price or a cancellation, an
older observation never overwrites a newer one, a downgrade suspends and an upgrade resumes,
a grace period that ran out brings Free's limits (on read and from the periodic sweep), and
invoices page through Stripe's list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from core.db.database import Database
from core.models.billing import Subscription
from dashboard_api.billing.apply import SubscriptionState, apply_subscription
from dashboard_api.billing.gateway import StripeGateway
from dashboard_api.billing.tasks import sweep_expired_grace
from emulators.stripe import FakeStripe
from tests.dashboard_api.billing.harness import (
    audit_actions,
    billing,
    deliver,
    deliver_all,
    subscribe,
)
from tests.dashboard_api.harness import PUBLIC_API_URL, Merchant

GRACE = timedelta(days=7)


def _portal_session(fake: FakeStripe, url: str) -> dict:
    return fake.portal_sessions[url.rsplit("/", 1)[-1]]


async def test_a_subscriber_changes_plan_in_the_portal(
    client: httpx.AsyncClient,
    merchant: Merchant,
    fake_stripe: FakeStripe,
    stripe_prices: dict[str, str],
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "starter")
    response = await client.post(
        "/v1/billing/checkout", json={"plan": "scale"}, headers=merchant.headers
    )
    assert response.status_code == 200, response.text
    flow = _portal_session(fake_stripe, response.json()["url"])["flow"]
    assert flow["type"] == "subscription_update_confirm"
    confirm = flow["subscription_update_confirm"]
    assert confirm["subscription"] == sub["id"]
    assert [item["price"] for item in confirm["items"]] == [stripe_prices["scale"]]
    assert len(fake_stripe.checkout_sessions) == 1  # no second subscription

    same = await client.post(
        "/v1/billing/checkout", json={"plan": "starter"}, headers=merchant.headers
    )
    assert same.status_code == 409 and same.json()["code"] == "already_on_plan"

    # The merchant confirms in the portal; Stripe tells us.
    event = fake_stripe.set_subscription(sub["id"], price=stripe_prices["scale"])
    await deliver(client, event)
    assert (await billing(client, merchant))["plan"]["code"] == "scale"


async def test_choosing_free_opens_the_cancellation_and_the_portal_opens(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "growth")
    cancel = await client.post(
        "/v1/billing/checkout", json={"plan": "free"}, headers=merchant.headers
    )
    flow = _portal_session(fake_stripe, cancel.json()["url"])["flow"]
    assert flow["type"] == "subscription_cancel"
    assert flow["subscription_cancel"]["subscription"] == sub["id"]
    portal = await client.post("/v1/billing/portal", headers=merchant.headers)
    assert portal.status_code == 200
    session = _portal_session(fake_stripe, portal.json()["url"])
    assert session["customer"] == sub["customer"]
    # Stripe sends the browser back to the web app's billing page.
    assert session["return_url"] == f"{PUBLIC_API_URL}/app/billing"


async def test_an_older_observation_never_overwrites_a_newer_one(
    db: Database, merchant: Merchant, stripe_prices: dict[str, str]
) -> None:
    now = datetime.now(UTC)

    def state(price: str, status: str, observed: datetime) -> SubscriptionState:
        return SubscriptionState("sub_1", "cus_1", status, price, now, now + GRACE, False, observed)

    async with db.tenant_session(merchant.tenant_id) as session:
        newer = state(stripe_prices["growth"], "active", now)
        assert (await apply_subscription(session, merchant.tenant_id, newer, grace=GRACE)).applied
        older = state(stripe_prices["starter"], "past_due", now - timedelta(seconds=5))
        late = await apply_subscription(session, merchant.tenant_id, older, grace=GRACE)
        assert not late.applied
        # A subscription that ended does not replace the one the tenant has now.
        ended = SubscriptionState(
            "sub_old", "cus_1", "canceled", None, None, None, False, now + timedelta(seconds=5)
        )
        assert not (
            await apply_subscription(session, merchant.tenant_id, ended, grace=GRACE)
        ).applied


async def test_a_downgrade_suspends_and_an_upgrade_resumes(
    client: httpx.AsyncClient,
    merchant: Merchant,
    fake_stripe: FakeStripe,
    stripe_prices: dict[str, str],
    db: Database,
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "growth")
    for name in ("Second", "Third"):
        assert (
            await client.post("/v1/bots", json={"name": name}, headers=merchant.headers)
        ).is_success
    await deliver(client, fake_stripe.set_subscription(sub["id"], price=stripe_prices["starter"]))
    assert (await billing(client, merchant))["usage"]["bots"] == 2
    await deliver(client, fake_stripe.set_subscription(sub["id"], price=stripe_prices["growth"]))
    assert (await billing(client, merchant))["usage"]["bots"] == 3
    changes = await audit_actions(db, merchant.tenant_id)
    assert [(c["from"], c["to"]) for c in changes] == [
        ("free", "growth"),
        ("growth", "starter"),
        ("starter", "growth"),
    ]
    suspended, resumed = changes[1]["suspended"]["bots"], changes[2]["resumed"]["bots"]
    assert len(suspended) == 1 and resumed == suspended


async def test_a_grace_period_that_ran_out_brings_free_limits(
    client: httpx.AsyncClient,
    merchant: Merchant,
    fake_stripe: FakeStripe,
    gateway: StripeGateway,
    db: Database,
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "growth")
    assert (
        await client.post("/v1/bots", json={"name": "Second"}, headers=merchant.headers)
    ).is_success
    first = len(fake_stripe.events)
    fake_stripe.fail_payment(sub["id"])
    await deliver_all(client, fake_stripe.events[first:])
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(
            update(Subscription)
            .where(Subscription.tenant_id == merchant.tenant_id)
            .values(grace_until=datetime.now(UTC) - timedelta(minutes=1))
        )
    # The periodic sweep finds the tenant through Stripe's list of past-due subscriptions.
    assert await sweep_expired_grace(db, gateway) == 1
    body = await billing(client, merchant)
    assert (body["plan"]["code"], body["status"]) == ("free", "past_due")
    assert body["subscribed_plan"]["code"] == "growth"
    assert body["usage"]["bots"] == 1
    last = (await audit_actions(db, merchant.tenant_id))[-1]
    assert (last["reason"], last["from"], last["to"]) == ("grace_period_ended", "growth", "free")
    # Paying brings the plan and the suspended bot back.
    await deliver_all(client, [fake_stripe.pay_invoice(sub["id"])])
    body = await billing(client, merchant)
    assert (body["plan"]["code"], body["status"], body["usage"]["bots"]) == ("growth", "active", 2)


async def test_invoices_page_through_stripe(
    client: httpx.AsyncClient, merchant: Merchant, fake_stripe: FakeStripe
) -> None:
    sub = await subscribe(client, merchant, fake_stripe, "starter")
    for _ in range(2):
        fake_stripe.renew_subscription(sub["id"])
    first = await client.get("/v1/billing/invoices?limit=2", headers=merchant.headers)
    page = first.json()
    assert len(page["items"]) == 2 and page["next_cursor"] == page["items"][-1]["id"]
    assert page["items"][0]["amount_paid"] == 1900 and page["items"][0]["status"] == "paid"
    assert page["items"][0]["period"]["end"] is not None
    rest = await client.get(
        f"/v1/billing/invoices?limit=2&cursor={page['next_cursor']}", headers=merchant.headers
    )
    assert len(rest.json()["items"]) == 1 and rest.json()["next_cursor"] is None
    ids = [i["id"] for i in page["items"] + rest.json()["items"]]
    assert len(set(ids)) == 3
    forged = await client.get("/v1/billing/invoices?cursor=sub_1'--", headers=merchant.headers)
    assert forged.status_code == 422
