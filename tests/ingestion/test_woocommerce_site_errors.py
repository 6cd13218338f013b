"""Wrong URL, no WooCommerce, plain permalinks, redirects: each is a distinct, actionable error."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.types import Receive, Scope, Send

from core.outbound import OutboundPolicy
from emulators.catalog import generate_catalog
from emulators.server import BackgroundServer
from ingestion.woocommerce import (
    NotAWordPressSite,
    NotWooCommerceStore,
    PrettyPermalinksDisabled,
    RetryPolicy,
    StoreMoved,
    WooClient,
    WooCommerceError,
)
from ingestion.woocommerce.session import normalise_store_url
from tests.support.woo_store import FakeWooStore

FAST_RETRY = RetryPolicy(max_attempts=2, base_delay_s=0.01, max_delay_s=0.02)


async def _connect(store: FakeWooStore) -> WooCommerceError:
    async with WooClient(
        store.url,
        store.consumer_key,
        store.consumer_secret,
        retry=FAST_RETRY,
        outbound=store.outbound_policy,
    ) as client:
        with pytest.raises(WooCommerceError) as failed:
            await client.test_connection()
    return failed.value


async def test_wordpress_without_woocommerce() -> None:
    with FakeWooStore(generate_catalog(3), woocommerce_active=False) as store:
        error = await _connect(store)
    assert isinstance(error, NotWooCommerceStore)
    assert error.extra["store_code"] == "rest_no_route"
    assert "WooCommerce installed and active" in error.detail


async def test_plain_permalinks() -> None:
    with FakeWooStore(generate_catalog(3), pretty_permalinks=False) as store:
        error = await _connect(store)
    assert isinstance(error, PrettyPermalinksDisabled)
    assert "Settings → Permalinks" in error.detail


async def test_not_a_wordpress_site() -> None:
    with FakeWooStore(generate_catalog(3), wordpress=False) as store:
        error = await _connect(store)
    assert isinstance(error, NotAWordPressSite)
    assert store.url in error.detail


async def test_all_site_errors_are_client_errors_with_one_line_details() -> None:
    broken_sites: list[dict[str, Any]] = [
        {"woocommerce_active": False},
        {"pretty_permalinks": False},
        {"wordpress": False},
    ]
    for options in broken_sites:
        with FakeWooStore(generate_catalog(1), **options) as store:
            error = await _connect(store)
        assert 400 <= error.status_code < 500
        assert "\n" not in error.detail and len(error.detail) < 200


async def test_a_redirecting_store_names_the_new_address() -> None:
    async def redirect(scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 301,
                "headers": [(b"location", b"https://www.shop.example/wp-json/wc/v3/system_status")],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    server = BackgroundServer(redirect)
    server.start()
    try:
        local = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({server.port}),
        )
        async with WooClient(
            f"http://127.0.0.1:{server.port}", "ck", "cs", retry=FAST_RETRY, outbound=local
        ) as client:
            with pytest.raises(StoreMoved) as moved:
                await client.test_connection()
    finally:
        server.stop()
    assert moved.value.extra["location"] == "https://www.shop.example"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("shop.example.com", "https://shop.example.com"),
        ("https://shop.example.com/", "https://shop.example.com"),
        ("  https://shop.example.com/wp-json/ ", "https://shop.example.com"),
        ("http://127.0.0.1:8080/store", "http://127.0.0.1:8080/store"),
    ],
)
def test_store_urls_as_merchants_type_them(typed: str, normalised: str) -> None:
    assert normalise_store_url(typed) == normalised
