"""The one refusal of the outbound guard.

The detail names the reason category only: never the remote answer, never the address a
name resolved to (that would turn the guard into a resolver of internal names). For the same
reason a host name that resolves to a refused address gets the answer of a name that does
not resolve (`unresolvable`); the categories name addresses written in the URL.
"""

from __future__ import annotations

from typing import ClassVar

from core.errors import ValidationFailed

# reason -> what the caller reads; one entry per category the guard can name.
REASONS: dict[str, str] = {
    "invalid_url": "the URL could not be read",
    "scheme": "only http(s) URLs are allowed",
    "http": "plain http:// is not allowed; use https://",
    "userinfo": "a user name or password in the URL is not allowed",
    "port": "only the standard ports are allowed",
    "unresolvable": "the host name does not resolve to a public address",
    "loopback": "the host is a loopback address",
    "private": "the host is a private network address",
    "link_local": "the host is a link-local address (this includes cloud metadata services)",
    "shared": "the host is a carrier-grade NAT (shared) address",
    "multicast": "the host is a multicast address",
    "unspecified": "the host is an unspecified address",
    "broadcast": "the host is a broadcast address",
    "documentation": "the host is a documentation address",
    "benchmarking": "the host is a benchmarking address",
    "reserved": "the host is a reserved address",
    "unique_local": "the host is an IPv6 unique-local address",
    "site_local": "the host is an IPv6 site-local address",
    "teredo": "the host is a Teredo tunnel address",
}


class OutboundRefused(ValidationFailed):
    """A URL a user gave is not one the server will connect to (422, `url_not_allowed`)."""

    status_code: ClassVar[int] = 422
    code: ClassVar[str] = "url_not_allowed"
    title: ClassVar[str] = "URL not allowed"

    def __init__(self, reason: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown outbound refusal reason {reason!r}")
        self.reason = reason
        super().__init__(
            f"The server does not connect to this URL: {REASONS[reason]}.", reason=reason
        )
