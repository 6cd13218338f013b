"""What a WooCommerce webhook delivery is made of: its signature (HMAC-SHA256 of the body,
base64), the ping WooCommerce sends when a webhook is created, its headers, the key that
deduplicates it, and the product it concerns. No I/O: `ingestion.webhooks` verifies,
records and applies deliveries with these."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs


def expected_signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_matches(body: bytes, signature: str | None, secret: str) -> bool:
    if not signature or not secret:
        return False
    return hmac.compare_digest(
        expected_signature(body, secret).encode(), signature.strip().encode()
    )


def is_ping(headers: Mapping[str, str], body: bytes) -> bool:
    """WooCommerce's ping on webhook creation: `webhook_id=<id>`, form-encoded, no topic."""
    if header(headers, "x-wc-webhook-topic"):
        return False
    try:
        form = parse_qs(body.decode("ascii"), strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return False
    values = form.get("webhook_id") or []
    return set(form) == {"webhook_id"} and bool(values) and values[0].isdigit()


def header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = {k.lower(): v for k, v in headers.items()}
        value = lowered.get(name.lower())
    return value


def delivery_key(
    store_id: uuid.UUID, body: bytes, bare_deletion_generation: int | None = None
) -> str:
    """The deduplication key of a verified delivery: the signed body (no unsigned header),
    within its store (two stores of one tenant may well send the same `{"id": 5}`).

    `bare_deletion_generation` is given for an `{"id": N}` body: the number of versions of
    that resource recorded before (see `ingestion.webhooks`)."""
    key = "sha256:" + hashlib.sha256(store_id.bytes + body).hexdigest()
    return key if bare_deletion_generation is None else f"{key}:v{bare_deletion_generation}"


def bare_resource_id(payload: dict[str, Any]) -> str | None:
    """N for a payload that is only `{"id": N}` (what WooCommerce sends for a deletion)."""
    if set(payload) != {"id"} or isinstance(payload["id"], bool):
        return None
    resource_id = payload["id"]
    return str(resource_id) if isinstance(resource_id, int | str) else None


def printable(value: str | None, limit: int = 100) -> str:
    """An unsigned header made safe to log: printable ASCII, bounded."""
    return "".join(ch for ch in (value or "") if " " <= ch <= "~")[:limit] or "-"


def target_product_id(payload: dict[str, Any]) -> int | None:
    """The product to re-read: a variation's parent, else the resource itself."""
    try:
        resource_id = int(payload["id"])
    except (KeyError, TypeError, ValueError):
        return None
    parent = payload.get("parent_id")
    if payload.get("type") == "variation" and isinstance(parent, int) and parent > 0:
        return parent
    return resource_id
