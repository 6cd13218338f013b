"""Which IP addresses the server never connects to on a user's behalf, and how a host
string is read as an address the way the OS would (inet_aton: `127.1`, `2130706433`,
`0177.0.0.1`, `0x7f.0.0.1` are all 127.0.0.1).

IPv6 forms that carry an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by
the IPv4 address inside them: `::ffff:127.0.0.1` is loopback. Anything IPv6 outside
global unicast (2000::/3) is refused as reserved.
"""

from __future__ import annotations

import ipaddress
import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address

# Order matters where ranges nest: the first match names the reason.
_IPV4_REFUSED: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified"),  # "this network": 0.0.0.0 reaches the local host on Linux
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link_local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "reserved"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "reserved"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("255.255.255.255/32", "broadcast"),
        ("240.0.0.0/4", "reserved"),
    )
)

_IPV6_REFUSED: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(net), reason)
    for net, reason in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("64:ff9b:1::/48", "reserved"),  # local-use NAT64
        ("100::/64", "reserved"),  # discard-only
        ("2001::/32", "teredo"),
        ("2001:2::/48", "benchmarking"),
        ("2001:db8::/32", "documentation"),
        ("2001::/23", "reserved"),  # IETF protocol assignments
        ("3fff::/20", "documentation"),
        ("5f00::/16", "reserved"),  # SRv6 SIDs
        ("fc00::/7", "unique_local"),
        ("fe80::/10", "link_local"),
        ("fec0::/10", "site_local"),
        ("ff00::/8", "multicast"),
    )
)
_GLOBAL_UNICAST = IPv6Network("2000::/3")
_HEX = re.compile(r"0[xX][0-9a-fA-F]*", re.ASCII)
_OCTAL = re.compile(r"0[0-7]*", re.ASCII)
_DECIMAL = re.compile(r"[1-9][0-9]*", re.ASCII)
_MAPPED = IPv6Network("::ffff:0:0/96")
_COMPATIBLE = IPv6Network("::/96")
_NAT64 = IPv6Network("64:ff9b::/96")


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the embedding forms."""
    if address in _MAPPED or (address in _COMPATIBLE and int(address) > 1):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return None


def refusal_reason(address: IPAddress) -> str | None:
    """The reason category the address is refused for, or None if it is a public one."""
    if isinstance(address, IPv6Address):
        address = IPv6Address(int(address))  # drop a zone id (fe80::1%eth0) before comparing
        inner = embedded_ipv4(address)
        if inner is not None:
            return refusal_reason(inner)
        for network6, reason in _IPV6_REFUSED:
            if address in network6:
                return reason
        if address not in _GLOBAL_UNICAST or not address.is_global:
            return "reserved"
        return None
    for network, reason in _IPV4_REFUSED:
        if address in network:
            return reason
    return None if address.is_global else "reserved"


def connect_address(address: IPAddress) -> IPAddress:
    """Where to open the socket: a mapped or compatible IPv6 address is its IPv4 address."""
    if isinstance(address, IPv6Address) and (
        address in _MAPPED or (address in _COMPATIBLE and int(address) > 1)
    ):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def parse_ip_literal(host: str) -> IPAddress | None:
    """`host` read as an address the way getaddrinfo/inet_aton would, or None for a name."""
    candidate = host.strip("[]")
    if candidate.endswith("."):
        candidate = candidate[:-1]
    try:
        return ipaddress.ip_address(candidate.split("%", 1)[0] if ":" in candidate else candidate)
    except ValueError:
        pass
    return _inet_aton(candidate)


def _inet_aton(text: str) -> IPv4Address | None:
    """BSD inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last
    part fills the remaining bytes (`127.1` = 127.0.0.1, `2130706433` = 127.0.0.1)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        value = _inet_number(part)
        if value is None:
            return None
        values.append(value)
    *leading, last = values
    if any(v > 0xFF for v in leading) or last >= 1 << (8 * (4 - len(leading))):
        return None
    number = last
    for index, value in enumerate(leading):
        number |= value << (8 * (3 - index))
    return IPv4Address(number)


def _inet_number(part: str) -> int | None:
    if _HEX.fullmatch(part):
        return int(part[2:], 16) if len(part) > 2 else 0
    if _OCTAL.fullmatch(part):
        return int(part, 8)
    if _DECIMAL.fullmatch(part):
        return int(part, 10)
    return None
