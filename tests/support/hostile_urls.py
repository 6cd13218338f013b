"""The hostile URL matrix every outbound path is tested with.

Each URL is aimed, where it can be, at the `RecordingListener`'s port on this machine,
written in a form some layer might read differently (decimal, octal, hex and short IPv4,
IPv6 loopback, mapped, compatible, 6to4 and NAT64 forms, names resolving to loopback), so
that an unguarded client would really reach the listener. The policy allows plain http
and the listener's port: the address (or scheme, userinfo, port) is what must refuse it.
A name resolving to a refused address is refused as `unresolvable`, like a name that does
not resolve: the guard names no category for a name (no oracle for internal names).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from core.outbound import OutboundPolicy

PUBLIC_ADDRESS = "93.184.216.34"  # a public unicast address; nothing in the tests connects to it
NAMES = {
    "loopback.test": ["127.0.0.1"],
    "loopback6.test": ["::1"],
    "mixed.test": [PUBLIC_ADDRESS, "127.0.0.1"],  # one private answer among public ones
    "mixed-private.test": [PUBLIC_ADDRESS, "10.1.2.3"],
    "metadata.test": ["169.254.169.254"],
    "public.test": [PUBLIC_ADDRESS],
}


def matrix_resolver(host: str) -> list[str]:
    """The `.test` names above, anything else (localhost) as the OS resolves it."""
    if host in NAMES:
        return NAMES[host]
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


@dataclass(frozen=True)
class Hostile:
    url: str
    reason: str  # the refusal category the guard must name


def matrix_policy(port: int) -> OutboundPolicy:
    return OutboundPolicy(
        allow_http=True, allowed_ports=frozenset({80, 443, port}), resolver=matrix_resolver
    )


def hostile_urls(port: int) -> list[Hostile]:
    p = port
    return [
        Hostile(f"http://127.0.0.1:{p}/", "loopback"),
        Hostile(f"http://2130706433:{p}/", "loopback"),  # decimal
        Hostile(f"http://0177.0.0.1:{p}/", "loopback"),  # octal
        Hostile(f"http://0x7f.0.0.1:{p}/", "loopback"),  # hex
        Hostile(f"http://0x7f000001:{p}/", "loopback"),  # one hex number
        Hostile(f"http://127.1:{p}/", "loopback"),  # short form
        Hostile(f"http://127.0.0.1.:{p}/", "loopback"),  # trailing dot
        Hostile(f"http://0.0.0.0:{p}/", "unspecified"),  # Linux connects it to the local host
        Hostile(f"http://0:{p}/", "unspecified"),
        Hostile(f"http://[::1]:{p}/", "loopback"),
        Hostile(f"http://[::]:{p}/", "unspecified"),
        Hostile(f"http://[::ffff:127.0.0.1]:{p}/", "loopback"),  # IPv4-mapped
        Hostile(f"http://[::ffff:7f00:1]:{p}/", "loopback"),  # IPv4-mapped, hex
        Hostile(f"http://[0:0:0:0:0:ffff:127.0.0.1]:{p}/", "loopback"),
        Hostile(f"http://[::127.0.0.1]:{p}/", "loopback"),  # IPv4-compatible
        Hostile(f"http://[2002:7f00:1::]:{p}/", "loopback"),  # 6to4 of 127.0.0.1
        Hostile(f"http://[64:ff9b::7f00:1]:{p}/", "loopback"),  # NAT64 of 127.0.0.1
        Hostile(f"http://loopback.test:{p}/", "unresolvable"),  # a name resolving to 127.0.0.1
        Hostile(f"http://loopback6.test:{p}/", "unresolvable"),
        Hostile(f"http://mixed.test:{p}/", "unresolvable"),  # public and private answers
        Hostile(f"http://localhost:{p}/", "unresolvable"),
        Hostile(f"http://LOCALHOST.:{p}/", "unresolvable"),
        Hostile("http://169.254.169.254/latest/meta-data/", "link_local"),  # cloud metadata
        Hostile("http://metadata.test/latest/meta-data/", "unresolvable"),
        Hostile("http://[::ffff:169.254.169.254]/", "link_local"),
        Hostile("http://[64:ff9b::a9fe:a9fe]/", "link_local"),
        Hostile("http://[2002:a9fe:a9fe::]/", "link_local"),
        Hostile("http://100.64.0.1/", "shared"),  # CGNAT
        Hostile("http://10.0.0.1/", "private"),
        Hostile("http://0x0a000001/", "private"),
        Hostile("http://172.16.0.1/", "private"),
        Hostile("http://192.168.1.1/", "private"),
        Hostile("http://mixed-private.test/", "unresolvable"),
        Hostile("http://[fc00::1]/", "unique_local"),
        Hostile("http://[fd12:3456:789a::1]/", "unique_local"),
        Hostile("http://[fe80::1]/", "link_local"),
        Hostile("http://[fec0::1]/", "site_local"),
        Hostile("http://224.0.0.1/", "multicast"),
        Hostile("http://[ff02::1]/", "multicast"),
        Hostile("http://255.255.255.255/", "broadcast"),
        Hostile("http://240.0.0.1/", "reserved"),
        Hostile("http://192.0.2.10/", "documentation"),
        Hostile("http://198.18.0.1/", "benchmarking"),
        Hostile("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "teredo"),
        Hostile("http://public.test:8080/", "port"),  # a non-standard port
        Hostile(f"http://public.test@127.0.0.1:{p}/", "userinfo"),
        Hostile("http://user:secret@public.test/", "userinfo"),
        Hostile(f"ftp://127.0.0.1:{p}/", "scheme"),
        Hostile("file:///etc/passwd", "scheme"),
        Hostile(f"gopher://127.0.0.1:{p}/_INFO", "scheme"),
    ]
