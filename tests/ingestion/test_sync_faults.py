"""A sync survives what shared hosting does to a store's API, and a catalogue that shifts
under its paging."""

from __future__ import annotations

import uuid

import pytest

from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from emulators.woocommerce import Fault
from ingestion.sync.jobs import SyncJobRecord
from ingestion.sync.service import (
    load_job_record,
    run_sync,
    run_sync_steps,
    start_sync,
    woo_source_for,
)
from ingestion.woocommerce.retry import RetryPolicy
from tests.support.sync import (
    MemoEmbedder,
    assert_parity,
    connect_store,
    indexed_state,
    new_tenant,
)
from tests.support.woo_store import FakeWooStore

ANY_PRODUCT_ROUTE = r"^/wc/v3/products"


async def test_sync_reaches_parity_under_twenty_percent_faults(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    fake_store.reset_request_log()
    rules = [
        # Certain hits on the listing itself, then ~20% of every product request at random.
        fake_store.faults.add(Fault("server_error", route=r"^/wc/v3/products$", on_requests=[1])),
        fake_store.faults.add(Fault("truncate", route=r"^/wc/v3/products$", on_requests=[3])),
        fake_store.faults.add(Fault("server_error", route=ANY_PRODUCT_ROUTE, probability=0.07)),
        fake_store.faults.add(
            Fault("rate_limit", route=ANY_PRODUCT_ROUTE, probability=0.05, retry_after="0")
        ),
        fake_store.faults.add(Fault("truncate", route=ANY_PRODUCT_ROUTE, probability=0.04)),
        fake_store.faults.add(Fault("disconnect", route=ANY_PRODUCT_ROUTE, probability=0.04)),
    ]

    def persistent(store, box):
        return woo_source_for(
            store,
            box,
            retry=RetryPolicy(max_attempts=10, base_delay_s=0.05),
            outbound=fake_store.outbound_policy,
        )

    record = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        source_factory=persistent,
    )
    assert record.status == "succeeded", record
    fired = sum(rule.fired for rule in rules)
    assert fired >= 4, [rule.fired for rule in rules]
    assert fired / len(fake_store.requests) >= 0.1, (fired, len(fake_store.requests))
    await assert_parity(committed_db, tenant, store_id, fake_store)


async def test_products_skipped_by_a_shifting_listing_are_still_indexed(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    """Trashing products mid-walk shifts later ones onto pages already read; the range check
    finds them by id instead of losing them, and the next reconcile removes the trashed."""
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    first = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        outbound=fake_store.outbound_policy,
    )
    assert first.status == "succeeded"
    fake_store.faults.add(
        Fault("drop_items", route=r"^/wc/v3/products$", on_requests=[2], drop_count=4)
    )
    shifted = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="reconcile",
        secret_box=secret_box,
        embedder=embedder,
        per_page=40,
        outbound=fake_store.outbound_policy,
    )
    assert shifted.status == "succeeded", shifted
    indexed = await indexed_state(committed_db, tenant, store_id)
    assert fake_store.publicly_visible_ids() <= {int(i) for i in indexed}  # nobody lost
    assert any("include" in r.query for r in fake_store.requests)  # stragglers were looked up by id

    settled = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="reconcile",
        secret_box=secret_box,
        embedder=embedder,
        per_page=40,
        outbound=fake_store.outbound_policy,
    )
    assert settled.status == "succeeded"
    await assert_parity(committed_db, tenant, store_id, fake_store)


async def test_a_store_that_stays_down_fails_the_job_with_one_line(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    fake_store.faults.add(Fault("server_error", route=r"^/wc/v3/products$"))

    def impatient(store, box):
        return woo_source_for(
            store,
            box,
            retry=RetryPolicy(max_attempts=2, base_delay_s=0.01),
            outbound=fake_store.outbound_policy,
        )

    record = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        source_factory=impatient,
    )
    assert record.status == "failed" and record.error is not None
    assert "server error" in record.error and "\n" not in record.error
    assert await indexed_state(committed_db, tenant, store_id) == {}


async def _rename_many_then_drop_items_mid_walk(
    db: Database, box: SecretBox, embedder: MemoEmbedder, store: FakeWooStore
) -> tuple[TenantId, uuid.UUID, list[int], Fault]:
    """A synced store, then 70 renamed products (an incremental listing of four pages of 20)
    of which the first four get trashed just before page 2 is served."""
    tenant = await new_tenant(db)
    store_id = await connect_store(db, box, tenant, store)
    first = await run_sync(
        db,
        tenant,
        store_id,
        mode="full",
        secret_box=box,
        embedder=embedder,
        outbound=store.outbound_policy,
    )
    assert first.status == "succeeded"
    renamed = sorted(store.publicly_visible_ids())[:70]
    for product_id in renamed:
        store.update_product(product_id, name=store.product(product_id)["name"] + " (new season)")
    store.reset_request_log()
    drop = store.faults.add(
        Fault("drop_items", route=r"^/wc/v3/products$", on_requests=[2], drop_count=4)
    )
    return tenant, store_id, renamed, drop


async def _assert_exact_parity_after_one_rewalk(
    db: Database,
    tenant: TenantId,
    store_id: uuid.UUID,
    store: FakeWooStore,
    record: SyncJobRecord,
    renamed: list[int],
    drop: Fault,
) -> None:
    assert record.status == "succeeded", record
    assert drop.fired == 1
    trashed = set(renamed[:4])  # the first four of page 1, trashed before page 2 was served
    assert trashed.isdisjoint(store.publicly_visible_ids())
    indexed = await assert_parity(db, tenant, store_id, store)
    assert all(
        indexed[str(i)]["name"].endswith("(new season)") for i in renamed if i not in trashed
    )
    assert record.counts.deleted == len(trashed)
    walks = [
        r
        for r in store.requests
        if r.route == "/wc/v3/products"
        and "modified_after" in r.query
        and r.query["status"] == "any"
        and r.query["page"] == "1"
    ]
    assert len(walks) == 2  # the listing was walked a second time, and that walk was enough


async def test_an_incremental_sync_reaches_parity_when_the_listing_shifts_under_it(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    """Products trashed between two pages of the `modified_after` listing shift later ones
    onto a page already read. The walk sees X-WP-Total move and walks the listing again for
    the products it skipped; the trashed ones leave the index through the trash listing."""
    tenant, store_id, renamed, drop = await _rename_many_then_drop_items_mid_walk(
        committed_db, secret_box, embedder, fake_store
    )
    record = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="incremental",
        secret_box=secret_box,
        embedder=embedder,
        per_page=20,
        outbound=fake_store.outbound_policy,
    )
    await _assert_exact_parity_after_one_rewalk(
        committed_db, tenant, store_id, fake_store, record, renamed, drop
    )


async def test_a_shifted_listing_is_still_noticed_when_the_walk_runs_in_slices(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    """Celery runs a sync a few pages per task: what the walk has seen travels in the
    checkpoint, so the last slice still knows the listing shifted in the first."""
    tenant, store_id, renamed, drop = await _rename_many_then_drop_items_mid_walk(
        committed_db, secret_box, embedder, fake_store
    )
    claim = await start_sync(committed_db, tenant, store_id, mode="incremental")
    slices = 0
    for _ in range(19):
        slices += 1
        result = await run_sync_steps(
            committed_db,
            tenant,
            claim.job.id,
            claim.owner,
            secret_box=secret_box,
            embedder=embedder,
            max_pages=1,
            per_page=20,
            outbound=fake_store.outbound_policy,
        )
        if result.done:
            break
    else:
        pytest.fail("the sliced sync never finished")
    record = await load_job_record(committed_db, tenant, claim.job.id)
    assert slices == 8  # one page per slice: the four of the first walk, then the re-walk's four
    await _assert_exact_parity_after_one_rewalk(
        committed_db, tenant, store_id, fake_store, record, renamed, drop
    )
