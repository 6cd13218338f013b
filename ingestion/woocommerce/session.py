"""HTTP to one store: auth, bounded retries, and every failure turned into a typed error.

Retried (jittered exponential backoff, bounded attempts): 429 (waiting `Retry-After`),
5xx from the origin or a CDN, timeouts, dropped connections, and 2xx bodies that are not
JSON (a PHP notice or fatal error printed into the response). A POST is retried only when
the store cannot have acted on it (429, connection refused). Not retried: 401/403/404/400,
redirects and certificate failures, which the merchant has to fix.

Logs name the route and status only: with query-string auth or OAuth the full URL carries
the consumer key (or the secret itself).

Every request goes through the outbound guard (`core.outbound`): the store URL, each
request and the address connected to are checked against the policy (None: the process's
configured one, which refuses loopback, private and metadata addresses). A refusal is an
`OutboundRefused` (422). No error detail carries text from the remote answer, and every
failure to reach the store reads the same, whether the port was closed, filtered or dropped
the connection: an answer must not tell a caller what listens where.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict
from urllib.parse import urlsplit

import httpx

from core.outbound import GuardedTransport, OutboundPolicy, OutboundRefused, check_url
from core.outbound.policy import configured_policy
from ingestion.woocommerce import errors
from ingestion.woocommerce.auth import AuthMode, build_auth, resolve_auth_mode
from ingestion.woocommerce.retry import RETRYABLE_STATUSES, RetryPolicy, parse_retry_after

logger = logging.getLogger(__name__)
USER_AGENT = "Shopbot/0.1 (+https://shopbot.dev; WooCommerce sync)"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
# A page of 100 products with their variations is a few MiB at most.
MAX_RESPONSE_BYTES = 32 * 2**20
_BODY_FRAMING = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True)
class StoreResponse:
    data: Any
    headers: httpx.Headers
    status: int

    def header_int(self, name: str) -> int | None:
        value = self.headers.get(name)
        return int(value) if value is not None and value.strip().isdigit() else None


class _Retry(Exception):
    """A failure worth another attempt; carries the error to raise when attempts run out.

    `maybe_processed`: the store may have acted on the request (a 500, a broken 2xx body).
    Such failures are retried only for idempotent methods: re-sending a POST could create
    a second webhook.
    """

    def __init__(
        self,
        error: errors.WooCommerceError,
        wait_s: float | None = None,
        *,
        maybe_processed: bool = True,
    ) -> None:
        self.error = error
        self.wait_s = wait_s
        self.maybe_processed = maybe_processed


class StoreSessionOptions(TypedDict, total=False):
    """How to talk to a store: `StoreSession`'s options, passed through unchanged by the
    client and the catalogue source that build one (their defaults are StoreSession's)."""

    auth: AuthMode
    timeout_s: float
    retry: RetryPolicy | None
    verify: ssl.SSLContext | bool
    allow_plaintext_credentials: bool
    transport: httpx.AsyncBaseTransport | None
    sleep: Callable[[float], Awaitable[None]]
    outbound: OutboundPolicy | None  # what the store URL may be (None: the process's policy)


class StoreSession:
    def __init__(
        self,
        store_url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        auth: AuthMode = "auto",
        timeout_s: float = 30.0,
        retry: RetryPolicy | None = None,
        verify: ssl.SSLContext | bool = True,
        max_connections: int = 4,
        allow_plaintext_credentials: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        outbound: OutboundPolicy | None = None,
    ) -> None:
        self.base_url = normalise_store_url(store_url)
        self.scheme = urlsplit(self.base_url).scheme
        self.auth_mode = resolve_auth_mode(auth, self.scheme)
        if (
            self.auth_mode in ("basic", "query_string")
            and self.scheme != "https"
            and not allow_plaintext_credentials
        ):
            raise errors.InsecureStoreUrl(
                "The store address starts with http://, so the API keys would travel unencrypted: "
                "use the https:// address.",
                store_url=self.base_url,
            )
        self._may_fall_back = auth == "auto" and self.auth_mode == "basic"
        self._keys = (consumer_key, consumer_secret)
        self._auth = build_auth(self.auth_mode, consumer_key, consumer_secret)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        )
        # A given transport (tests) still sits behind the guard.
        self._policy = configured_policy(outbound)
        guarded = GuardedTransport(self._policy, inner=transport, verify=verify, limits=limits)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)),
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=False,
            transport=guarded,
            trust_env=False,  # an environment proxy would connect to the name, unchecked
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def api_url(self, route: str) -> str:
        return f"{self.base_url}/wp-json{route}"

    async def get(self, route: str, params: Mapping[str, str | int] | None = None) -> StoreResponse:
        return await self.request("GET", route, params=params)

    async def post(self, route: str, body: Mapping[str, Any]) -> StoreResponse:
        return await self.request("POST", route, json_body=body)

    async def request(
        self,
        method: str,
        route: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> StoreResponse:
        idempotent = method.upper() in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._send(
                    method, self.api_url(route), params=dict(params or {}), json=json_body
                )
                return await self._interpret(response, route)
            except (httpx.InvalidURL, httpx.UnsupportedProtocol):
                # httpx cannot even address some spellings the OS would (0177.0.0.1): the
                # guard still names the refusal, as for the address's other spellings.
                await check_url(self.base_url, self._policy)
                raise OutboundRefused("invalid_url") from None
            except _Retry as retry:
                if attempt >= self._retry.max_attempts or (
                    retry.maybe_processed and not idempotent
                ):
                    raise retry.error from None
                wait_s = (
                    retry.wait_s if retry.wait_s is not None else self._retry.backoff_s(attempt)
                )
                logger.warning(
                    "store request %s %s failed (%s); retry %d in %.2fs",
                    method,
                    route,
                    retry.error.code,
                    attempt,
                    wait_s,
                )
                await self._sleep(wait_s)
            except httpx.TransportError as exc:
                error, retryable = self._transport_error(exc)
                never_sent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                if (
                    attempt >= self._retry.max_attempts
                    or not retryable
                    or not (idempotent or never_sent)
                ):
                    raise error from None
                await self._sleep(self._retry.backoff_s(attempt))
            except _FallBackToQueryString:
                continue  # does not count as an attempt: the first one never reached the API

    async def _send(
        self, method: str, url: str, *, with_keys: bool = True, **request: Any
    ) -> httpx.Response:
        """The response, its body read whole but at most `MAX_RESPONSE_BYTES` once decoded
        (a compressed body grows while it is read: a small "bomb" stops there too). A body
        that cannot be decoded is the store's malformed answer, not an error of ours."""
        sent = self._client.build_request(method, url, **request)
        response = await self._client.send(
            sent, auth=self._auth if with_keys else None, stream=True
        )
        body = bytearray()
        try:
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise errors.StoreResponseMalformed(
                        f"The store's answer was larger than {MAX_RESPONSE_BYTES // 2**20} MiB.",
                        store_url=self.base_url,
                    )
        except httpx.DecodingError:
            raise errors.StoreResponseMalformed(
                "The store's answer could not be decompressed (a broken Content-Encoding).",
                store_url=self.base_url,
            ) from None
        finally:
            await response.aclose()
        # The body is decoded now: its encoding and length headers no longer describe it.
        headers = [
            (k, v) for k, v in response.headers.multi_items() if k.lower() not in _BODY_FRAMING
        ]
        return httpx.Response(
            response.status_code, headers=headers, content=bytes(body), request=sent
        )

    async def _interpret(self, response: httpx.Response, route: str) -> StoreResponse:
        status = response.status_code
        if 200 <= status < 300:
            return StoreResponse(self._json_or_retry(response), response.headers, status)
        if status == 429:
            wait_s = parse_retry_after(response.headers.get("Retry-After"))
            error = errors.StoreRateLimited(
                "The store (or its hosting) is throttling our requests; "
                "the sync will resume later.",
                retry_after_s=wait_s,
                store_url=self.base_url,
            )
            if wait_s is not None and wait_s > self._retry.max_retry_after_s:
                raise error
            raise _Retry(error, wait_s, maybe_processed=False)
        if status in RETRYABLE_STATUSES:
            raise _Retry(
                errors.StoreServerError(
                    f"The store answered with a server error (HTTP {status}) several times; "
                    "try again later.",
                    store_url=self.base_url,
                )
            )
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location", "")
            moved = urlsplit(location)
            raise errors.StoreMoved(
                f"The store redirects to {moved.scheme}://{moved.netloc}: "
                "use that as the store address.",
                store_url=self.base_url,
                location=f"{moved.scheme}://{moved.netloc}",
            )
        store_code, store_message = errors.store_error_fields(response)
        if status == 401:
            if self._may_fall_back and store_code == "woocommerce_rest_cannot_view":
                self._switch_to_query_string()
                raise _FallBackToQueryString()
            lacks_permission = "permissions" in (store_message or "")
            cls = (
                errors.StorePermissionDenied
                if lacks_permission
                else errors.StoreCredentialsRejected
            )
            raise cls(
                errors.credentials_message(store_code, store_message),
                store_url=self.base_url,
                store_code=store_code,
            )
        if status == 403:
            detail = (
                "The API key's user may not do this: create the key for an administrator "
                "or shop manager."
                if store_code
                else "The store's firewall or a security plugin blocked our request (HTTP 403)."
            )
            raise errors.StorePermissionDenied(
                detail, store_url=self.base_url, store_code=store_code
            )
        if status == 404:
            if store_code == "rest_no_route":
                raise errors.NotWooCommerceStore(
                    errors.NO_WOOCOMMERCE_API,
                    store_url=self.base_url,
                    store_code=store_code,
                )
            if store_code is not None:
                raise errors.StoreResourceNotFound(
                    "The store has no such item (it may have been deleted).",
                    store_url=self.base_url,
                    store_code=store_code,
                )
            raise await self._diagnose_missing_api()
        raise errors.StoreRequestRejected(
            f"The store rejected the request (HTTP {status}).",
            store_url=self.base_url,
            store_code=store_code,
        )

    def _json_or_retry(self, response: httpx.Response) -> Any:
        try:
            return json.loads(
                response.content.removeprefix(b"\xef\xbb\xbf")
            )  # some plugins emit a BOM
        except ValueError:
            html = "html" in response.headers.get("content-type", "")
            detail = (
                "The store returned a web page instead of API data (a security or caching plugin "
                "may be intercepting /wp-json/)."
                if html
                else "The store kept returning broken data (invalid JSON), often a PHP error "
                "printed into the response; check the store's error log."
            )
            raise _Retry(errors.StoreResponseMalformed(detail, store_url=self.base_url)) from None

    async def _diagnose_missing_api(self) -> errors.WooCommerceError:
        """/wp-json/ gave a non-JSON 404: permalinks set to Plain, or no WordPress at all?"""
        try:
            probe = await self._send(
                "GET", f"{self.base_url}/", params={"rest_route": "/"}, with_keys=False
            )
            index = probe.json() if probe.status_code == 200 else None
        except (httpx.HTTPError, ValueError, errors.StoreResponseMalformed):
            index = None
        if isinstance(index, dict) and "namespaces" in index:
            if "wc/v3" in index["namespaces"]:
                return errors.PrettyPermalinksDisabled(
                    "The store's permalinks are set to Plain, which the WooCommerce API does not "
                    "support: in WordPress choose Settings → Permalinks → Post name.",
                    store_url=self.base_url,
                )
            return errors.NotWooCommerceStore(
                errors.NO_WOOCOMMERCE_API,
                store_url=self.base_url,
            )
        return errors.NotAWordPressSite(
            f"No WordPress site answered at {self.base_url}: check the store address.",
            store_url=self.base_url,
        )

    def _transport_error(self, exc: httpx.TransportError) -> tuple[errors.WooCommerceError, bool]:
        """(error, worth retrying): a bad certificate will not fix itself in a few seconds.

        Closed, filtered, timed out or dropped: one answer, so that the reply to a URL never
        tells which ports are open. (A certificate failure is named: it can only come from
        an address the guard let through, and it is the merchant's to fix.)
        """
        if isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc):
            detail = (
                f"The HTTPS certificate of {self.base_url} could not be verified; "
                "check the site's SSL set-up."
            )
            return errors.StoreUnreachable(detail, store_url=self.base_url), False
        logger.info("store request failed in transport: %s", type(exc).__name__)
        return errors.StoreUnreachable(
            errors.unreachable_message(self.base_url), store_url=self.base_url
        ), True

    def _switch_to_query_string(self) -> None:
        logger.info(
            "store ignored the Authorization header; switching to query-string keys over HTTPS"
        )
        self.auth_mode = "query_string"
        self._auth = build_auth("query_string", *self._keys)
        self._may_fall_back = False


class _FallBackToQueryString(Exception):
    pass


def normalise_store_url(store_url: str) -> str:
    """'shop.example.com/' or 'https://shop.example.com/wp-json' → 'https://shop.example.com'."""
    url = store_url.strip()
    if "://" not in url:
        url = f"https://{url}"
    url = url.rstrip("/")
    if url.endswith("/wp-json"):
        url = url[: -len("/wp-json")]
    return url
