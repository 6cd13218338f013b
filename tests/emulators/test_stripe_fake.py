"""The Stripe emulator must speak Stripe's wire format to the real `stripe` library, or the
billing tests that use it prove nothing: every call here goes through the library (the
default sync client, and `HTTPXClient` for the `*_async` methods our server code uses)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import stripe

from emulators.stripe import FakeStripe, parse_stripe_form


def _client(fake: FakeStripe, *, retries: int = 0, key: str | None = None) -> stripe.StripeClient:
    return stripe.StripeClient(
        key or fake.api_key, base_addresses={"api": fake.url}, max_network_retries=retries
    )


def _wire(obj: stripe.StripeObject) -> dict[str, Any]:
    """The object as the JSON it came from (the library's types follow the newest API
    version and mark most fields optional)."""
    return obj.to_dict()


def _error(raised: pytest.ExceptionInfo[stripe.StripeError]) -> dict[str, Any]:
    body = raised.value.json_body
    assert isinstance(body, dict)
    error = body["error"]
    assert isinstance(error, dict)
    return error


def _headers(obj: stripe.StripeObject) -> Any:
    assert obj.last_response is not None
    return obj.last_response


def _async_client(fake: FakeStripe, *, retries: int = 0) -> stripe.StripeClient:
    return stripe.StripeClient(
        fake.api_key,
        base_addresses={"api": fake.url},
        http_client=stripe.HTTPXClient(),
        max_network_retries=retries,
    )


def _plan_price(client: stripe.StripeClient, amount: int = 2900, key: str = "pro") -> Any:
    return client.v1.prices.create(
        params={
            "unit_amount": amount,
            "currency": "eur",
            "recurring": {"interval": "month"},
            "lookup_key": key,
            "product_data": {"name": key.title()},
            "metadata": {"plan": key},
        }
    )


def _checkout(client: stripe.StripeClient, customer: str, price: str) -> Any:
    return client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer,
            "line_items": [{"price": price, "quantity": 1}],
            "success_url": "https://app.example/billing?session={CHECKOUT_SESSION_ID}",
            "cancel_url": "https://app.example/billing",
            "client_reference_id": "tenant-1",
            "metadata": {"tenant_id": "tenant-1"},
            "subscription_data": {"metadata": {"tenant_id": "tenant-1"}},
        }
    )


def test_the_bracket_encoding_parses_into_nested_dicts_and_lists() -> None:
    raw = (
        "line_items[0][price]=price_a&line_items[0][quantity]=2&line_items[1][price]=price_b"
        "&metadata[tenant_id]=t1&expand[]=customer&expand[]=subscription&email=a%40b.c"
    )
    assert parse_stripe_form(raw) == {
        "line_items": [{"price": "price_a", "quantity": "2"}, {"price": "price_b"}],
        "metadata": {"tenant_id": "t1"},
        "expand": ["customer", "subscription"],
        "email": "a@b.c",
    }


def test_customer_checkout_and_the_subscription_it_makes(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe)
    customer = client.v1.customers.create(
        params={"email": "owner@shop.example", "metadata": {"tenant_id": "tenant-1"}}
    )
    assert customer.id.startswith("cus_") and customer.object == "customer"
    updated = client.v1.customers.update(customer.id, params={"name": "Shop Ltd"})
    assert updated.name == "Shop Ltd" and _wire(updated)["metadata"]["tenant_id"] == "tenant-1"
    price = _plan_price(client)
    assert price.id.startswith("price_") and price.recurring.interval == "month"
    assert client.v1.prices.retrieve(price.id).lookup_key == "pro"

    session = _checkout(client, customer.id, price.id)
    assert session.id.startswith("cs_") and session.object == "checkout.session"
    assert session.url == f"{fake_stripe.url}/checkout/{session.id}"
    assert session.status == "open" and session.subscription is None

    made = fake_stripe.complete_checkout(session.id)
    sub = client.v1.subscriptions.retrieve(made["id"], params={"expand": ["latest_invoice"]})
    assert sub.id.startswith("sub_") and sub.object == "subscription"
    assert (sub.customer, sub.status, sub.metadata["tenant_id"]) == (
        customer.id,
        "active",
        "tenant-1",
    )
    item = sub["items"]["data"][0]
    assert item.id.startswith("si_") and item.price.id == price.id and item.quantity == 1
    # Newer API versions keep the period on the items; the fake keeps it on both.
    period = _wire(sub)["current_period_start"], _wire(sub)["current_period_end"]
    assert (item.current_period_start, item.current_period_end) == period
    assert period[1] - period[0] == 30 * 24 * 3600
    invoice = _wire(sub)["latest_invoice"]
    assert invoice["id"].startswith("in_") and invoice["status"] == "paid"
    assert invoice["amount_paid"] == 2900

    done = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["line_items"]})
    assert (done.status, done.payment_status, done.subscription) == ("complete", "paid", sub.id)
    assert _wire(done)["line_items"]["data"][0]["price"]["id"] == price.id
    after_checkout = [e["type"] for e in fake_stripe.events][-3:]
    assert after_checkout == [
        "checkout.session.completed",
        "customer.subscription.created",
        "invoice.paid",
    ]


async def test_the_async_methods_work_over_httpx(fake_stripe: FakeStripe) -> None:
    client = _async_client(fake_stripe)
    customer = await client.v1.customers.create_async(params={"email": "a@shop.example"})
    price = await client.v1.prices.create_async(
        params={
            "unit_amount": 900,
            "currency": "usd",
            "recurring": {"interval": "month"},
            "product_data": {"name": "Starter"},
        }
    )
    session = await client.v1.checkout.sessions.create_async(
        params={
            "mode": "subscription",
            "customer": customer.id,
            "line_items": [{"price": price.id, "quantity": 1}],
            "success_url": "https://app.example/ok",
        }
    )
    sub = fake_stripe.complete_checkout(session.id)
    listed = await client.v1.subscriptions.list_async(params={"customer": customer.id})
    assert [s.id for s in listed.data] == [sub["id"]]
    invoices = await client.v1.invoices.list_async(params={"customer": customer.id, "limit": 5})
    assert len(invoices.data) == 1 and invoices.data[0].status == "paid"
    retrieved = await client.v1.invoices.retrieve_async(invoices.data[0].id)
    assert _wire(retrieved)["parent"]["subscription_details"]["subscription"] == sub["id"]
    canceled = await client.v1.subscriptions.cancel_async(sub["id"])
    assert canceled.status == "canceled" and canceled.canceled_at is not None
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await client.v1.customers.retrieve_async("cus_missing")
    assert missing.value.http_status == 404


def test_a_portal_session_with_a_confirm_flow(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe)
    customer = client.v1.customers.create(params={"email": "a@shop.example"})
    pro, team = _plan_price(client, 2900, "pro"), _plan_price(client, 9900, "team")
    sub = fake_stripe.complete_checkout(_checkout(client, customer.id, pro.id).id)
    item_id = sub["items"]["data"][0]["id"]
    portal = client.v1.billing_portal.sessions.create(
        params={
            "customer": customer.id,
            "return_url": "https://app.example/billing",
            "flow_data": {
                "type": "subscription_update_confirm",
                "subscription_update_confirm": {
                    "subscription": sub["id"],
                    "items": [{"id": item_id, "price": team.id, "quantity": 1}],
                },
            },
        }
    )
    assert portal.id.startswith("bps_") and portal.object == "billing_portal.session"
    assert portal.url == f"{fake_stripe.url}/billing_portal/{portal.id}"
    confirm = _wire(portal)["flow"]["subscription_update_confirm"]
    assert confirm["subscription"] == sub["id"] and confirm["items"][0]["price"] == team.id

    # The customer confirms on the portal page: the subscription moves to the new price.
    page = httpx.post(f"{portal.url}/confirm", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "https://app.example/billing"
    moved = client.v1.subscriptions.retrieve(sub["id"])
    assert moved["items"]["data"][0].price.id == team.id
    updated = fake_stripe.events_of("customer.subscription.updated")[-1]
    assert updated["data"]["previous_attributes"]["items"]["data"][0]["price"]["id"] == pro.id

    with pytest.raises(stripe.InvalidRequestError) as foreign:
        client.v1.billing_portal.sessions.create(
            params={
                "customer": customer.id,
                "flow_data": {
                    "type": "subscription_update_confirm",
                    "subscription_update_confirm": {
                        "subscription": sub["id"],
                        "items": [{"id": "si_not_on_it", "price": team.id}],
                    },
                },
            }
        )
    assert foreign.value.http_status == 400
    assert foreign.value.param == "flow_data[subscription_update_confirm][items][0][id]"


def test_subscription_updates_over_the_api_and_their_event(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe)
    customer = client.v1.customers.create(params={"email": "a@shop.example"})
    pro, team = _plan_price(client, 2900, "pro"), _plan_price(client, 9900, "team")
    sub = fake_stripe.complete_checkout(_checkout(client, customer.id, pro.id).id)
    updated = client.v1.subscriptions.update(
        sub["id"],
        params={
            "items": [{"id": sub["items"]["data"][0]["id"], "price": team.id}],
            "proration_behavior": "create_prorations",
            "cancel_at_period_end": True,
            "metadata": {"plan": "team"},
        },
        options={"idempotency_key": "plan-change-1"},
    )
    assert updated["items"]["data"][0].price.id == team.id
    assert updated.cancel_at_period_end is True and updated.cancel_at == sub["current_period_end"]
    assert updated.metadata.to_dict() == {"tenant_id": "tenant-1", "plan": "team"}
    event = fake_stripe.events[-1]
    assert event["type"] == "customer.subscription.updated"
    assert event["request"]["idempotency_key"] == "plan-change-1"
    assert event["request"]["id"].startswith("req_")
    assert event["data"]["previous_attributes"]["cancel_at_period_end"] is False
    assert event["data"]["previous_attributes"]["metadata"] == {"tenant_id": "tenant-1"}
    with pytest.raises(stripe.InvalidRequestError) as unknown_price:
        client.v1.subscriptions.update(
            sub["id"], params={"items": [{"id": updated["items"]["data"][0].id, "price": "x"}]}
        )
    assert unknown_price.value.code == "resource_missing"
    assert unknown_price.value.param == "items[0][price]"


def test_an_idempotency_key_replays_and_refuses_other_params(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe)
    first = client.v1.customers.create(
        params={"email": "a@shop.example"}, options={"idempotency_key": "signup-1"}
    )
    again = client.v1.customers.create(
        params={"email": "a@shop.example"}, options={"idempotency_key": "signup-1"}
    )
    assert again.id == first.id and len(fake_stripe.customers) == 1
    assert _headers(again).headers["Idempotent-Replayed"] == "true"
    assert _headers(again).request_id == _headers(first).request_id
    assert [r.replayed for r in fake_stripe.requests] == [False, True]

    with pytest.raises(stripe.IdempotencyError) as mismatch:
        client.v1.customers.create(
            params={"email": "b@shop.example"}, options={"idempotency_key": "signup-1"}
        )
    assert mismatch.value.http_status == 400
    assert _error(mismatch)["type"] == "idempotency_error"
    assert len(fake_stripe.customers) == 1


def test_unknown_ids_and_bad_keys_get_stripes_error_shapes(fake_stripe: FakeStripe) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        _client(fake_stripe).v1.subscriptions.retrieve("sub_nope")
    assert missing.value.http_status == 404 and missing.value.code == "resource_missing"
    error = _error(missing)
    assert error["type"] == "invalid_request_error" and error["param"] == "id"
    assert error["message"] == "No such subscription: 'sub_nope'"

    with pytest.raises(stripe.AuthenticationError) as unauthorised:
        _client(fake_stripe, key="sk_test_wrong_key_1234").v1.customers.create(params={})
    assert unauthorised.value.http_status == 401
    body = _error(unauthorised)
    assert body["type"] == "invalid_request_error"
    assert (
        body["message"].startswith("Invalid API Key provided: sk_test_")
        and "1234" in body["message"]
    )
    assert fake_stripe.customers == {} and fake_stripe.requests[-1].status == 401


def test_lists_page_with_limit_and_starting_after(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe)
    made = [_plan_price(client, 100 * n, f"plan-{n}").id for n in range(5)]
    first = client.v1.prices.list(params={"limit": 2})
    assert [p.id for p in first.data] == made[::-1][:2] and first.has_more is True
    assert _wire(first)["url"] == "/v1/prices" and _wire(first)["object"] == "list"
    second = client.v1.prices.list(params={"limit": 2, "starting_after": first.data[-1].id})
    assert [p.id for p in second.data] == made[::-1][2:4]
    assert [p.id for p in first.auto_paging_iter()] == made[::-1]
    by_key = client.v1.prices.list(params={"lookup_keys": ["plan-3"]})
    assert [p.id for p in by_key.data] == [made[3]] and by_key.has_more is False


def test_the_checkout_page_pays_and_returns_to_the_success_url(fake_stripe: FakeStripe) -> None:
    client = _client(fake_stripe)
    customer = client.v1.customers.create(params={})
    session = _checkout(client, customer.id, _plan_price(client).id)
    assert session.url is not None and "Subscribe" in httpx.get(session.url).text
    paid = httpx.post(f"{session.url}/pay", follow_redirects=False)
    assert paid.status_code == 303
    assert paid.headers["location"] == f"https://app.example/billing?session={session.id}"
    assert client.v1.checkout.sessions.retrieve(session.id).status == "complete"
    assert len(fake_stripe.events_of("customer.subscription.created")) == 1
