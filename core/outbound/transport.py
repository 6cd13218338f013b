"""httpx plumbing of the guard: every request a client sends (each redirect hop too)
is checked, and its TCP connection goes to the address that was checked.

The request's URL host is replaced by the checked IP; the `Host` header keeps the name,
and for https the `sni_hostname` extension keeps TLS (SNI and certificate verification)
on the name. One connection pool per original host, so a TLS connection verified for one
name is never reused for another name served from the same address.

A transport remembers what a name resolved to for a minute (a sync sends hundreds of
requests to one store): it still connects only to addresses that were checked.
"""

from __future__ import annotations

import dataclasses
import inspect
import time
from typing import Any

import httpx

from core.outbound.check import CheckedTarget, check_url
from core.outbound.policy import OutboundPolicy, Resolver

RESOLVED_TTL_S = 60.0
_MAX_REMEMBERED = 256


class GuardedTransport(httpx.AsyncBaseTransport):
    def __init__(
        self,
        policy: OutboundPolicy,
        *,
        inner: httpx.AsyncBaseTransport | None = None,
        **transport_kwargs: Any,
    ) -> None:
        self.policy = dataclasses.replace(policy, resolver=_RememberingResolver(policy.resolver))
        self._inner = inner  # one given transport for every host (tests: a MockTransport)
        self._transport_kwargs = transport_kwargs
        self._pools: dict[tuple[str, str, int], httpx.AsyncBaseTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        target = await check_url(request.url, self.policy)
        pool = self._pool(target)
        # Every address was checked: when one cannot be connected to (an IPv6 answer on a
        # host without an IPv6 route), the next is tried, as a resolver-driven connect would.
        for address in target.addresses[:-1]:
            try:
                return await pool.handle_async_request(pinned_request(request, target, address))
            except httpx.ConnectError:
                continue
        return await pool.handle_async_request(
            pinned_request(request, target, target.addresses[-1])
        )

    def _pool(self, target: CheckedTarget) -> httpx.AsyncBaseTransport:
        if self._inner is not None:
            return self._inner
        key = (target.url.scheme, target.host, target.port)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = httpx.AsyncHTTPTransport(**self._transport_kwargs)
        return pool

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()
        if self._inner is not None:
            await self._inner.aclose()


class _RememberingResolver:
    """The policy's resolver, its answers kept for `RESOLVED_TTL_S` (failures are not)."""

    def __init__(self, inner: Resolver) -> None:
        self._inner = inner
        self._answers: dict[str, tuple[float, list[str]]] = {}

    async def __call__(self, host: str) -> list[str]:
        now = time.monotonic()
        remembered = self._answers.get(host)
        if remembered is not None and remembered[0] > now:
            return remembered[1]
        answer = self._inner(host)
        if inspect.isawaitable(answer):
            answer = await answer
        addresses = list(answer)
        if len(self._answers) >= _MAX_REMEMBERED:
            self._answers.clear()
        self._answers[host] = (now + RESOLVED_TTL_S, addresses)
        return addresses


def pinned_request(
    request: httpx.Request, target: CheckedTarget, address: str | None = None
) -> httpx.Request:
    """The same request, addressed to a checked IP (default: the first; the Host header and
    the TLS name unchanged)."""
    if address is not None and address not in target.addresses:
        raise ValueError("a request may only be pinned to an address that was checked")
    headers = httpx.Headers(request.headers)
    if "host" not in headers:
        headers["Host"] = request.url.netloc.decode("ascii")
    extensions = dict(request.extensions)
    if target.url.scheme == "https":
        extensions["sni_hostname"] = target.host
    return httpx.Request(
        request.method,
        request.url.copy_with(host=address or target.address),
        headers=headers,
        stream=request.stream,
        extensions=extensions,
    )


def guarded_transport(
    policy: OutboundPolicy, **httpx_transport_kwargs: Any
) -> httpx.AsyncBaseTransport:
    """An `httpx.AsyncHTTPTransport` (built with these kwargs) behind the guard."""
    return GuardedTransport(policy, **httpx_transport_kwargs)


def guarded_async_client(policy: OutboundPolicy, **httpx_client_kwargs: Any) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` whose every request (and redirect hop) passes the guard.

    `verify`, `cert`, `http1`, `http2` and `limits` go to the guarded transport. Proxies
    from the environment are ignored: a proxy would connect for us, to a name, unchecked.
    """
    if (
        "transport" in httpx_client_kwargs
        or "mounts" in httpx_client_kwargs
        or "proxy" in httpx_client_kwargs
    ):
        raise TypeError(
            "guarded_async_client builds its own transport; pass transport options instead"
        )
    transport_kwargs = {
        name: httpx_client_kwargs.pop(name)
        for name in ("verify", "cert", "http1", "http2", "limits")
        if name in httpx_client_kwargs
    }
    httpx_client_kwargs.pop("trust_env", None)
    return httpx.AsyncClient(
        transport=guarded_transport(policy, **transport_kwargs),
        trust_env=False,
        **httpx_client_kwargs,
    )
