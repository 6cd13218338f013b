"""WooCommerce webhooks: verify, record once, apply.

`receive_woocommerce_webhook` is everything the HTTP route does besides HTTP: it resolves
the store's tenant through the SECURITY DEFINER lookup, verifies the signature against the
store's own secret (decrypted with the SecretBox, compared in constant time), and inserts
the raw event once. Only a newly recorded event is applied (inline, or by a task).

What makes a delivery "the same": WooCommerce signs the body only. The delivery id, topic
and every other header can be changed by whoever captured a delivery, so deduplication is
keyed on the signed body (`delivery_key`): a replay under a fresh `X-WC-Webhook-Delivery-ID`
is still a duplicate. A created/updated/restored body carries the product's
`date_modified`, so each version of a product is its own key. A deletion body is only
`{"id": N}`, byte-identical every time that product is deleted; its key also counts the
versions of that product recorded so far, so trash → restore → trash applies the second
deletion while a replay of the first one (before anything else happened) stays a no-op.
The delivery id itself is only logged, for matching our log against the store's.

Unknown store or bad signature: the caller gets the same `Unauthorized` either way, and the
work done is the same (the secret lookup runs under a tenant that has no rows, and the HMAC
is computed against a throwaway secret), so neither the answer nor its timing tells whether
a store id exists.

Applying never trusts the payload's facts: deliveries come out of order and a variation
arrives under its own id, so `apply_webhook_event` re-reads the product from the store and
indexes what is there now (or removes it when it is gone or no longer public).
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core import search_vocabulary
from core.crypto import SecretBox
from core.db.database import Database
from core.db.rows import tenant_row
from core.errors import BadRequest, NotFound, PayloadTooLarge, Unauthorized
from core.ids import TenantId
from core.models import StoreConnection, WebhookEvent
from core.models.sync import WebhookEventStatus
from engine.embeddings import Embedder
from ingestion.failures import one_line_error
from ingestion.indexing import quota, repository
from ingestion.indexing.service import IndexingService
from ingestion.stores import tenant_of_store
from ingestion.sync.service import SourceFactory, load_store, woo_source_for
from ingestion.woocommerce.webhooks import (
    bare_resource_id,
    delivery_key,
    header,
    is_ping,
    printable,
    signature_matches,
    target_product_id,
)

log = logging.getLogger(__name__)

MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024  # a product with many variations and images fits easily
SOURCE = "woocommerce"
PRODUCT_TOPICS = ("product.created", "product.updated", "product.restored", "product.deleted")


class WebhookReceipt(StrEnum):
    """What became of a delivery (the route answers `{"status": ...}` with it)."""

    PING = "ping"  # WooCommerce checking the URL when the webhook is created
    ACCEPTED = "accepted"  # recorded now: to be applied
    DUPLICATE = "duplicate"  # this signed body was recorded before
    IGNORED = "ignored"  # verified, but not a product topic


class ApplyOutcome(StrEnum):
    PROCESSED = "processed"
    SKIPPED = "skipped"  # the event had been processed before
    NOT_APPLIED = "not_applied"  # the plan stopped it (the event's `error` says how)


SUSPENDED_REASON = "not applied: the store is suspended by the plan (over its store quota)"


@dataclass(frozen=True)
class ReceivedWebhook:
    """What the route answers with. `event_id` is set only for a newly recorded event."""

    status: WebhookReceipt
    tenant_id: TenantId | None = None
    store_id: uuid.UUID | None = None
    event_id: uuid.UUID | None = None
    topic: str | None = None
    # For a duplicate: the event recorded when this signed body first arrived.
    duplicate_of: uuid.UUID | None = None

    @property
    def accepted(self) -> bool:
        """Recorded now, so it is to be applied."""
        return self.status == WebhookReceipt.ACCEPTED


async def _webhook_secret(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, secret_box: SecretBox
) -> str | None:
    ciphertext = await session.scalar(
        select(StoreConnection.webhook_secret_ciphertext).where(
            StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id
        )
    )
    return secret_box.decrypt(ciphertext) if ciphertext else None


def _signature_refused() -> Unauthorized:
    # One message for an unknown store, a store without a secret and a wrong signature.
    return Unauthorized("webhook signature does not match")


async def _refuse_like_a_bad_signature(
    db: Database,
    secret_box: SecretBox,
    store_id: uuid.UUID,
    headers: Mapping[str, str],
    body: bytes,
) -> Unauthorized:
    """The work of a known store's check, against nothing: the same secret lookup (under a
    tenant id that owns no rows, so it finds none) and an HMAC with a throwaway secret."""
    nobody = TenantId(uuid.uuid4())
    async with db.tenant_session(nobody) as session:
        await _webhook_secret(session, nobody, store_id, secret_box)
    signature_matches(body, header(headers, "x-wc-webhook-signature"), secrets.token_urlsafe(32))
    return _signature_refused()


async def _recorded_versions(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    payload: dict[str, Any],
    resource_id: str,
) -> int:
    """Events recorded for this store's resource that carried more than its bare id."""
    return (
        await session.scalar(
            select(func.count())
            .select_from(WebhookEvent)
            .where(
                WebhookEvent.tenant_id == tenant_id,
                WebhookEvent.source == SOURCE,
                WebhookEvent.store_id == store_id,
                WebhookEvent.payload["id"].astext == resource_id,
                WebhookEvent.payload != payload,
            )
        )
        or 0
    )


async def receive_woocommerce_webhook(
    db: Database,
    secret_box: SecretBox,
    *,
    store_id: uuid.UUID,
    headers: Mapping[str, str],
    body: bytes,
) -> ReceivedWebhook:
    """Verify and record one delivery. Raises Unauthorized (unknown store or bad signature,
    indistinguishably), BadRequest, PayloadTooLarge; on any of them nothing has been written."""
    if len(body) > MAX_WEBHOOK_BODY_BYTES:
        raise PayloadTooLarge(f"webhook bodies are limited to {MAX_WEBHOOK_BODY_BYTES} bytes")
    if is_ping(headers, body):
        # A ping carries no data and changes nothing; WooCommerce disables a webhook whose
        # ping fails, which can happen before the store row is even committed.
        return ReceivedWebhook(status=WebhookReceipt.PING, store_id=store_id)
    tenant_id = await tenant_of_store(db, store_id)
    if tenant_id is None:
        raise await _refuse_like_a_bad_signature(db, secret_box, store_id, headers, body)
    delivery_id = printable(header(headers, "x-wc-webhook-delivery-id"))
    async with db.tenant_session(tenant_id) as session:
        secret = await _webhook_secret(session, tenant_id, store_id, secret_box)
        # A store without a secret is checked against a throwaway one: the same work, no match.
        secret = secret or secrets.token_urlsafe(32)
        if not signature_matches(body, header(headers, "x-wc-webhook-signature"), secret):
            raise _signature_refused()
        topic = (header(headers, "x-wc-webhook-topic") or "").strip().lower()
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("webhook body is not JSON") from exc
        if not isinstance(payload, dict):
            raise BadRequest("webhook body must be a JSON object")
        if topic not in PRODUCT_TOPICS:
            return ReceivedWebhook(
                status=WebhookReceipt.IGNORED, tenant_id=tenant_id, store_id=store_id, topic=topic
            )
        resource_id = bare_resource_id(payload)
        generation = (
            await _recorded_versions(session, tenant_id, store_id, payload, resource_id)
            if resource_id is not None
            else None
        )
        key = delivery_key(store_id, body, generation)
        event_id = await record_event(
            session, tenant_id, store_id, external_id=key, topic=topic, payload=payload
        )
        earlier = None if event_id is not None else await _event_id_by_key(session, tenant_id, key)
    if event_id is None:
        log.info(
            "webhook delivery %s for store %s is a replay of event %s",
            delivery_id,
            store_id,
            earlier,
        )
        return ReceivedWebhook(
            status=WebhookReceipt.DUPLICATE,
            tenant_id=tenant_id,
            store_id=store_id,
            topic=topic,
            duplicate_of=earlier,
        )
    log.info(
        "webhook delivery %s for store %s recorded as event %s (%s)",
        delivery_id,
        store_id,
        event_id,
        topic,
    )
    return ReceivedWebhook(
        status=WebhookReceipt.ACCEPTED,
        tenant_id=tenant_id,
        store_id=store_id,
        event_id=event_id,
        topic=topic,
    )


async def _event_id_by_key(
    session: AsyncSession, tenant_id: TenantId, key: str
) -> uuid.UUID | None:
    return await session.scalar(
        select(WebhookEvent.id).where(
            WebhookEvent.tenant_id == tenant_id,
            WebhookEvent.source == SOURCE,
            WebhookEvent.external_id == key,
        )
    )


async def record_event(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    external_id: str,
    topic: str,
    payload: dict[str, Any],
) -> uuid.UUID | None:
    """Insert the raw event under its deduplication key (for WooCommerce `delivery_key`,
    never an unsigned header); None when that key was already recorded (a replay)."""
    return await session.scalar(
        insert(WebhookEvent)
        .values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            source=SOURCE,
            external_id=external_id,
            topic=topic,
            store_id=store_id,
            payload=payload,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "source", "external_id"])
        .returning(WebhookEvent.id)
    )


async def load_event(
    session: AsyncSession, tenant_id: TenantId, event_id: uuid.UUID
) -> WebhookEvent:
    return await tenant_row(
        session, WebhookEvent, tenant_id, event_id, missing="webhook event not found"
    )


async def mark_event(
    session: AsyncSession,
    tenant_id: TenantId,
    event_id: uuid.UUID,
    *,
    status: WebhookEventStatus,
    error: str | None = None,
) -> None:
    await session.execute(
        update(WebhookEvent)
        .where(WebhookEvent.tenant_id == tenant_id, WebhookEvent.id == event_id)
        .values(status=status, error=error, processed_at=func.now())
    )


# --- applying a recorded event ----------------------------------------------------------
async def apply_webhook_event(
    db: Database,
    tenant_id: TenantId,
    event_id: uuid.UUID,
    *,
    secret_box: SecretBox,
    embedder: Embedder,
    source_factory: SourceFactory | None = None,
) -> ApplyOutcome:
    """Bring the event's product in line with the store: index it as it is now, or remove it.

    Returns PROCESSED, or SKIPPED when the event had been processed before.
    Errors mark the event failed and propagate (a task retries; the next sync heals).
    """
    async with db.tenant_session(tenant_id) as session:
        event = await load_event(session, tenant_id, event_id)
        if event.status == WebhookEventStatus.PROCESSED:
            return ApplyOutcome.SKIPPED
        store_id, payload = event.store_id, dict(event.payload or {})
    if store_id is None:
        raise NotFound("webhook event has no store")
    try:
        target = target_product_id(payload)
        if target is None:
            raise BadRequest("webhook payload has no product id")
        async with db.tenant_session(tenant_id) as session:
            # A deletion names only an id; if it is one of our variations, its parent changed.
            parent = await repository.product_by_variation(
                session, tenant_id, store_id, str(target)
            )
        if parent is not None:
            target = int(parent)
        store = await load_store(db, tenant_id, store_id)
        # A suspended store is not read at all; re-enabled, its next sync catches up.
        reason = SUSPENDED_REASON if store.suspended_by_plan_at is not None else None
        if reason is None:
            reason = await _index_from_store(
                db, tenant_id, store, target, secret_box, embedder, source_factory
            )
    except Exception as exc:
        async with db.tenant_session(tenant_id) as session:
            await mark_event(
                session,
                tenant_id,
                event_id,
                status=WebhookEventStatus.FAILED,
                error=one_line_error(exc),
            )
        raise
    status = WebhookEventStatus.PROCESSED if reason is None else WebhookEventStatus.NOT_APPLIED
    async with db.tenant_session(tenant_id) as session:
        await mark_event(session, tenant_id, event_id, status=status, error=reason)
    return ApplyOutcome.PROCESSED if reason is None else ApplyOutcome.NOT_APPLIED


async def _index_from_store(
    db: Database,
    tenant_id: TenantId,
    store: StoreConnection,
    target: int,
    secret_box: SecretBox,
    embedder: Embedder,
    source_factory: SourceFactory | None,
) -> str | None:
    """Index the product as the store has it now, or remove it; the reason it was not
    applied (a new product the plan's product quota has no room for), else None."""
    source = (source_factory or woo_source_for)(store, secret_box)
    try:
        document = await source.product(target)
    finally:
        await source.aclose()
    indexer = IndexingService(db, tenant_id, embedder)
    if document is None or not document.indexable:
        await indexer.delete_products(store.id, [str(target)])
        return None
    batch = await indexer.index_batch(store.id, [document])
    if batch.counts is not None and batch.counts.updated:
        # The update may have taken the product's last 'red' (recoloured, unpublished):
        # the batch only added to the tenant's vocabulary (core.search_vocabulary).
        async with db.tenant_session(tenant_id) as session:
            await search_vocabulary.recompute_if_small(session, tenant_id)
    return quota.not_applied_reason(batch.room) if batch.left_out else None
