"""The three ways WooCommerce accepts API keys, as httpx auth flows.

- HTTPS: HTTP Basic (key = user, secret = password). Some servers (CGI/FastCGI set-ups) drop
  the Authorization header; the store then sees no key at all, and the documented fallback
  is the `consumer_key`/`consumer_secret` query string, still over HTTPS only.
- Plain HTTP: OAuth 1.0a "one-legged", signed per request (fresh nonce and timestamp), because
  WooCommerce ignores Basic and query-string keys when `is_ssl()` is false.

The OAuth base string follows WooCommerce's server (`WC_REST_Authentication::
check_oauth_signature`), which differs from RFC 5849 in two details that matter when
parameter names contain special characters: it sorts by the *raw* key, and it percent-encodes
each `key=value` pair a second time. We send only plain ASCII keys, but match it exactly.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Generator, Iterable
from typing import Literal
from urllib.parse import quote

import httpx

AuthMode = Literal["auto", "basic", "query_string", "oauth1"]
OAUTH_SIGNATURE_METHOD = "HMAC-SHA256"


def resolve_auth_mode(mode: AuthMode, scheme: str) -> AuthMode:
    """`auto` means Basic over HTTPS (secrets protected by TLS), OAuth 1.0a over plain HTTP."""
    if mode != "auto":
        return mode
    return "basic" if scheme == "https" else "oauth1"


def build_auth(mode: AuthMode, consumer_key: str, consumer_secret: str) -> httpx.Auth:
    if mode == "basic":
        return httpx.BasicAuth(consumer_key, consumer_secret)
    if mode == "query_string":
        return QueryStringAuth(consumer_key, consumer_secret)
    if mode == "oauth1":
        return OAuth1Auth(consumer_key, consumer_secret)
    raise ValueError(f"unresolved auth mode {mode!r}")


class QueryStringAuth(httpx.Auth):
    def __init__(self, consumer_key: str, consumer_secret: str) -> None:
        self._params = {"consumer_key": consumer_key, "consumer_secret": consumer_secret}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.url = request.url.copy_merge_params(self._params)
        yield request


class OAuth1Auth(httpx.Auth):
    """Signs every request (each retry too: a re-sent nonce would be rejected as a replay)."""

    def __init__(
        self,
        consumer_key: str,
        consumer_secret: str,
        *,
        clock: Callable[[], float] = time.time,
        nonce_factory: Callable[[], str] = lambda: secrets.token_hex(16),
    ) -> None:
        self._key = consumer_key
        self._secret = consumer_secret
        self._clock = clock
        self._nonce_factory = nonce_factory

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        oauth = {
            "oauth_consumer_key": self._key,
            "oauth_timestamp": str(int(self._clock())),
            "oauth_nonce": self._nonce_factory(),
            "oauth_signature_method": OAUTH_SIGNATURE_METHOD,
        }
        query = [(k, v) for k, v in request.url.params.multi_items() if not k.startswith("oauth_")]
        base_url = str(request.url.copy_with(query=None, fragment=None))
        signature = oauth1_signature(
            request.method, base_url, [*query, *oauth.items()], self._secret
        )
        request.url = request.url.copy_merge_params({**oauth, "oauth_signature": signature})
        yield request


def oauth1_signature(
    method: str,
    base_url: str,
    params: Iterable[tuple[str, str]],
    consumer_secret: str,
    signature_method: str = OAUTH_SIGNATURE_METHOD,
) -> str:
    """base64(HMAC(secret + "&", METHOD & enc(url) & enc-pairs joined by %26))."""
    merged = dict(params)  # PHP's $_GET keeps the last value of a repeated key
    ordered = sorted(merged.items(), key=lambda item: item[0].encode("utf-8"))  # strcmp on raw keys
    pairs = "%26".join(_rfc3986(f"{_rfc3986(k)}={_rfc3986(v)}") for k, v in ordered)
    string_to_sign = f"{method.upper()}&{_rfc3986(base_url)}&{pairs}"
    digest = hashlib.sha256 if signature_method == "HMAC-SHA256" else hashlib.sha1
    mac = hmac.new(f"{consumer_secret}&".encode(), string_to_sign.encode(), digest)
    return base64.b64encode(mac.digest()).decode("ascii")


def _rfc3986(value: str) -> str:
    return quote(value, safe="~")
