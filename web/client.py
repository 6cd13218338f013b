"""Who is calling: the client's address and user agent, read from the request in one place,
and how an address is counted by the limits keyed on it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

# What a missing or unreadable address is counted as: all of them share one identity.
UNKNOWN_ADDRESS = "unknown"
USER_AGENT_MAX_CHARS = 500


@dataclass(frozen=True)
class ClientInfo:
    """Who is calling, for rate limits, throttling and the audit log. `ip` is a valid
    address (normalised) or None; `host` is the peer as the server reported it."""

    ip: str | None
    user_agent: str | None
    host: str | None = None

    @property
    def address(self) -> str:
        """The widget API's rate-limit identity: the peer's host exactly as the server
        reported it, parsable or not (`unknown` when there is none). Not `ip`: a host that
        is not an address (a proxy's forwarded value with a port, say) must stay a key of
        its own rather than share one bucket with every other such caller."""
        return self.host or self.ip or UNKNOWN_ADDRESS


def get_client_info(request: Request) -> ClientInfo:
    # Behind a proxy, run uvicorn with --proxy-headers/--forwarded-allow-ips so that
    # `request.client` is the caller's address and not the proxy's.
    host = request.client.host if request.client else None
    try:
        ip = str(ipaddress.ip_address(host)) if host else None
    except ValueError:
        ip = None
    agent = request.headers.get("user-agent")
    return ClientInfo(ip=ip, user_agent=agent[:USER_AGENT_MAX_CHARS] if agent else None, host=host)


ClientDep = Annotated[ClientInfo, Depends(get_client_info)]


def address_identity(ip: str | None) -> str:
    """A client address as the sign-in throttle counts it: itself, or its /64 for IPv6 (the
    block a single subscriber usually gets)."""
    if not ip:
        return UNKNOWN_ADDRESS
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return UNKNOWN_ADDRESS
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
