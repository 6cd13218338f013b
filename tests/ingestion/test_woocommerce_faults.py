"""The client survives what shared hosting does to an API, and gives up cleanly when it must."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from emulators.catalog import generate_catalog
from emulators.woocommerce import Fault
from ingestion.woocommerce import (
    RetryPolicy,
    StoreRateLimited,
    StoreResponseMalformed,
    StoreServerError,
    StoreUnreachable,
    WooClient,
)
from tests.support.woo_store import FakeWooStore

FAST_RETRY = RetryPolicy(max_attempts=4, base_delay_s=0.01, max_delay_s=0.05)


@pytest.fixture
def store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(260, seed=3), seed=3) as running:
        yield running


def _client(store: FakeWooStore, **options: Any) -> WooClient:
    return WooClient(
        store.url,
        store.consumer_key,
        store.consumer_secret,
        **{"retry": FAST_RETRY, "outbound": store.outbound_policy, **options},
    )


def _existing_ids(store: FakeWooStore) -> set[int]:
    return {p["id"] for p in store.catalog.products if p["status"] != "trash"}


async def _all_ids(client: WooClient) -> list[int]:
    return [p["id"] async for page in client.iter_product_pages() for p in page.products]


def _product_page_statuses(store: FakeWooStore) -> list[int]:
    return [r.status for r in store.requests if r.route == "/wc/v3/products"]


async def test_429_waits_for_retry_after_then_succeeds(store: FakeWooStore) -> None:
    store.faults.add(Fault("rate_limit", retry_after="1", first=1))
    started = time.monotonic()
    async with _client(store) as client:
        ids = await _all_ids(client)
    assert time.monotonic() - started >= 1.0  # Retry-After honoured, not the 10 ms backoff
    assert set(ids) == _existing_ids(store)
    assert _product_page_statuses(store)[:2] == [429, 200]


async def test_a_long_retry_after_gives_up_at_once_with_the_delay(store: FakeWooStore) -> None:
    store.faults.add(Fault("rate_limit", retry_after="3600"))
    async with _client(store) as client:
        with pytest.raises(StoreRateLimited) as limited:
            await _all_ids(client)
    assert limited.value.retry_after_s == 3600
    assert _product_page_statuses(store) == [429]  # no pointless hammering


async def test_server_errors_are_retried(store: FakeWooStore) -> None:
    store.faults.add(Fault("server_error", on_requests={1, 2, 4}))
    async with _client(store) as client:
        ids = await _all_ids(client)
    assert set(ids) == _existing_ids(store) and len(ids) == len(set(ids))
    assert _product_page_statuses(store) == [500, 500, 200, 500, 200, 200]


async def test_persistent_server_errors_raise_after_bounded_attempts(store: FakeWooStore) -> None:
    store.faults.add(Fault("server_error"))
    async with _client(store) as client:
        with pytest.raises(StoreServerError) as failed:
            await _all_ids(client)
    assert len(_product_page_statuses(store)) == FAST_RETRY.max_attempts
    assert failed.value.status_code == 502 and "HTTP 500" in failed.value.detail


async def test_slow_responses_time_out_and_are_retried(store: FakeWooStore) -> None:
    store.faults.add(Fault("slow", delay_s=1.5, first=1))
    async with _client(store, timeout_s=0.4) as client:
        ids = await _all_ids(client)
    assert set(ids) == _existing_ids(store)


async def test_permanently_slow_store_is_unreachable(store: FakeWooStore) -> None:
    store.faults.add(Fault("slow", delay_s=1.0))
    async with _client(
        store, timeout_s=0.2, retry=RetryPolicy(max_attempts=2, base_delay_s=0.01)
    ) as client:
        with pytest.raises(StoreUnreachable) as failed:
            await _all_ids(client)
    # The same answer as a closed port: a reply must not tell an open port from a closed one.
    assert (
        failed.value.detail == f"Could not reach the store at {store.url}: "
        "check the address and that the site is online."
    )


async def test_truncated_json_is_retried(store: FakeWooStore) -> None:
    store.faults.add(Fault("truncate", on_requests={1, 3}))
    async with _client(store) as client:
        ids = await _all_ids(client)
    assert set(ids) == _existing_ids(store) and len(ids) == len(set(ids))


async def test_always_truncated_json_is_a_typed_error(store: FakeWooStore) -> None:
    store.faults.add(Fault("truncate"))
    async with _client(store) as client:
        with pytest.raises(StoreResponseMalformed) as failed:
            await _all_ids(client)
    assert "invalid JSON" in failed.value.detail


async def test_dropped_connections_are_retried(store: FakeWooStore) -> None:
    store.faults.add(Fault("disconnect", on_requests={2}))
    async with _client(store) as client:
        ids = await _all_ids(client)
    assert set(ids) == _existing_ids(store)


async def test_random_faults_from_a_seeded_plan_are_survived(store: FakeWooStore) -> None:
    for kind in ("server_error", "rate_limit", "truncate"):
        store.faults.add(Fault(kind, probability=0.15, retry_after="0"))
    async with _client(
        store, retry=RetryPolicy(max_attempts=8, base_delay_s=0.005, max_delay_s=0.02)
    ) as client:
        ids = await _all_ids(client)
    assert set(ids) == _existing_ids(store) and len(ids) == len(set(ids))
    assert any(status != 200 for status in _product_page_statuses(store))


async def test_products_vanishing_between_pages_are_not_missed(store: FakeWooStore) -> None:
    """Trashing products already served shifts the rest forward; a re-walk finds the skipped
    ones."""
    store.faults.add(Fault("drop_items", on_requests={2}, drop_count=7))
    async with _client(store) as client:
        pages = [page async for page in client.iter_product_pages()]
    ids = [p["id"] for page in pages for p in page.products]
    assert len(ids) == len(set(ids))
    assert _existing_ids(store) <= set(ids)
    assert any(page.rewalk for page in pages)
    assert sum(1 for p in store.catalog.products if p["status"] == "trash") == 7


async def test_unreachable_store_is_a_typed_error() -> None:
    with FakeWooStore(generate_catalog(1)) as stopped:
        url, policy = stopped.url, stopped.outbound_policy
    async with WooClient(
        url, "ck_x", "cs_y", retry=RetryPolicy(max_attempts=2, base_delay_s=0.01), outbound=policy
    ) as client:
        with pytest.raises(StoreUnreachable) as failed:
            await client.test_connection()
    assert "Could not reach the store" in failed.value.detail


async def test_untrusted_certificate_is_not_retried() -> None:
    with FakeWooStore(generate_catalog(3), tls=True) as store:
        async with WooClient(
            store.url,
            store.consumer_key,
            store.consumer_secret,
            retry=FAST_RETRY,
            outbound=store.outbound_policy,
        ) as client:
            with pytest.raises(StoreUnreachable) as failed:
                await client.test_connection()
        assert store.requests == []
    assert "certificate" in failed.value.detail


async def test_a_failed_post_is_not_blindly_resent(store: FakeWooStore) -> None:
    """A 500 after creating a webhook must not be retried: a second POST would duplicate it."""
    store.faults.add(Fault("server_error", route=r"^/wc/v3/webhooks$", on_requests={2}))
    async with _client(store) as client:
        with pytest.raises(StoreServerError):
            await client.register_webhooks("https://shopbot.example/hook", "s")
    posts = [r for r in store.requests if r.route == "/wc/v3/webhooks" and r.method == "POST"]
    assert [r.status for r in posts] == [500]
