"""Credentials: every auth mode rejects a wrong secret with a typed error; OAuth is really
verified."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import httpx
import pytest

from emulators.catalog import generate_catalog
from ingestion.woocommerce import (
    RetryPolicy,
    StoreCredentialsRejected,
    StorePermissionDenied,
    WooClient,
)
from ingestion.woocommerce.auth import OAuth1Auth, oauth1_signature
from tests.support.woo_store import FakeWooStore

FAST_RETRY = RetryPolicy(max_attempts=3, base_delay_s=0.01, max_delay_s=0.02)


@pytest.fixture(scope="module")
def store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(20, seed=2)) as running:
        running.add_api_key("ck_readonly", "cs_readonly", permissions="read")
        yield running


@pytest.fixture(scope="module")
def tls_store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(5, seed=2), tls=True) as running:
        yield running


def _signed_request(store: FakeWooStore, secret: str, **params: str) -> httpx.Request:
    request = httpx.Request("GET", f"{store.url}/wp-json/wc/v3/products", params=params)
    flow = OAuth1Auth(store.consumer_key, secret).auth_flow(request)
    return next(flow)


@pytest.mark.parametrize("mode", ["basic", "query_string"])
async def test_wrong_secret_over_https_is_a_typed_401(
    tls_store: FakeWooStore, mode: Literal["basic", "query_string"]
) -> None:
    client = WooClient(
        tls_store.url,
        tls_store.consumer_key,
        "cs_wrong",
        auth=mode,
        verify=tls_store.ssl_context(),
        retry=FAST_RETRY,
        outbound=tls_store.outbound_policy,
    )
    async with client:
        with pytest.raises(StoreCredentialsRejected) as rejected:
            await client.test_connection()
    error = rejected.value
    assert error.status_code == 400 and error.code == "woocommerce_credentials_rejected"
    assert error.extra["store_code"] == "woocommerce_rest_authentication_error"
    assert "\n" not in error.detail and "REST API" in error.detail
    assert "cs_wrong" not in str(error.problem()) and tls_store.consumer_key not in str(
        error.problem()
    )


async def test_wrong_secret_over_oauth_is_a_typed_401(store: FakeWooStore) -> None:
    async with WooClient(
        store.url, store.consumer_key, "cs_wrong", retry=FAST_RETRY, outbound=store.outbound_policy
    ) as client:
        with pytest.raises(StoreCredentialsRejected) as rejected:
            await client.test_connection()
    assert rejected.value.extra["store_code"] == "woocommerce_rest_authentication_error"
    assert store.requests[-1].status == 401


async def test_unknown_consumer_key_is_rejected(store: FakeWooStore) -> None:
    async with WooClient(
        store.url, "ck_nobody", "cs_nothing", retry=FAST_RETRY, outbound=store.outbound_policy
    ) as client:
        with pytest.raises(StoreCredentialsRejected):
            await client.test_connection()


def test_tampering_with_a_signed_request_is_rejected(store: FakeWooStore) -> None:
    signed = _signed_request(store, store.consumer_secret, per_page="5")
    assert httpx.Client().send(signed).status_code == 200
    again = _signed_request(store, store.consumer_secret, per_page="5")
    tampered = httpx.Request("GET", again.url.copy_set_param("per_page", "100"))
    response = httpx.Client().send(tampered)
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid signature - provided signature does not match."


def test_a_replayed_nonce_is_rejected(store: FakeWooStore) -> None:
    signed = _signed_request(store, store.consumer_secret)
    with httpx.Client() as http:
        assert http.send(signed).status_code == 200
        replay = http.send(httpx.Request("GET", signed.url))
    assert replay.status_code == 401
    assert replay.json()["message"] == "Invalid nonce - nonce has already been used."


def test_a_stale_timestamp_is_rejected(store: FakeWooStore) -> None:
    request = httpx.Request("GET", f"{store.url}/wp-json/wc/v3/products")
    stale = next(
        OAuth1Auth(
            store.consumer_key, store.consumer_secret, clock=lambda: 1_000_000_000
        ).auth_flow(request)
    )
    response = httpx.get(str(stale.url))
    assert response.status_code == 401 and response.json()["message"] == "Invalid timestamp."


def test_signature_base_string_matches_woocommerce_rules() -> None:
    """Known-answer check: raw-key sort, double-encoded pairs joined by %26, secret + '&'."""
    params = [("b", "x y"), ("a", "1/2"), ("oauth_nonce", "n"), ("oauth_timestamp", "1")]
    base = (
        "GET&http%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Fproducts&"
        "a%3D1%252F2%26b%3Dx%2520y%26oauth_nonce%3Dn%26oauth_timestamp%3D1"
    )
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"cs&", base.encode(), hashlib.sha256).digest()).decode()
    assert (
        oauth1_signature("GET", "http://shop.test/wp-json/wc/v3/products", params, "cs") == expected
    )


async def test_read_only_key_cannot_register_webhooks(store: FakeWooStore) -> None:
    async with WooClient(
        store.url, "ck_readonly", "cs_readonly", retry=FAST_RETRY, outbound=store.outbound_policy
    ) as client:
        assert (await client.test_connection()).product_count > 0  # reading works
        with pytest.raises(StorePermissionDenied) as denied:
            await client.register_webhooks("https://shopbot.example/hook", "s")
    assert "Read/Write" in denied.value.detail
