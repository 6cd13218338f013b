"""The emulator's wc/v3 orders as WooCommerce serves them, read through the real client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from emulators.catalog import generate_catalog
from ingestion.woocommerce import RetryPolicy, WooClient
from tests.support.woo_store import FakeWooStore


@pytest.fixture(scope="module")
def store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(30, seed=11), assume_https=True, seed=4) as running:
        yield running


def _client(store: FakeWooStore) -> WooClient:
    return WooClient(
        store.url,
        store.consumer_key,
        store.consumer_secret,
        retry=RetryPolicy(max_attempts=1),
        outbound=store.outbound_policy,
        auth="basic",
        allow_plaintext_credentials=True,  # the fake assumes TLS in front of it
    )


def _basic(store: FakeWooStore) -> httpx.BasicAuth:
    return httpx.BasicAuth(store.consumer_key, store.consumer_secret)


def test_orders_are_seeded_deterministically_over_the_catalogue() -> None:
    first = FakeWooStore(generate_catalog(30, seed=11), seed=4).orders()
    again = FakeWooStore(generate_catalog(30, seed=11), seed=4).orders()
    other = FakeWooStore(generate_catalog(30, seed=11), seed=5).orders()
    assert first == again and first != other
    names = {p["name"] for p in generate_catalog(30, seed=11).products}
    assert all(item["name"] in names for o in first for item in o["line_items"])
    assert {o["status"] for o in first} >= {"processing", "completed", "cancelled"}


def test_the_order_routes_speak_woocommerces_shapes(store: FakeWooStore) -> None:
    order = store.orders()[3]
    with httpx.Client(base_url=f"{store.url}/wp-json/wc/v3", auth=_basic(store)) as http:
        one = http.get(f"/orders/{order['id']}")
        assert one.status_code == 200 and one.json()["number"] == str(order["id"])
        assert one.json()["billing"]["email"] == order["billing"]["email"]

        missing = http.get("/orders/999999")
        assert missing.status_code == 404
        assert missing.json() == {
            "code": "woocommerce_rest_shop_order_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 404},
        }

        page = http.get("/orders", params={"per_page": 7, "page": 2})
        assert page.headers["X-WP-Total"] == "40" and page.headers["X-WP-TotalPages"] == "6"
        assert len(page.json()) == 7

        found = http.get("/orders", params={"search": order["billing"]["email"]})
        assert [o["id"] for o in found.json()] == [order["id"]]

        notes = http.get(f"/orders/{order['id']}/notes").json()
        customer = http.get(f"/orders/{order['id']}/notes", params={"type": "customer"}).json()
        assert order["status"] == "completed"
        assert any(not n["customer_note"] for n in notes)
        assert customer and all(n["customer_note"] for n in customer)
        assert "Tracking number" in customer[0]["note"]

        no_notes = http.get("/orders/999999/notes")
        assert no_notes.json()["code"] == "woocommerce_rest_shop_order_invalid_id"
        assert http.get("/orders").status_code == 200
    with httpx.Client(base_url=f"{store.url}/wp-json/wc/v3") as anonymous:
        assert anonymous.get(f"/orders/{order['id']}").status_code == 401


async def test_the_client_reads_an_order_and_only_its_customer_notes(store: FakeWooStore) -> None:
    order = store.orders()[3]
    async with _client(store) as client:
        read = await client.orders.order_by_number(str(order["id"]))
        assert read is not None and read["id"] == order["id"]
        assert await client.orders.order_by_number("999999") is None
        assert await client.orders.order_by_number("12ab") is None
        notes = await client.orders.customer_notes(order["id"])
    assert notes and all(n["customer_note"] for n in notes)
    assert all("Payment received" not in n["note"] for n in notes)
