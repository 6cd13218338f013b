"""The web app's sign-in: the refresh token in an HttpOnly cookie, never in JavaScript.

`POST /v1/auth/login` and `/register` with `"session": "cookie"` set two cookies:
- `shopbot_refresh`: the refresh token; HttpOnly (no script reads it), `SameSite=Strict`,
  and sent only to `/v1/auth/session/...`, the two routes that accept it;
- `shopbot_csrf`: readable by the page (`Path=/`), an HMAC of the refresh token under a key
  derived from the process key. The app echoes it in `X-CSRF-Token`.

A cookie route (`session/refresh`, `session/logout`) requires the refresh cookie (401
`not_signed_in`), the matching `X-CSRF-Token` (403 `csrf_failed`) and, when the browser sends
an `Origin`, the public API URL's origin (403 `csrf_failed`). The CSRF token is bound to the
refresh token, so a cookie an attacker plants (a sibling subdomain can set cookies for us)
comes without a header value they could compute; SameSite and the Origin check are the other
two layers. The access token stays in the page's memory and travels as a bearer header, so
no other route ever accepts a cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Response

from core.errors import Forbidden, Unauthorized
from dashboard_api.auth.tokens import REFRESH_LIFETIME, derive_key
from dashboard_api.throttle import ThrottleRule

REFRESH_COOKIE = "shopbot_refresh"
CSRF_COOKIE = "shopbot_csrf"
CSRF_HEADER = "X-CSRF-Token"
REFRESH_COOKIE_PATH = "/v1/auth/session"
COOKIE_MAX_AGE = int(REFRESH_LIFETIME.total_seconds())
# Per client address, every attempt counted (as registration is): a browser refreshes about
# every 15 minutes per tab, so this only bites a client that loops.
SESSION_PER_IP = ThrottleRule(max_attempts=60, window_s=60)


class NotSignedIn(Unauthorized):
    code = "not_signed_in"
    title = "Not signed in"


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    title = "Cross-site request refused"


def csrf_token(signing_key: str, refresh_token: str) -> str:
    digest = hmac.new(
        derive_key(signing_key, "dashboard-csrf"),
        f"csrf:{refresh_token}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def web_origin(url: str) -> str:
    """`scheme://host[:port]` as a browser writes it in `Origin` (default ports left out)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(scheme)
    port = f":{parts.port}" if parts.port is not None and parts.port != default_port else ""
    return f"{scheme}://{host}{port}"


@dataclass(frozen=True)
class SessionCookies:
    """How this server writes and checks the cookies: keyed by the process key, `Secure`
    when the public API URL is https, the expected `Origin` taken from that same URL."""

    signing_key: str
    public_api_url: str

    @property
    def secure(self) -> bool:
        return self.public_api_url.lower().startswith("https://")

    def _cookie(self, name: str, value: str, *, path: str, max_age: int, http_only: bool) -> str:
        # Written by hand rather than with Starlette's set_cookie (which spells SameSite in
        # lower case): these attributes are the contract the web app and its tests read.
        attributes = [f"{name}={value}", f"Path={path}", f"Max-Age={max_age}"]
        if http_only:
            attributes.append("HttpOnly")
        attributes.append("SameSite=Strict")
        if self.secure:
            attributes.append("Secure")
        return "; ".join(attributes)

    def set(self, response: Response, refresh_token: str) -> None:
        response.headers.append(
            "set-cookie",
            self._cookie(
                REFRESH_COOKIE,
                refresh_token,
                path=REFRESH_COOKIE_PATH,
                max_age=COOKIE_MAX_AGE,
                http_only=True,
            ),
        )
        response.headers.append(
            "set-cookie",
            self._cookie(
                CSRF_COOKIE,
                csrf_token(self.signing_key, refresh_token),
                path="/",
                max_age=COOKIE_MAX_AGE,
                http_only=False,
            ),
        )

    def clear(self, response: Response) -> None:
        for name, path, http_only in (
            (REFRESH_COOKIE, REFRESH_COOKIE_PATH, True),
            (CSRF_COOKIE, "/", False),
        ):
            response.headers.append(
                "set-cookie", self._cookie(name, "", path=path, max_age=0, http_only=http_only)
            )

    def checked_refresh_token(
        self, cookie: str | None, presented_csrf: str | None, origin: str | None
    ) -> str:
        """The cookie's refresh token, once the CSRF header and the origin check out
        (401 `not_signed_in`, 403 `csrf_failed`)."""
        if not cookie:
            raise NotSignedIn("There is no sign-in cookie; sign in again.")
        expected = csrf_token(self.signing_key, cookie)
        if not hmac.compare_digest((presented_csrf or "").encode(), expected.encode()):
            raise CsrfFailed(f"The {CSRF_HEADER} header does not match this sign-in.")
        if origin is not None and origin.strip().lower() != web_origin(self.public_api_url):
            raise CsrfFailed("This request comes from another site.")
        return cookie
