"""The fake store itself must speak WooCommerce's wire format, or the client tests prove nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

from emulators.catalog import SAMPLE_DIR, generate_catalog, load_sample_csv
from emulators.server import BackgroundServer
from emulators.woocommerce import build_webhook_delivery
from tests.support.woo_store import FakeWooStore

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce" / "examples"


@pytest.fixture(scope="module")
def store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(120, seed=11), assume_https=True) as running:
        yield running


def _get(store: FakeWooStore, route: str, **params: str | int) -> httpx.Response:
    return httpx.get(
        f"{store.url}/wp-json{route}",
        params=params,
        auth=(store.consumer_key, store.consumer_secret),
    )


def test_generated_products_have_every_field_of_the_docs_example(store: FakeWooStore) -> None:
    documented = json.loads((EXAMPLES / "product_retrieve_794.json").read_text())
    product = _get(store, "/wc/v3/products", per_page=1).json()[0]
    assert set(documented) <= set(product), set(documented) - set(product)
    variation_doc = json.loads((EXAMPLES / "product_variation_retrieve_response.json").read_text())
    variable = next(p for p in store.catalog.products if p["type"] == "variable")
    variation = _get(store, f"/wc/v3/products/{variable['id']}/variations").json()[0]
    assert set(variation_doc) <= set(variation)
    assert (
        "name" not in variation
    )  # the docs' variation object has no name: it must be joined to the parent


def test_catalogue_generation_is_deterministic_and_varied() -> None:
    first, again = generate_catalog(200, seed=5), generate_catalog(200, seed=5)
    assert first.products == again.products and first.variations == again.variations
    assert generate_catalog(200, seed=6).products != first.products
    products = first.products
    assert {p["type"] for p in products} == {"simple", "variable", "grouped", "external"}
    assert {"draft", "private", "pending", "publish"} <= {p["status"] for p in products}
    assert any(p["stock_status"] == "outofstock" for p in products)
    assert any(p["on_sale"] for p in products) and any(
        p["sale_price"] and not p["on_sale"] for p in products
    )
    assert len({p["name"] for p in products}) == len(products)
    assert len({p["description"] for p in products}) == len(products)
    assert any(any(ord(ch) > 127 for ch in p["name"]) for p in products)
    assert len({c["name"] for c in first.categories if c["parent"] == 0}) == 10


def test_per_page_over_100_is_the_real_wordpress_error(store: FakeWooStore) -> None:
    response = _get(store, "/wc/v3/products", per_page=101)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param"
    assert (
        body["data"]["params"]["per_page"]
        == "per_page must be between 1 (inclusive) and 100 (inclusive)"
    )
    assert body["data"]["details"]["per_page"]["code"] == "rest_out_of_bounds"


def test_paging_headers_and_link_carry_only_prev_and_next(store: FakeWooStore) -> None:
    response = _get(store, "/wc/v3/products", per_page=50, page=2, orderby="id", order="asc")
    assert response.headers["X-WP-Total"] == "120"
    assert response.headers["X-WP-TotalPages"] == "3"
    link = response.headers["Link"]
    assert 'rel="prev"' in link and 'rel="next"' in link and 'rel="last"' not in link
    assert "page=3" in link and "page=1" in link
    ids = [p["id"] for p in response.json()]
    assert ids == sorted(ids) and len(ids) == 50
    assert "\\/" in response.text  # wp_json_encode escapes slashes


def test_status_any_hides_trash_and_status_filter_finds_drafts(store: FakeWooStore) -> None:
    victim = next(p["id"] for p in store.catalog.products if p["status"] == "publish")
    store.trash_product(victim)
    listed = {p["id"] for p in _get(store, "/wc/v3/products", per_page=100, page=1).json()}
    listed |= {p["id"] for p in _get(store, "/wc/v3/products", per_page=100, page=2).json()}
    assert victim not in listed
    assert _get(store, f"/wc/v3/products/{victim}").json()["status"] == "trash"
    drafts = _get(store, "/wc/v3/products", status="draft", per_page=100).json()
    assert drafts and {p["status"] for p in drafts} == {"draft"}
    store.restore_product(victim)
    assert _get(store, f"/wc/v3/products/{victim}").json()["status"] == "draft"  # WP ≥ 5.6 untrash


def test_memoised_listings_follow_every_change_to_the_catalogue() -> None:
    """Listings are cached for speed; each merchant action must show in the very next page."""
    with FakeWooStore(generate_catalog(60, seed=4), assume_https=True) as own:

        def listed(**params: str | int) -> list[dict]:
            return _get(own, "/wc/v3/products", per_page=100, **params).json()

        def ids(**params: str | int) -> list[int]:
            return [p["id"] for p in listed(orderby="id", order="asc", **params)]

        def cache_every_listing_read_below() -> None:
            # A change that failed to invalidate them would then show as a stale answer.
            for shape in ({}, {"status": "trash"}, {"status": "draft"}):
                ids(**shape)
            listed(orderby="title", order="asc")
            listed(orderby="price", order="desc")

        before = ids(status="publish")
        assert ids(status="publish") == before  # served from the cache, unchanged
        cache_every_listing_read_below()
        own.trash_product(before[0])
        assert before[0] not in ids() and ids(status="trash") == [before[0]]
        cache_every_listing_read_below()
        own.restore_product(before[0])
        assert before[0] in ids(status="draft")
        cache_every_listing_read_below()
        own.delete_product(before[1])
        assert before[1] not in ids()
        cache_every_listing_read_below()
        added = own.add_product("Cache Test Mug", "9.00")
        assert ids()[-1] == added["id"]
        cache_every_listing_read_below()
        own.update_product(before[2], name="Aardvark Alpha Mug")
        assert listed(orderby="title", order="asc")[0]["name"] == "Aardvark Alpha Mug"
        cache_every_listing_read_below()
        own.set_price(before[3], "98765.00")
        assert listed(orderby="price", order="desc")[0]["price"] == "98765.00"


def test_unknown_route_and_unknown_product_errors(store: FakeWooStore) -> None:
    missing_route = _get(store, "/wc/v3/orders-ish")
    assert missing_route.status_code == 404 and missing_route.json()["code"] == "rest_no_route"
    missing = _get(store, "/wc/v3/products/999999")
    assert missing.json() == {
        "code": "woocommerce_rest_product_invalid_id",
        "message": "Invalid ID.",
        "data": {"status": 404},
    }


def test_basic_auth_is_ignored_without_https_exactly_like_woocommerce() -> None:
    with FakeWooStore(generate_catalog(5)) as plain:
        response = _get(plain, "/wc/v3/products")
    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_cannot_view"


def test_plain_permalinks_serve_the_api_only_under_rest_route() -> None:
    with FakeWooStore(generate_catalog(5), pretty_permalinks=False) as store:
        pretty = httpx.get(f"{store.url}/wp-json/")
        plain = httpx.get(f"{store.url}/", params={"rest_route": "/"})
    assert pretty.status_code == 404 and pretty.headers["content-type"].startswith("text/html")
    assert plain.status_code == 200 and "wc/v3" in plain.json()["namespaces"]


def test_sample_csv_loads_into_the_same_shape() -> None:
    catalog = load_sample_csv(SAMPLE_DIR / "sample_products.csv")
    by_name = {p["name"]: p for p in catalog.products}
    hoodie = by_name["Hoodie"]
    assert hoodie["type"] == "variable" and len(hoodie["variations"]) == 4
    assert hoodie["price"] == "42.00"  # the cheapest variation, on sale
    assert [a["name"] for a in hoodie["attributes"]] == ["Color", "Logo"]
    assert (
        by_name["Beanie"]["regular_price"] == "20.00" and by_name["Beanie"]["sale_price"] == "18.00"
    )
    assert by_name["Logo Collection"]["grouped_products"]
    assert by_name["WordPress Pennant"]["external_url"].startswith("https://")
    assert by_name["Album"]["downloadable"] and by_name["Album"]["virtual"]
    assert hoodie["description"].startswith("<p>") and hoodie["categories"][0]["name"] == "Hoodies"


class _Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[dict[str, str], bytes]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        self.seen.append((dict(request.headers), await request.body()))
        await PlainTextResponse("ok")(scope, receive, send)


def test_webhook_delivery_is_signed_over_the_raw_body() -> None:
    recorder = _Recorder()
    receiver = BackgroundServer(recorder)
    receiver.start()
    try:
        url = f"http://127.0.0.1:{receiver.port}/webhooks/woocommerce/1"
        delivery = build_webhook_delivery(
            url,
            topic="product.updated",
            payload={"id": 7, "name": "Ærø Tent / 2p"},
            secret="s3cret",
            webhook_id=42,
        )
        assert delivery.send().status_code == 200
    finally:
        receiver.stop()
    headers, body = recorder.seen[0]
    expected = base64.b64encode(hmac.new(b"s3cret", body, hashlib.sha256).digest()).decode()
    assert headers["x-wc-webhook-signature"] == expected
    assert headers["x-wc-webhook-topic"] == "product.updated"
    assert (
        headers["x-wc-webhook-resource"] == "product" and headers["x-wc-webhook-event"] == "updated"
    )
    assert headers["x-wc-webhook-id"] == "42" and headers["x-wc-webhook-delivery-id"]
    assert body == b'{"id":7,"name":"\\u00c6r\\u00f8 Tent \\/ 2p"}'  # PHP's json_encode escaping


def test_store_builds_deliveries_for_its_registered_webhooks(store: FakeWooStore) -> None:
    created = httpx.post(
        f"{store.url}/wp-json/wc/v3/webhooks",
        auth=(store.consumer_key, store.consumer_secret),
        json={
            "topic": "product.deleted",
            "delivery_url": "https://shopbot.example/hook",
            "secret": "abc",
        },
    )
    assert created.status_code == 201 and created.headers["Location"].endswith(
        f"/webhooks/{created.json()['id']}"
    )
    product_id = store.catalog.products[0]["id"]
    [delivery] = store.webhook_deliveries("product.deleted", product_id)
    assert json.loads(delivery.body) == {"id": product_id}
    assert delivery.headers["X-WC-Webhook-Source"] == f"{store.public_url}/"
    assert (
        delivery.headers["X-WC-Webhook-Signature"]
        == base64.b64encode(hmac.new(b"abc", delivery.body, hashlib.sha256).digest()).decode()
    )
