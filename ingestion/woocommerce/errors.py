"""Typed failures of talking to a merchant's WooCommerce store.

Each `detail` is one line a merchant can act on. Problems the merchant fixes (keys, URL,
plugin, permalinks) are 4xx (`BadRequest` family); problems of the store's server that we
merely report (down, erroring, throttling, broken output) are `UpstreamError`s (502).
`extra` never carries a secret: only the store URL and the store's own error code (when
it has the shape of one). No detail repeats text from the store's answer: an address that
is not a store (an internal service) must not get its body echoed back to the caller;
`store_error_fields` reads from an error body only what may steer the choice of detail.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from core.errors import AppError, BadRequest, NotFound, UpstreamError

_TAGS = re.compile(r"<[^>]+>")
# A store's own error code is passed on only when it looks like one of WooCommerce's or the
# WordPress REST API's (`woocommerce_rest_cannot_view`, `rest_no_route`): never free text.
_STORE_CODE = re.compile(r"(?:woocommerce|rest|wc|json)_[a-z0-9_]{1,60}", re.ASCII)
NO_WOOCOMMERCE_API = (
    "This WordPress site has no WooCommerce REST API (wc/v3): is WooCommerce installed and active?"
)


class WooCommerceError(AppError):
    """Base of every store-connection error (catch this to handle them all)."""

    code = "woocommerce_error"
    title = "WooCommerce store error"


class StoreCredentialsRejected(WooCommerceError, BadRequest):
    code = "woocommerce_credentials_rejected"
    title = "The store rejected the API keys"


class StorePermissionDenied(WooCommerceError, BadRequest):
    code = "woocommerce_permission_denied"
    title = "The API key lacks a permission"


class NotWooCommerceStore(WooCommerceError, BadRequest):
    code = "woocommerce_not_installed"
    title = "WooCommerce API not found"


class PrettyPermalinksDisabled(WooCommerceError, BadRequest):
    code = "woocommerce_permalinks_plain"
    title = "The store's permalinks are set to Plain"


class NotAWordPressSite(WooCommerceError, BadRequest):
    code = "woocommerce_wrong_url"
    title = "No WordPress site at this address"


class StoreMoved(WooCommerceError, BadRequest):
    code = "woocommerce_store_moved"
    title = "The store redirects to another address"


class InsecureStoreUrl(WooCommerceError, BadRequest):
    code = "woocommerce_insecure_url"
    title = "Refusing to send API keys unencrypted"


class StoreRequestRejected(WooCommerceError, BadRequest):
    code = "woocommerce_request_rejected"
    title = "The store rejected a request"


class StoreResourceNotFound(WooCommerceError, NotFound):
    code = "woocommerce_resource_not_found"
    title = "Not found in the store"


class StoreUnreachable(WooCommerceError, UpstreamError):
    code = "woocommerce_unreachable"
    title = "The store could not be reached"


class StoreServerError(WooCommerceError, UpstreamError):
    code = "woocommerce_server_error"
    title = "The store reported an internal error"


class StoreRateLimited(WooCommerceError, UpstreamError):
    code = "woocommerce_rate_limited"
    title = "The store is throttling requests"

    def __init__(
        self, detail: str | None = None, *, retry_after_s: float | None = None, **extra: Any
    ) -> None:
        super().__init__(detail, **extra)
        self.retry_after_s = retry_after_s


class StoreResponseMalformed(WooCommerceError, UpstreamError):
    code = "woocommerce_malformed_response"
    title = "The store returned unreadable data"


def unreachable_message(store_url: str) -> str:
    """The one answer for a store that could not be reached, however the attempt failed."""
    return (
        f"Could not reach the store at {store_url}: check the address and that the site is online."
    )


def credentials_message(store_code: str | None, store_message: str | None) -> str:
    """Turn WooCommerce's 401 into the fix the merchant needs."""
    if store_code == "woocommerce_rest_cannot_view":
        # No key was recognised at all: typical when a server strips the Authorization header
        # or when keys are sent in a way the store does not accept over this scheme.
        return (
            "The store did not recognise the API keys: check the consumer key and secret under "
            "WooCommerce → Settings → Advanced → REST API."
        )
    if store_message and "permissions" in store_message:
        return (
            "The API key lacks a permission: give it Read/Write access under "
            "WooCommerce → Settings → Advanced → REST API."
        )
    if store_message and ("timestamp" in store_message or "nonce" in store_message):
        return (
            "The store rejected the request's timestamp: "
            "check that the store server's clock is correct."
        )
    return (
        "The store rejected the API keys: check the consumer key and secret under "
        "WooCommerce → Settings → Advanced → REST API."
    )


def store_error_fields(response: httpx.Response) -> tuple[str | None, str | None]:
    """(the store's error code when it has the shape of one, its message without tags) from
    a WordPress/WooCommerce error body; (None, None) for any other body."""
    try:
        body = response.json()
    except ValueError:
        return None, None
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return None, None
    message = body.get("message")
    text = _TAGS.sub("", message).strip()[:200] if isinstance(message, str) else None
    # The message only steers which of our own sentences is shown; it is never repeated.
    code = body["code"] if _STORE_CODE.fullmatch(body["code"]) else None
    return code, text
