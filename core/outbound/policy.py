"""What the outbound guard allows: the policy, built from settings, and the resolver.

The default policy is the production one: https on port 443 or 80 to public addresses
only. The demo and the tests opt in to their 127.0.0.1 fakes explicitly (`allow_http`,
`allowed_hosts={"127.0.0.1"}`, the fake's port); nothing allows them by default.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio

from core.errors import ConfigurationError
from core.settings import Settings, get_settings

# host -> the IP addresses it resolves to (as strings); may be sync or async.
Resolver = Callable[[str], "list[str] | Awaitable[list[str]]"]
DEFAULT_PORTS = frozenset({443, 80})


async def system_resolver(host: str) -> list[str]:
    """getaddrinfo in a worker thread: the OS's own reading of the name (hosts file, DNS,
    and inet_aton's numeric forms). A lookup past the policy's `resolve_timeout_s` is left
    to finish in its thread (getaddrinfo cannot be interrupted) while the caller moves on:
    a name server that answers slowly holds neither the request nor a token of anyio's
    shared thread limiter (which the API's other thread work uses) beyond the timeout."""
    infos = await anyio.to_thread.run_sync(
        lambda: socket.getaddrinfo(host, None, type=socket.SOCK_STREAM), abandon_on_cancel=True
    )
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class OutboundPolicy:
    allow_http: bool = False
    allowed_ports: frozenset[int] = DEFAULT_PORTS
    # Hosts exempt from the address check, as written in the URL (e.g. "127.0.0.1" for a
    # local fake). The scheme and port rules still apply to them. Empty in production.
    allowed_hosts: frozenset[str] = frozenset()
    resolver: Resolver = field(default=system_resolver, compare=False)
    resolve_timeout_s: float = 10.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_ports", frozenset(int(p) for p in self.allowed_ports))
        object.__setattr__(
            self, "allowed_hosts", frozenset(normalise_host(h) for h in self.allowed_hosts)
        )

    def allows_host(self, host: str) -> bool:
        return normalise_host(host) in self.allowed_hosts


def normalise_host(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host[:-1] if host.endswith(".") else host


def policy_from_settings(settings: Settings) -> OutboundPolicy:
    """`SHOPBOT_OUTBOUND_ALLOW_HTTP`, `SHOPBOT_OUTBOUND_ALLOWED_HOSTS` (comma separated)
    and `SHOPBOT_OUTBOUND_ALLOWED_PORTS` (comma separated; default 443,80)."""
    hosts = frozenset(
        h for h in (normalise_host(x) for x in settings.outbound_allowed_hosts.split(",")) if h
    )
    return OutboundPolicy(
        allow_http=settings.outbound_allow_http,
        allowed_ports=_ports(settings.outbound_allowed_ports),
        allowed_hosts=hosts,
    )


def configured_policy(policy: OutboundPolicy | None = None) -> OutboundPolicy:
    """`policy`, or the process's own from its settings when a caller gave none."""
    return policy if policy is not None else policy_from_settings(get_settings())


def _ports(text: str) -> frozenset[int]:
    values = [p.strip() for p in text.split(",") if p.strip()]
    if not values:
        return DEFAULT_PORTS
    ports: set[int] = set()
    for value in values:
        if not value.isascii() or not value.isdigit() or not 0 < int(value) < 65536:
            raise ConfigurationError(
                f"SHOPBOT_OUTBOUND_ALLOWED_PORTS must list port numbers (1-65535), got {value!r}"
            )
        ports.add(int(value))
    return frozenset(ports)
