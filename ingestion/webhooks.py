"""WooCommerce webhooks: verify, record once, apply.

`receive_woocommerce_webhook` is everything the HTTP route does besides HTTP: it resolves
the store's tenant through the SECURITY DEFINER lookup, verifies the signature against the
store's own secret (decrypted with the SecretBox, compared in constant time), and inserts
the raw event under its delivery id. The unique constraint on (tenant, source, external id)
makes a replay a no-op. Only a newly recorded event is applied (inline, or by a task).

Applying never trusts the payload's facts: deliveries come out of order and a variation
arrives under its own id, so `apply_webhook_event` re-reads the product from the store and
indexes what is there now (or removes it when it is gone or no longer public).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import SecretBox
from core.db.database import Database
from core.errors import BadRequest, NotFound, PayloadTooLarge, Unauthorized
from core.ids import TenantId
from core.models import StoreConnection, WebhookEvent
from engine.embeddings import Embedder
from ingestion.indexing import repository
from ingestion.indexing.service import IndexingService
from ingestion.stores import tenant_of_store
from ingestion.sync.service import SourceFactory, load_store, woo_source_for

log = logging.getLogger(__name__)

MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024  # a product with many variations and images fits easily
SOURCE = "woocommerce"
PRODUCT_TOPICS = ("product.created", "product.updated", "product.restored", "product.deleted")


@dataclass(frozen=True)
class ReceivedWebhook:
    """What the route answers with. `event_id` is set only for a newly recorded event."""

    status: str  # "ping" | "accepted" | "duplicate" | "ignored"
    tenant_id: TenantId | None = None
    store_id: uuid.UUID | None = None
    event_id: uuid.UUID | None = None
    topic: str | None = None


def expected_signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_matches(body: bytes, signature: str | None, secret: str) -> bool:
    if not signature or not secret:
        return False
    return hmac.compare_digest(expected_signature(body, secret).encode(), signature.strip().encode())


def is_ping(headers: Mapping[str, str], body: bytes) -> bool:
    """WooCommerce's ping on webhook creation: `webhook_id=<id>`, form-encoded, no topic."""
    if _header(headers, "x-wc-webhook-topic"):
        return False
    try:
        form = parse_qs(body.decode("ascii"), strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        return False
    values = form.get("webhook_id")
    return set(form) == {"webhook_id"} and bool(values) and values[0].isdigit()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = {k.lower(): v for k, v in headers.items()}
        value = lowered.get(name.lower())
    return value


async def _webhook_secret(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, secret_box: SecretBox
) -> str | None:
    ciphertext = await session.scalar(
        select(StoreConnection.webhook_secret_ciphertext).where(
            StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id
        )
    )
    return secret_box.decrypt(ciphertext) if ciphertext else None


async def receive_woocommerce_webhook(
    db: Database,
    secret_box: SecretBox,
    *,
    store_id: uuid.UUID,
    headers: Mapping[str, str],
    body: bytes,
) -> ReceivedWebhook:
    """Verify and record one delivery. Raises NotFound, Unauthorized, BadRequest,
    PayloadTooLarge; on any of them nothing has been written."""
    if len(body) > MAX_WEBHOOK_BODY_BYTES:
        raise PayloadTooLarge(f"webhook bodies are limited to {MAX_WEBHOOK_BODY_BYTES} bytes")
    if is_ping(headers, body):
        # A ping carries no data and changes nothing; WooCommerce disables a webhook whose
        # ping fails, which can happen before the store row is even committed.
        return ReceivedWebhook(status="ping", store_id=store_id)
    tenant_id = await tenant_of_store(db, store_id)
    if tenant_id is None:
        raise NotFound("unknown store")
    async with db.tenant_session(tenant_id) as session:
        secret = await _webhook_secret(session, tenant_id, store_id, secret_box)
        if secret is None or not signature_matches(body, _header(headers, "x-wc-webhook-signature"), secret):
            raise Unauthorized("webhook signature does not match")
        topic = (_header(headers, "x-wc-webhook-topic") or "").strip().lower()
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("webhook body is not JSON") from exc
        if not isinstance(payload, dict):
            raise BadRequest("webhook body must be a JSON object")
        delivery_id = (_header(headers, "x-wc-webhook-delivery-id") or "").strip()
        if not delivery_id:
            # Old WooCommerce versions sent none; the signed body and topic identify a delivery.
            delivery_id = "sha256:" + hashlib.sha256(topic.encode() + b"\n" + body).hexdigest()
        if topic not in PRODUCT_TOPICS:
            return ReceivedWebhook(status="ignored", tenant_id=tenant_id, store_id=store_id, topic=topic)
        event_id = await record_event(
            session, tenant_id, store_id, delivery_id=delivery_id[:200], topic=topic, payload=payload
        )
    if event_id is None:
        return ReceivedWebhook(status="duplicate", tenant_id=tenant_id, store_id=store_id, topic=topic)
    return ReceivedWebhook(
        status="accepted", tenant_id=tenant_id, store_id=store_id, event_id=event_id, topic=topic
    )


async def record_event(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    delivery_id: str,
    topic: str,
    payload: dict[str, Any],
) -> uuid.UUID | None:
    """Insert the raw event; None when this delivery was already recorded (a replay)."""
    return await session.scalar(
        insert(WebhookEvent)
        .values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            source=SOURCE,
            external_id=delivery_id,
            topic=topic,
            store_id=store_id,
            payload=payload,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "source", "external_id"])
        .returning(WebhookEvent.id)
    )


async def load_event(session: AsyncSession, tenant_id: TenantId, event_id: uuid.UUID) -> WebhookEvent:
    event = await session.scalar(
        select(WebhookEvent).where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.id == event_id)
    )
    if event is None:
        raise NotFound("webhook event not found")
    return event


async def mark_event(
    session: AsyncSession, tenant_id: TenantId, event_id: uuid.UUID, *, status: str, error: str | None = None
) -> None:
    await session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.id == event_id)
        .values(status=status, error=error, processed_at=func.now())
    )


# --- applying a recorded event ----------------------------------------------------------
def _target_product_id(payload: dict[str, Any]) -> int | None:
    """The product to re-read: a variation's parent, else the resource itself."""
    try:
        resource_id = int(payload.get("id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    parent = payload.get("parent_id")
    if payload.get("type") == "variation" and isinstance(parent, int) and parent > 0:
        return parent
    return resource_id


async def apply_webhook_event(
    db: Database,
    tenant_id: TenantId,
    event_id: uuid.UUID,
    *,
    secret_box: SecretBox,
    embedder: Embedder,
    source_factory: SourceFactory | None = None,
) -> str:
    """Bring the event's product in line with the store: index it as it is now, or remove it.

    Returns the event's final status ("processed", or "skipped" when it already was).
    Errors mark the event failed and propagate (a task retries; the next sync heals).
    """
    async with db.tenant_session(tenant_id) as session:
        event = await load_event(session, tenant_id, event_id)
        if event.status == "processed":
            return "skipped"
        store_id, payload = event.store_id, dict(event.payload or {})
    if store_id is None:
        raise NotFound("webhook event has no store")
    try:
        target = _target_product_id(payload)
        if target is None:
            raise BadRequest("webhook payload has no product id")
        async with db.tenant_session(tenant_id) as session:
            # A deletion names only an id; if it is one of our variations, its parent changed.
            parent = await repository.product_by_variation(session, tenant_id, store_id, str(target))
        if parent is not None:
            target = int(parent)
        store = await load_store(db, tenant_id, store_id)
        source = (source_factory or woo_source_for)(store, secret_box)
        try:
            document = await source.product(target)
        finally:
            await source.aclose()
        indexer = IndexingService(db, tenant_id, embedder)
        if document is not None and document.indexable:
            await indexer.index_documents(store_id, [document])
        else:
            await indexer.delete_products(store_id, [str(target)])
    except Exception as exc:
        detail = " ".join(str(getattr(exc, "detail", None) or exc or type(exc).__name__).split())[:500]
        async with db.tenant_session(tenant_id) as session:
            await mark_event(session, tenant_id, event_id, status="failed", error=detail)
        raise
    async with db.tenant_session(tenant_id) as session:
        await mark_event(session, tenant_id, event_id, status="processed")
    return "processed"
