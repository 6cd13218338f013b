"""`check_url`: may the server connect to this URL, and to which addresses exactly.

The URL is read as httpx reads it (the guarded transport checks the very `httpx.URL` it is
about to send), the host as the OS reads it, and every address the name resolves to must
pass: one private answer among public ones refuses the URL (a rebinding name would
otherwise pick its moment). The caller connects to `CheckedTarget.address`, never to
the name again.
"""

from __future__ import annotations

import inspect
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio
import httpx

from core.outbound.addresses import IPAddress, connect_address, parse_ip_literal, refusal_reason
from core.outbound.errors import OutboundRefused
from core.outbound.policy import OutboundPolicy, normalise_host

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class CheckedTarget:
    url: httpx.URL
    host: str  # as written in the URL (lower case, no brackets): the Host header and TLS name
    port: int
    addresses: tuple[str, ...]  # every address the host resolved to, all checked

    @property
    def address(self) -> str:
        """The address to connect to."""
        return self.addresses[0]


async def check_url(url: str | httpx.URL, policy: OutboundPolicy) -> CheckedTarget:
    """The checked target, or `OutboundRefused` naming why not."""
    parsed = _parse(url)
    scheme = parsed.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise OutboundRefused("scheme")
    if scheme == "http" and not policy.allow_http:
        raise OutboundRefused("http")
    if parsed.userinfo:
        raise OutboundRefused("userinfo")
    host = normalise_host(parsed.raw_host.decode("ascii", errors="replace"))
    if not host:
        raise OutboundRefused("invalid_url")
    port = parsed.port if parsed.port is not None else _DEFAULT_PORTS[scheme]
    if port not in policy.allowed_ports:
        raise OutboundRefused("port")
    literal = parse_ip_literal(host)
    addresses = [literal] if literal is not None else await _resolve(host, policy)
    if not policy.allows_host(host):
        for address in addresses:
            reason = refusal_reason(address)
            if reason is not None:
                # An address written in the URL is named by its category; a name is not: a
                # name that resolves inside reads like one that does not resolve, so the
                # answers do not tell which internal names exist.
                raise OutboundRefused(reason if literal is not None else "unresolvable")
    usable = tuple(dict.fromkeys(str(connect_address(a)) for a in addresses))
    return CheckedTarget(url=parsed, host=host, port=port, addresses=usable)


def _parse(url: str | httpx.URL) -> httpx.URL:
    if isinstance(url, httpx.URL):
        return url
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        pass
    # httpx refuses some numeric hosts (0177.0.0.1) that the OS would still read as an
    # address: name the address's category when there is one, so the answer is the same
    # as for its other spellings.
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    literal = parse_ip_literal(host) if host else None
    reason = refusal_reason(literal) if literal is not None else None
    raise OutboundRefused(reason or "invalid_url")


async def _resolve(host: str, policy: OutboundPolicy) -> list[IPAddress]:
    try:
        with anyio.fail_after(policy.resolve_timeout_s):
            answer = policy.resolver(host)
            if inspect.isawaitable(answer):
                answer = await answer
    except (OSError, LookupError, UnicodeError, TimeoutError):
        raise OutboundRefused("unresolvable") from None
    addresses: list[IPAddress] = []
    for text in answer:
        try:
            addresses.append(ipaddress.ip_address(str(text).split("%", 1)[0]))
        except ValueError:
            raise OutboundRefused("unresolvable") from None
    if not addresses:
        raise OutboundRefused("unresolvable")
    return addresses
