"""Widget session tokens: short-lived HS256 JWTs bound to a tenant, bot, visitor and origin.

The HMAC key is derived from the process signing key for this one purpose, so a token the
merchant API signs with the same process key can never pass as a widget session (the
audience differs too).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from api.errors import InvalidSession

AUDIENCE = "widget"
ISSUER = "shopbot"
ALGORITHM = "HS256"
SESSION_LIFETIME = timedelta(minutes=30)
CLOCK_LEEWAY = timedelta(seconds=10)
_KEY_PURPOSE = b"shopbot widget session token v1"
_REQUIRED = ["exp", "iat", "aud", "iss", "tenant_id", "bot_id", "visitor_id", "origin"]


@dataclass(frozen=True, slots=True)
class SessionClaims:
    tenant_id: uuid.UUID
    bot_id: uuid.UUID
    visitor_id: str
    origin: str
    expires_at: datetime


def new_visitor_id() -> str:
    return "v_" + secrets.token_urlsafe(16)


class SessionTokens:
    def __init__(self, signing_key: str, *, lifetime: timedelta = SESSION_LIFETIME) -> None:
        if not signing_key:
            raise ValueError("the widget session tokens need a signing key")
        self._key = hmac.new(signing_key.encode(), _KEY_PURPOSE, hashlib.sha256).hexdigest()
        self.lifetime = lifetime

    def issue(
        self,
        *,
        tenant_id: uuid.UUID,
        bot_id: uuid.UUID,
        origin: str,
        visitor_id: str | None = None,
        now: datetime | None = None,
    ) -> tuple[str, SessionClaims]:
        issued = (now or datetime.now(UTC)).replace(microsecond=0)
        claims = SessionClaims(
            tenant_id=tenant_id,
            bot_id=bot_id,
            visitor_id=visitor_id or new_visitor_id(),
            origin=origin,
            expires_at=issued + self.lifetime,
        )
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": int(issued.timestamp()),
            "exp": int(claims.expires_at.timestamp()),
            "tenant_id": str(tenant_id),
            "bot_id": str(bot_id),
            "visitor_id": claims.visitor_id,
            "origin": origin,
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM), claims

    def verify(self, token: str) -> SessionClaims:
        """The token's claims, or `InvalidSession` (expired, tampered, foreign, malformed)."""
        try:
            payload = self._decode(token, verify_exp=True)
        except jwt.ExpiredSignatureError as exc:
            raise InvalidSession("The widget session has expired; start a new one.") from exc
        except jwt.PyJWTError as exc:
            raise InvalidSession("The widget session token is not valid.") from exc
        claims = _claims(payload)
        if claims is None:
            raise InvalidSession("The widget session token is not valid.")
        return claims

    def verify_ignoring_expiry(self, token: str) -> SessionClaims | None:
        """An authentic token's claims even after it expired (None for anything else)."""
        try:
            return _claims(self._decode(token, verify_exp=False))
        except jwt.PyJWTError:
            return None

    def _decode(self, token: str, *, verify_exp: bool) -> dict[str, Any]:
        return jwt.decode(
            token,
            self._key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=CLOCK_LEEWAY,
            options={"require": _REQUIRED, "verify_exp": verify_exp},
        )


def _claims(payload: dict[str, Any]) -> SessionClaims | None:
    try:
        tenant_id = uuid.UUID(str(payload["tenant_id"]))
        bot_id = uuid.UUID(str(payload["bot_id"]))
        visitor_id, origin = payload["visitor_id"], payload["origin"]
        expires_at = datetime.fromtimestamp(int(payload["exp"]), UTC)
    except (KeyError, ValueError, TypeError, OverflowError):
        return None
    if not isinstance(visitor_id, str) or not isinstance(origin, str) or not visitor_id:
        return None
    return SessionClaims(tenant_id, bot_id, visitor_id, origin, expires_at)
