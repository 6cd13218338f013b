"""A store's signed webhook delivery taken end to end in process, as the route and the
worker do: verified and recorded, then applied (store reads from the WooCommerce fake,
hashed vectors)."""

from __future__ import annotations

import uuid

from core.crypto import SecretBox
from core.db.database import Database
from ingestion.webhooks import ApplyOutcome, apply_webhook_event, receive_woocommerce_webhook
from tests.dashboard_api.support import HashingEmbedder
from tests.support.sync import local_fake_source
from tests.support.woo_store import FakeWooStore


async def deliver_and_apply(
    db: Database, box: SecretBox, store: FakeWooStore, store_id: uuid.UUID, topic: str, pid: int
) -> tuple[uuid.UUID, ApplyOutcome]:
    """(the recorded event's id, how applying it went) for the store's delivery of `topic`
    about product `pid` to the store `store_id`."""
    [delivery] = [d for d in store.webhook_deliveries(topic, pid) if str(store_id) in d.url]
    received = await receive_woocommerce_webhook(
        db, box, store_id=store_id, headers=delivery.headers, body=delivery.body
    )
    assert received.accepted and received.tenant_id is not None and received.event_id
    outcome = await apply_webhook_event(
        db,
        received.tenant_id,
        received.event_id,
        secret_box=box,
        embedder=HashingEmbedder(),
        source_factory=local_fake_source,
    )
    return received.event_id, outcome
