"""The plan's product quota in syncs and webhooks: new products only while the tenant has
room, indexed ones always updated and never deleted for it, a warning on the job and the
store, the rest indexed after an upgrade. Real HTTP to the WooCommerce emulator, the real
database; the embedder hashes words (a real `Embedder`, no model) so the test measures the
sync, not MiniLM's speed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import URL, func, select

from core.billing.plan_changes import set_plan_manually
from core.billing.plans import offered_plan
from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import Product, StoreConnection, WebhookEvent
from emulators.catalog import generate_catalog
from ingestion.sync.service import run_sync
from ingestion.webhooks import ApplyOutcome
from tests.dashboard_api.support import HashingEmbedder
from tests.support.plans import private_plan, put_on_plan
from tests.support.sync import (
    assert_parity,
    chunk_total,
    connect_store,
    indexed_state,
    new_tenant,
    store_row,
)
from tests.support.webhook_delivery import deliver_and_apply
from tests.support.woo_store import FakeWooStore

FREE_LIMIT = 500


@pytest.fixture(scope="module")
def thousand_store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(1000, seed=1014)) as store:
        yield store


def _detail(skipped: int, of: int | None = None) -> str:
    total = f" of the store's {of:,}" if of else ""
    verb = "was" if skipped == 1 else "were"
    return (
        f"The Free plan indexes up to 500 products; {skipped:,}{total} {verb} left out. "
        "Upgrade to index them."
    )


async def _sync(db: Database, box: SecretBox, tenant: TenantId, store_id, store, mode: str):
    record = await run_sync(
        db,
        tenant,
        store_id,
        mode=mode,
        secret_box=box,
        embedder=HashingEmbedder(),
        outbound=store.outbound_policy,
    )
    assert record.status == "succeeded", record
    return record


async def _tenant_products(db: Database, tenant: TenantId) -> int:
    async with db.tenant_session(tenant) as session:
        return int(await session.scalar(select(func.count()).select_from(Product)) or 0)


async def test_a_free_plan_indexes_500_of_1000_says_so_and_an_upgrade_indexes_the_rest(
    committed_db: Database, secret_box: SecretBox, thousand_store: FakeWooStore
) -> None:
    store = thousand_store
    tenant = await new_tenant(committed_db, "Quota 1k")
    store_id = await connect_store(committed_db, secret_box, tenant, store)
    visible = sorted(store.publicly_visible_ids())
    assert len(visible) > FREE_LIMIT
    left_out = len(visible) - FREE_LIMIT

    full = await _sync(committed_db, secret_box, tenant, store_id, store, "full")
    indexed = await indexed_state(committed_db, tenant, store_id)
    # The store's order (ascending id): the oldest 500 products, each with its chunks.
    assert set(indexed) == {str(i) for i in visible[:FREE_LIMIT]}
    assert all(state["chunks"] >= 1 for state in indexed.values())
    assert full.counts.created == FREE_LIMIT
    assert full.counts.chunks_written == await chunk_total(committed_db, tenant, store_id)
    warning = {
        "code": "product_quota",
        "detail": _detail(left_out, len(visible)),
        "limit": FREE_LIMIT,
        "skipped": left_out,
        "plan": "free",
    }
    assert full.warnings == [warning]
    assert (await store_row(committed_db, tenant, store_id)).sync_warning == warning["detail"]

    # Incremental: an indexed product's new price applies, a left-out product's change
    # still does not get in, and nothing indexed is dropped.
    store.set_price(visible[0], "12.34")
    store.set_price(visible[-1], "56.78")
    incremental = await _sync(committed_db, secret_box, tenant, store_id, store, "incremental")
    after = await indexed_state(committed_db, tenant, store_id)
    assert set(after) == set(indexed)
    assert after[str(visible[0])]["price"] == Decimal("12.34")
    assert incremental.counts.created == 0 and incremental.counts.deleted == 0
    assert [w["skipped"] for w in incremental.warnings] == [1]
    assert incremental.warnings[0]["detail"] == _detail(1)
    # It saw only what changed: the store keeps the whole catalogue's warning.
    assert (await store_row(committed_db, tenant, store_id)).sync_warning == warning["detail"]

    async with committed_db.tenant_session(tenant) as session:
        await set_plan_manually(session, tenant, await offered_plan(session, "growth"))
    reconcile = await _sync(committed_db, secret_box, tenant, store_id, store, "reconcile")
    await assert_parity(committed_db, tenant, store_id, store)
    assert reconcile.counts.created == left_out
    assert reconcile.warnings == []
    assert (await store_row(committed_db, tenant, store_id)).sync_warning is None


async def test_two_stores_of_one_tenant_syncing_at_once_never_overshoot(
    committed_db: Database, secret_box: SecretBox, owner_url: URL
) -> None:
    two_stores = await private_plan(owner_url, like="free", stores=2)  # and Free's 500 products
    with (
        FakeWooStore(generate_catalog(330, seed=31)) as first,
        FakeWooStore(generate_catalog(330, seed=32)) as second,
    ):
        tenant = await new_tenant(committed_db, "Quota race")
        await put_on_plan(committed_db, tenant, two_stores)
        ids = [await connect_store(committed_db, secret_box, tenant, s) for s in (first, second)]
        visible = len(first.publicly_visible_ids()) + len(second.publicly_visible_ids())
        assert visible > FREE_LIMIT
        records = await asyncio.gather(
            _sync(committed_db, secret_box, tenant, ids[0], first, "full"),
            _sync(committed_db, secret_box, tenant, ids[1], second, "full"),
        )
    assert await _tenant_products(committed_db, tenant) == FREE_LIMIT
    assert sum(r.counts.created for r in records) == FREE_LIMIT
    skipped = [sum(w["skipped"] for w in r.warnings) for r in records]
    assert sum(skipped) == visible - FREE_LIMIT
    for record, store_id, left in zip(records, ids, skipped, strict=True):
        expected = record.warnings[0]["detail"] if left else None
        assert (await store_row(committed_db, tenant, store_id)).sync_warning == expected


async def _event(db: Database, tenant: TenantId, event_id: uuid.UUID) -> WebhookEvent:
    async with db.tenant_session(tenant) as session:
        event = await session.get(WebhookEvent, event_id)
        assert event is not None
        return event


async def test_webhooks_add_no_product_beyond_the_quota_and_a_suspended_store_applies_none(
    committed_db: Database, secret_box: SecretBox
) -> None:
    with FakeWooStore(generate_catalog(620, seed=41)) as store:
        tenant = await new_tenant(committed_db, "Quota hooks")
        store_id = await connect_store(
            committed_db, secret_box, tenant, store, public_api_url="http://shopbot.test"
        )
        await _sync(committed_db, secret_box, tenant, store_id, store, "full")
        assert await _tenant_products(committed_db, tenant) == FREE_LIMIT

        added = store.add_product("Quota-bound lamp", "30.00")
        event_id, outcome = await deliver_and_apply(
            committed_db, secret_box, store, store_id, "product.created", added["id"]
        )
        assert outcome == ApplyOutcome.NOT_APPLIED
        event = await _event(committed_db, tenant, event_id)
        assert event.status == "not_applied"
        assert event.error == (
            "not applied: the Free plan indexes up to 500 products and has no room for a new one"
        )
        assert await _tenant_products(committed_db, tenant) == FREE_LIMIT

        indexed_id = min(store.publicly_visible_ids())
        store.set_price(indexed_id, "77.70")
        _, outcome = await deliver_and_apply(
            committed_db, secret_box, store, store_id, "product.updated", indexed_id
        )
        assert outcome == ApplyOutcome.PROCESSED
        state = await indexed_state(committed_db, tenant, store_id)
        assert state[str(indexed_id)]["price"] == Decimal("77.70")

        await _suspend(committed_db, tenant, store_id)
        store.set_price(indexed_id, "88.80")
        event_id, outcome = await deliver_and_apply(
            committed_db, secret_box, store, store_id, "product.updated", indexed_id
        )
    assert outcome == ApplyOutcome.NOT_APPLIED
    event = await _event(committed_db, tenant, event_id)
    assert event.status == "not_applied" and event.error is not None
    assert "suspended by the plan" in event.error
    state = await indexed_state(committed_db, tenant, store_id)
    assert state[str(indexed_id)]["price"] == Decimal("77.70")  # acknowledged, not applied


async def _suspend(db: Database, tenant: TenantId, store_id: uuid.UUID) -> None:
    async with db.tenant_session(tenant) as session:
        store = await session.get(StoreConnection, store_id)
        assert store is not None
        store.suspended_by_plan_at = func.now()
