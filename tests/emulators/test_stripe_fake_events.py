"""The Stripe emulator's scripted side: the events its scenarios queue, their signatures as
the real `stripe.Webhook` verifies them, delivery over HTTP, and injected faults as the
real library raises them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from emulators.server import BackgroundServer
from emulators.stripe import DEFAULT_WEBHOOK_SECRET, FakeStripe, Fault, event_body

SECRET = DEFAULT_WEBHOOK_SECRET


def _client(fake: FakeStripe, *, retries: int = 0, async_: bool = False) -> stripe.StripeClient:
    return stripe.StripeClient(
        fake.api_key,
        base_addresses={"api": fake.url},
        max_network_retries=retries,
        http_client=stripe.HTTPXClient() if async_ else None,
    )


def _error_body(error: stripe.StripeError) -> dict[str, Any]:
    body = error.json_body
    assert isinstance(body, dict) and isinstance(body["error"], dict)
    return body["error"]


def _subscribed(fake: FakeStripe) -> dict[str, Any]:
    client = _client(fake)
    customer = client.v1.customers.create(params={"email": "a@shop.example"})
    price = client.v1.prices.create(
        params={
            "unit_amount": 2900,
            "currency": "eur",
            "recurring": {"interval": "month"},
            "product_data": {"name": "Pro"},
        }
    )
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer.id,
            "line_items": [{"price": price.id, "quantity": 1}],
            "success_url": "https://app.example/ok",
        }
    )
    return fake.complete_checkout(session.id)


def test_events_are_snapshots_in_stripes_event_shape(fake_stripe: FakeStripe) -> None:
    sub = _subscribed(fake_stripe)
    created = fake_stripe.events_of("customer.subscription.created")[0]
    assert created["id"].startswith("evt_") and created["object"] == "event"
    assert created["api_version"] == fake_stripe.api_version and created["livemode"] is False
    assert created["request"] == {"id": None, "idempotency_key": None}
    assert isinstance(created["created"], int) and created["pending_webhooks"] == 1
    assert created["data"]["object"]["id"] == sub["id"]

    changed = fake_stripe.set_subscription(sub["id"], cancel_at_period_end=True)
    assert changed["type"] == "customer.subscription.updated"
    assert changed["data"]["previous_attributes"] == {
        "cancel_at_period_end": False,
        "cancel_at": None,
    }
    # The earlier event kept the object as it was when it happened.
    assert created["data"]["object"]["cancel_at_period_end"] is False
    assert fake_stripe.events[-1]["data"]["object"]["cancel_at_period_end"] is True


def test_failed_payment_recovery_and_the_end_of_a_subscription(fake_stripe: FakeStripe) -> None:
    sub = _subscribed(fake_stripe)
    client = _client(fake_stripe)
    failed = fake_stripe.fail_payment(sub["id"])
    assert failed["type"] == "invoice.payment_failed"
    assert failed["data"]["object"]["status"] == "open"
    past_due = client.v1.subscriptions.retrieve(sub["id"])
    assert (
        past_due.status == "past_due" and past_due.latest_invoice == failed["data"]["object"]["id"]
    )

    paid = fake_stripe.pay_invoice(sub["id"])
    assert paid["type"] == "invoice.paid" and paid["data"]["object"]["status"] == "paid"
    assert client.v1.subscriptions.retrieve(sub["id"]).status == "active"
    assert fake_stripe.events[-1]["data"]["previous_attributes"] == {"status": "past_due"}

    renewed = fake_stripe.renew_subscription(sub["id"])
    assert renewed["data"]["object"]["billing_reason"] == "subscription_cycle"
    moved = client.v1.subscriptions.retrieve(sub["id"])
    assert moved.to_dict()["current_period_start"] == sub["current_period_end"]

    deleted = fake_stripe.delete_subscription(sub["id"])
    assert deleted["type"] == "customer.subscription.deleted"
    assert deleted["data"]["object"]["status"] == "canceled"
    assert client.v1.subscriptions.list(params={"customer": sub["customer"]}).data == []
    every = client.v1.subscriptions.list(params={"customer": sub["customer"], "status": "all"})
    assert [s.status for s in every.data] == ["canceled"]
    invoices = client.v1.invoices.list(params={"customer": sub["customer"], "limit": 2})
    assert len(invoices.data) == 2 and invoices.has_more is True


def test_signatures_verify_with_the_real_library(fake_stripe: FakeStripe) -> None:
    _subscribed(fake_stripe)
    event = fake_stripe.events[-1]
    body = event_body(event)
    header = fake_stripe.sign(body, SECRET)
    verified = stripe.Webhook.construct_event(body, header, SECRET, tolerance=300)
    assert verified.id == event["id"] and verified.type == "invoice.paid"

    tampered = body.replace(b'"paid"', b'"void"', 1)
    assert tampered != body
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(tampered, header, SECRET, tolerance=300)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, header, "whsec_someone_else", tolerance=300)
    stale = fake_stripe.sign(body, SECRET, timestamp=int(time.time()) - 301)
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance"):
        stripe.Webhook.construct_event(body, stale, SECRET, tolerance=300)


@pytest.fixture(scope="module")
def webhook_endpoint() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A receiver that verifies like a platform's `/webhooks/stripe` would."""
    received: list[dict[str, Any]] = []

    async def receive(request: Request) -> JSONResponse:
        payload = await request.body()
        try:
            event = stripe.Webhook.construct_event(
                payload, request.headers.get("stripe-signature"), SECRET, tolerance=300
            )
        except stripe.SignatureVerificationError:
            return JSONResponse({"error": "bad signature"}, 400)
        received.append(json.loads(payload))
        return JSONResponse({"received": event.id})

    server = BackgroundServer(Starlette(routes=[Route("/hook", receive, methods=["POST"])]))
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}/hook", received
    finally:
        server.stop()


def test_deliver_posts_a_signed_event(
    fake_stripe: FakeStripe, webhook_endpoint: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = webhook_endpoint
    received.clear()
    _subscribed(fake_stripe)
    event = fake_stripe.events_of("checkout.session.completed")[0]
    response = fake_stripe.deliver(event, url, SECRET)
    assert response.status_code == 200 and response.json() == {"received": event["id"]}
    assert received == [event]
    old = fake_stripe.deliver(event, url, SECRET, timestamp=int(time.time()) - 3600)
    forged = fake_stripe.deliver(event, url, "whsec_forger")
    assert (old.status_code, forged.status_code, len(received)) == (400, 400, 1)


def test_injected_faults_raise_the_librarys_errors(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe)
    fake_stripe.inject(Fault("api_error"))
    with pytest.raises(stripe.APIError) as server_error:
        client.v1.customers.create(params={"email": "a@shop.example"})
    assert server_error.value.http_status == 500
    assert _error_body(server_error.value)["type"] == "api_error"
    fake_stripe.inject("rate_limit")
    with pytest.raises(stripe.RateLimitError) as limited:
        client.v1.customers.create(params={"email": "a@shop.example"})
    # RateLimitError does not copy `code` onto itself; the body carries it.
    assert limited.value.http_status == 429
    assert _error_body(limited.value)["code"] == "rate_limit"
    fake_stripe.inject(Fault("disconnect", path="^/v1/customers$"))
    with pytest.raises(stripe.APIConnectionError):
        client.v1.customers.create(params={"email": "a@shop.example"})
    assert fake_stripe.customers == {} and fake_stripe.faults == []
    assert [r.status for r in fake_stripe.requests] == [500, 429, 200]


def test_a_retried_500_reuses_its_idempotency_key_and_creates_once(
    fake_stripe: FakeStripe,
) -> None:
    fake_stripe.inject(Fault("api_error"))
    customer = _client(fake_stripe, retries=2).v1.customers.create(params={"email": "a@b.c"})
    assert len(fake_stripe.customers) == 1 and customer.id in fake_stripe.customers
    first, retry = fake_stripe.requests
    assert (first.status, retry.status) == (500, 200)
    assert first.idempotency_key and first.idempotency_key == retry.idempotency_key
    fake_stripe.inject(Fault("api_error", should_retry=False))
    with pytest.raises(stripe.APIError):
        _client(fake_stripe, retries=2).v1.customers.create(params={"email": "a@b.c"})
    assert len(fake_stripe.requests) == 3


async def test_faults_reach_the_async_client_too(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe, async_=True)
    fake_stripe.inject("rate_limit", "api_error")
    with pytest.raises(stripe.RateLimitError):
        await client.v1.subscriptions.list_async(params={"customer": "cus_x"})
    with pytest.raises(stripe.APIError):
        await client.v1.invoices.list_async(params={"customer": "cus_x"})
    listed = await client.v1.invoices.list_async(params={"customer": "cus_x"})
    assert listed.data == [] and listed.has_more is False
