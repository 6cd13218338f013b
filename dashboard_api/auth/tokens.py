"""Access tokens (JWT), refresh tokens and one-time tokens.

Access: HS256 JWT, `aud="dashboard"`, `typ="access"`, ~15 minutes; claims carry the user
(`sub`), the tenant (`tid`) and the role at issue time. The signing key is derived from the
process key for this purpose alone, so a token minted for another audience with the same
process key (the widget's sessions) can never verify here, even without the audience check.

Refresh: opaque, `rt_<tenant hex>_<random>`; only the SHA-256 of the whole string is
stored, so the tenant part cannot be altered without missing the stored hash. Keeping the
tenant in the token lets `refresh_tokens` (a table without `tenant_id`) serve a session
that belongs to one business.

One-time (email verification, password reset, invitations): opaque random strings, stored
hashed, single use.
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

from dashboard_api.errors import InvalidToken

AUDIENCE = "dashboard"
ISSUER = "shopbot"
ALGORITHM = "HS256"
ACCESS_LIFETIME = timedelta(minutes=15)
REFRESH_LIFETIME = timedelta(days=30)
REFRESH_PREFIX = "rt_"
API_KEY_PREFIX = "sk_live_"


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    expires_at: datetime


def derive_key(signing_key: str, purpose: str) -> bytes:
    return hmac.new(signing_key.encode(), f"shopbot:{purpose}:v1".encode(), hashlib.sha256).digest()


class AccessTokens:
    def __init__(self, signing_key: str, *, lifetime: timedelta = ACCESS_LIFETIME) -> None:
        self._key = derive_key(signing_key, "dashboard-access")
        self.lifetime = lifetime

    def issue(self, *, user_id: uuid.UUID, tenant_id: uuid.UUID, role: str) -> str:
        now = datetime.now(UTC)
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "typ": "access",
            "sub": str(user_id),
            "tid": str(tenant_id),
            "role": role,
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def verify(self, token: str) -> AccessClaims:
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "aud", "iss", "sub", "tid", "typ"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("The access token has expired; refresh it.") from None
        except jwt.PyJWTError:
            raise InvalidToken("The access token is not valid.") from None
        try:
            if payload["typ"] != "access":
                raise ValueError
            return AccessClaims(
                user_id=uuid.UUID(payload["sub"]),
                tenant_id=uuid.UUID(payload["tid"]),
                role=str(payload.get("role", "")),
                expires_at=datetime.fromtimestamp(payload["exp"], UTC),
            )
        except (ValueError, TypeError, KeyError):
            raise InvalidToken("The access token is not valid.") from None


def new_refresh_token(tenant_id: uuid.UUID) -> str:
    return f"{REFRESH_PREFIX}{tenant_id.hex}_{secrets.token_urlsafe(32)}"


def refresh_token_tenant(token: str) -> uuid.UUID | None:
    if not token.startswith(REFRESH_PREFIX):
        return None
    tenant_hex, _, rest = token[len(REFRESH_PREFIX) :].partition("_")
    if not rest:
        return None
    try:
        return uuid.UUID(hex=tenant_hex)
    except ValueError:
        return None


def new_one_time_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def looks_like_api_key(token: str) -> bool:
    return token.startswith(API_KEY_PREFIX)
