"""A sync survives what shared hosting does to a store's API, and a catalogue that shifts
under its paging."""

from __future__ import annotations

from core.crypto import SecretBox
from core.db.database import Database
from ingestion.sync.service import run_sync, woo_source_for
from ingestion.woocommerce.retry import RetryPolicy
from tests.fakes.woocommerce import Fault, FakeWooStore
from tests.ingestion.test_sync_support import (  # noqa: F401 - fixtures
    MemoEmbedder,
    assert_parity,
    connect_store,
    embedder,
    fake_store,
    indexed_state,
    new_tenant,
    secret_box,
)

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
        fake_store.faults.add(Fault("rate_limit", route=ANY_PRODUCT_ROUTE, probability=0.05, retry_after="0")),
        fake_store.faults.add(Fault("truncate", route=ANY_PRODUCT_ROUTE, probability=0.04)),
        fake_store.faults.add(Fault("disconnect", route=ANY_PRODUCT_ROUTE, probability=0.04)),
    ]

    def persistent(store, box):  # noqa: ANN001, ANN202 - more attempts: 5 failures in a row must not happen
        return woo_source_for(store, box, retry=RetryPolicy(max_attempts=10, base_delay_s=0.05))

    record = await run_sync(committed_db, tenant, store_id, mode="full", secret_box=secret_box, embedder=embedder,
                            source_factory=persistent)
    assert record["status"] == "succeeded", record
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
    first = await run_sync(committed_db, tenant, store_id, mode="full", secret_box=secret_box, embedder=embedder)
    assert first["status"] == "succeeded"
    fake_store.faults.add(Fault("drop_items", route=r"^/wc/v3/products$", on_requests=[2], drop_count=4))
    shifted = await run_sync(committed_db, tenant, store_id, mode="reconcile", secret_box=secret_box,
                             embedder=embedder, per_page=40)
    assert shifted["status"] == "succeeded", shifted
    indexed = await indexed_state(committed_db, tenant, store_id)
    assert fake_store.publicly_visible_ids() <= {int(i) for i in indexed}  # nobody lost
    assert any("include" in r.query for r in fake_store.requests)  # stragglers were looked up by id

    settled = await run_sync(committed_db, tenant, store_id, mode="reconcile", secret_box=secret_box,
                             embedder=embedder, per_page=40)
    assert settled["status"] == "succeeded"
    await assert_parity(committed_db, tenant, store_id, fake_store)


async def test_a_store_that_stays_down_fails_the_job_with_one_line(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    fake_store.faults.add(Fault("server_error", route=r"^/wc/v3/products$"))

    def impatient(store, box):  # noqa: ANN001, ANN202
        return woo_source_for(store, box, retry=RetryPolicy(max_attempts=2, base_delay_s=0.01))

    record = await run_sync(committed_db, tenant, store_id, mode="full", secret_box=secret_box, embedder=embedder,
                            source_factory=impatient)
    assert record["status"] == "failed"
    assert "server error" in record["error"] and "\n" not in record["error"]
    assert await indexed_state(committed_db, tenant, store_id) == {}
