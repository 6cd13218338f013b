"""One outbound guard for every server-side request to a URL a user gave (store URLs,
webhook registration, bring-your-own model endpoints, any later URL import).

    policy = policy_from_settings(settings)
    target = await check_url(url, policy)              # OutboundRefused (422) or the checked IPs
    async with guarded_async_client(policy) as client:  # every request and redirect hop checked,
        await client.get(url)                           # connected to the checked address

Refused: schemes other than http(s), http unless allowed, ports other than 443/80 unless
allowed, user info in the URL, and any host that is (or resolves to, for any of its
addresses) a loopback, private, link-local, CGNAT, multicast, unspecified, broadcast,
reserved, documentation or benchmarking address, IPv6 unique-local or site-local, Teredo,
or an IPv6 form embedding a refused IPv4 address. `allowed_hosts` exempts named hosts from
the address check (local fakes in the demo and tests only).
"""

from core.outbound.check import CheckedTarget, check_url
from core.outbound.errors import OutboundRefused
from core.outbound.policy import (
    OutboundPolicy,
    Resolver,
    configured_policy,
    policy_from_settings,
    system_resolver,
)
from core.outbound.transport import GuardedTransport, guarded_async_client, guarded_transport

__all__ = [
    "CheckedTarget",
    "GuardedTransport",
    "OutboundPolicy",
    "OutboundRefused",
    "Resolver",
    "check_url",
    "configured_policy",
    "guarded_async_client",
    "guarded_transport",
    "policy_from_settings",
    "system_resolver",
]
