"""Web origins and a bot's allow-list.

An allow-list entry is an exact origin (`https://shop.example.com`) or a wildcard
(`https://*.example.com`). A wildcard matches subdomains only: same scheme and port, at
least one label before the suffix, never the apex itself, never `evil-example.com`. A
wildcard on a single label (`https://*.com`) matches nothing, so a typo cannot open a bot
to a whole top-level domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")


@dataclass(frozen=True, slots=True)
class _Origin:
    scheme: str
    host: str  # lowercase; for a wildcard pattern the part after "*."
    port: int | None  # None = the scheme's default port
    wildcard: bool = False

    def serialise(self) -> str:
        host = ("*." if self.wildcard else "") + self.host
        port = f":{self.port}" if self.port is not None else ""
        return f"{self.scheme}://{host}{port}"


def _valid_host(host: str) -> bool:
    if _IPV6.match(host):
        return True
    labels = host.split(".")
    return len(host) <= 253 and all(_LABEL.match(label) for label in labels)


def _parse(value: str, *, allow_wildcard: bool) -> _Origin | None:
    value = value.strip()
    if not value or value == "null" or any(c.isspace() for c in value):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    netloc = parts.netloc.lower()
    if not netloc or "@" in netloc:
        return None
    host = netloc.rsplit(":", 1)[0] if port is not None or netloc.endswith(":") else netloc
    wildcard = False
    if host.startswith("*."):
        if not allow_wildcard:
            return None
        wildcard, host = True, host[2:]
        if "." not in host:  # `*.com`: refused, see the module docstring
            return None
    if not host or not _valid_host(host):
        return None
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    return _Origin(scheme=scheme, host=host, port=port, wildcard=wildcard)


def normalise_request_origin(value: str | None) -> str | None:
    """The browser's `Origin` header as a comparable string, or None if it is not a web
    origin (missing, `null`, a path, a wildcard...)."""
    if value is None:
        return None
    parsed = _parse(value, allow_wildcard=False)
    return parsed.serialise() if parsed else None


def origin_allowed(origin: str | None, allowed: Iterable[str]) -> bool:
    request = _parse(origin, allow_wildcard=False) if origin else None
    if request is None:
        return False
    for entry in allowed:
        pattern = _parse(entry, allow_wildcard=True)
        if pattern is None or pattern.scheme != request.scheme or pattern.port != request.port:
            continue
        if not pattern.wildcard:
            if pattern.host == request.host:
                return True
            continue
        suffix = "." + pattern.host
        if request.host.endswith(suffix) and len(request.host) > len(suffix):
            return True
    return False
