"""Typed identifiers.

`TenantId` is deliberately a distinct type: only the auth layer (from a verified JWT,
widget session token or API key) and operator commands create one, and every repository
takes it. A plain UUID from a request body can never be passed where a tenant is needed
without a type checker noticing.
"""

from __future__ import annotations

import secrets
import uuid
from typing import NewType

TenantId = NewType("TenantId", uuid.UUID)
BotId = NewType("BotId", uuid.UUID)
StoreId = NewType("StoreId", uuid.UUID)
UserId = NewType("UserId", uuid.UUID)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def new_widget_key() -> str:
    # Public by nature (it sits in the store's page source); the origin allow-list guards it.
    return "wk_" + secrets.token_urlsafe(18)
