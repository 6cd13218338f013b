"""WooClient against the fake store over real HTTP: auth modes, paging, incremental sync, joins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from emulators.catalog import generate_catalog
from ingestion.woocommerce import (
    InsecureStoreUrl,
    RetryPolicy,
    StoreCredentialsRejected,
    WooClient,
    is_indexable,
)
from tests.support.woo_store import FakeWooStore

FAST_RETRY = RetryPolicy(max_attempts=4, base_delay_s=0.01, max_delay_s=0.05)


@pytest.fixture(scope="module")
def store() -> Iterator[FakeWooStore]:
    """Plain HTTP, so `auto` means OAuth 1.0a, as on a real store without TLS."""
    with FakeWooStore(generate_catalog(300, seed=7)) as running:
        yield running


@pytest.fixture(scope="module")
def tls_store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(30, seed=8), tls=True) as running:
        yield running


def _client(store: FakeWooStore, **options: Any) -> WooClient:
    defaults: dict[str, Any] = {"retry": FAST_RETRY, "outbound": store.outbound_policy}
    if store.tls:
        defaults["verify"] = store.ssl_context()
    return WooClient(
        store.url, store.consumer_key, store.consumer_secret, **{**defaults, **options}
    )


def _listed_ids(store: FakeWooStore) -> set[int]:
    return {p["id"] for p in store.catalog.products if p["status"] not in ("trash", "auto-draft")}


async def test_test_connection_reports_store_facts(store: FakeWooStore) -> None:
    async with _client(store) as client:
        info = await client.test_connection()
    assert info.woocommerce_version == "9.4.2" and info.wordpress_version == "6.7.1"
    assert info.currency == "EUR"
    assert info.product_count == sum(1 for p in store.catalog.products if p["status"] == "publish")
    assert info.auth_mode == "oauth1" and info.home_url == store.url


async def test_oauth1_over_plain_http_signs_every_request(store: FakeWooStore) -> None:
    store.reset_request_log()
    async with _client(store) as client:
        assert client.auth_mode == "oauth1"
        await client.test_connection()
    wc_requests = [r for r in store.requests if r.route.startswith("/wc/")]
    assert wc_requests and {r.auth_via for r in wc_requests} == {"oauth1"}
    assert {r.status for r in wc_requests} == {200}
    nonces = [r.query["oauth_nonce"] for r in wc_requests]
    assert len(set(nonces)) == len(nonces)
    assert all("consumer_secret" not in r.query for r in wc_requests)  # the secret never travels


async def test_basic_auth_over_https(tls_store: FakeWooStore) -> None:
    tls_store.reset_request_log()
    async with _client(tls_store) as client:
        assert client.auth_mode == "basic"
        info = await client.test_connection()
    assert info.auth_mode == "basic" and info.home_url.startswith("https://")
    assert {r.auth_via for r in tls_store.requests} == {"basic_header"}


async def test_query_string_keys_over_https(tls_store: FakeWooStore) -> None:
    tls_store.reset_request_log()
    async with _client(tls_store, auth="query_string") as client:
        await client.test_connection()
    assert {r.auth_via for r in tls_store.requests} == {"query_string"}


async def test_auto_falls_back_to_query_string_when_the_server_drops_authorization(
    tls_store: FakeWooStore,
) -> None:
    tls_store.strip_authorization_header = True
    try:
        async with _client(tls_store) as client:
            info = await client.test_connection()
            assert client.auth_mode == "query_string"
    finally:
        tls_store.strip_authorization_header = False
    assert info.product_count > 0


async def test_basic_over_plain_http_is_refused_before_any_request(store: FakeWooStore) -> None:
    with pytest.raises(InsecureStoreUrl) as refused:
        _client(store, auth="basic")
    assert "unencrypted" in refused.value.detail


async def test_basic_over_http_behind_a_tls_terminating_proxy() -> None:
    with FakeWooStore(generate_catalog(10), assume_https=True) as proxied:
        async with _client(proxied, auth="basic", allow_plaintext_credentials=True) as client:
            assert (await client.test_connection()).product_count > 0
    with FakeWooStore(generate_catalog(10)) as plain:  # a real store ignores Basic without TLS
        async with _client(plain, auth="basic", allow_plaintext_credentials=True) as client:
            with pytest.raises(StoreCredentialsRejected):
                await client.test_connection()


async def test_paging_walks_all_pages_by_total_pages(store: FakeWooStore) -> None:
    store.reset_request_log()
    async with _client(store) as client:
        pages = [page async for page in client.iter_product_pages()]
    ids = [p["id"] for page in pages for p in page.products]
    assert len(pages) == 3 and [p.number for p in pages] == [1, 2, 3]
    assert {p.total_pages for p in pages} == {3} and len(ids) == len(set(ids))
    assert set(ids) == _listed_ids(store) and len(ids) > 250
    product_requests = [r for r in store.requests if r.route == "/wc/v3/products"]
    assert len(product_requests) == 3
    assert {r.query["per_page"] for r in product_requests} == {"100"}
    sorting = {(r.query["orderby"], r.query["order"], r.query["status"]) for r in product_requests}
    assert sorting == {("id", "asc", "any")}


async def test_modified_after_returns_only_changed_products(store: FakeWooStore) -> None:
    cutoff = store.latest_modified_gmt().replace(tzinfo=UTC)
    simple = next(
        p for p in store.catalog.products if p["type"] == "simple" and p["status"] == "publish"
    )
    variable = next(
        p for p in store.catalog.products if p["type"] == "variable" and p["status"] == "publish"
    )
    store.set_price(simple["id"], "12.34")
    store.update_variation(variable["id"], variable["variations"][0], regular_price="77.00")
    store.reset_request_log()
    async with _client(store) as client:
        changed = [
            p
            async for page in client.iter_product_pages(modified_after=cutoff)
            for p in page.products
        ]
    assert {p["id"] for p in changed} == {
        simple["id"],
        variable["id"],
    }  # a variation save bumps its parent
    query = next(r.query for r in store.requests if r.route == "/wc/v3/products")
    assert query["dates_are_gmt"] == "true"
    assert query["modified_after"] == cutoff.strftime("%Y-%m-%dT%H:%M:%S")


async def test_modified_after_must_be_timezone_aware(store: FakeWooStore) -> None:
    async with _client(store) as client:
        with pytest.raises(ValueError):
            _ = [p async for p in client.iter_product_pages(modified_after=datetime(2024, 1, 1))]


async def test_iter_catalog_joins_variations_and_reviews(store: FakeWooStore) -> None:
    async with _client(store) as client:
        pages = [page async for page in client.iter_catalog()]
    records = {r.external_id: r for page in pages for r in page.products}
    reviews = {pid: rs for page in pages for pid, rs in page.reviews.items()}
    assert set(records) == _listed_ids(store)
    for raw in store.catalog.products:
        record = records.get(raw["id"])
        if record is None or raw["type"] != "variable" or not is_indexable(record):
            continue
        expected = store.catalog.variations[raw["id"]]
        assert [v.external_id for v in record.variations] == sorted(v["id"] for v in expected)
        assert all(
            v.parent_external_id == record.external_id and v.kind == "variation"
            for v in record.variations
        )
        assert all(v.name.startswith(record.name + " - ") for v in record.variations)
    approved = {
        r["id"]
        for r in store.catalog.reviews
        if r["status"] == "approved" and is_indexable(records[r["product_id"]])
    }
    assert {r.external_id for rs in reviews.values() for r in rs} == approved
    assert all(r.status == "approved" for rs in reviews.values() for r in rs)


async def test_hidden_parents_do_not_cost_variation_requests(store: FakeWooStore) -> None:
    hidden = [
        p for p in store.catalog.products if p["type"] == "variable" and p["status"] != "publish"
    ]
    assert hidden, "the seeded catalogue should contain an unpublished variable product"
    store.reset_request_log()
    async with _client(store) as client:
        _ = [page async for page in client.iter_catalog(include_reviews=False)]
    asked = {r.route for r in store.requests}
    assert not any(f"/wc/v3/products/{p['id']}/variations" in asked for p in hidden)


async def test_one_page_at_a_time_and_look_ups_by_id() -> None:
    """For callers that drive paging themselves: a page exactly as served, and stragglers by id."""
    with FakeWooStore(generate_catalog(120, seed=9)) as own:
        published = sorted(p["id"] for p in own.catalog.products if p["status"] == "publish")
        draft = next(p["id"] for p in own.catalog.products if p["status"] == "draft")
        own.trash_product(published[0])
        own.reset_request_log()
        async with _client(own) as client:
            second = await client.product_page(2, status="publish", per_page=30)
            found = await client.products_by_id([published[0], published[1], draft, 987654])
        listing = own.requests[0].query
    assert second.number == 2 and second.total_products == len(published) - 1
    assert second.total_pages == -(-(len(published) - 1) // 30)
    assert [p["id"] for p in second.products] == published[31:61]  # by id; the trashed one is gone
    assert (listing["orderby"], listing["order"], listing["status"]) == ("id", "asc", "publish")
    assert sorted(p["id"] for p in found) == sorted(
        [published[1], draft]
    )  # not trashed, not unknown


async def test_single_product_fetch_and_categories(store: FakeWooStore) -> None:
    variable = next(
        p for p in store.catalog.products if p["type"] == "variable" and p["status"] == "publish"
    )
    async with _client(store) as client:
        record = await client.fetch_product_record(variable["id"])
        assert await client.fetch_product_record(987654) is None
        categories = await client.list_categories()
    assert record is not None and len(record.variations) == len(variable["variations"])
    assert {c["name"] for c in categories} >= {
        "Apparel",
        "Shoes",
        "Outdoor",
        "Kitchen",
        "Electronics",
    }


async def test_register_webhooks_is_idempotent(store: FakeWooStore) -> None:
    url = "https://api.shopbot.example/webhooks/woocommerce/123"
    async with _client(store) as client:
        first = await client.register_webhooks(url, "secret-1")
        store.disable_webhook(first[0].id)  # as WooCommerce does after failed deliveries
        second = await client.register_webhooks(url, "secret-2")
    assert [r.topic for r in first] == [
        "product.created",
        "product.updated",
        "product.deleted",
        "product.restored",
    ]
    assert all(r.created for r in first) and not any(r.created for r in second)
    assert [r.id for r in first] == [r.id for r in second]
    ours = [h for h in store.webhooks if h["delivery_url"] == url]
    assert len(ours) == 4 and {h["status"] for h in ours} == {"active"}
    assert {store.webhook_secrets[h["id"]] for h in ours} == {"secret-2"}
