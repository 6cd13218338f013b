"""Full, incremental and reconcile syncs against the fake store over real HTTP."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select, text

from core.crypto import SecretBox
from core.db.database import Database
from core.models import Chunk, Product
from ingestion.sync.service import run_sync
from tests.support.sync import (
    MemoEmbedder,
    assert_parity,
    chunk_total,
    connect_store,
    indexed_state,
    new_tenant,
    store_row,
)
from tests.support.woo_store import FakeWooStore


async def test_full_sync_reaches_parity_and_a_resync_changes_nothing(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    seen: list = []

    class Recorder:
        def update(self, snapshot) -> None:
            seen.append(snapshot)

    record = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        progress=Recorder(),
        outbound=fake_store.outbound_policy,
    )
    assert record.status == "succeeded", record
    visible = fake_store.publicly_visible_ids()
    indexed = await assert_parity(committed_db, tenant, store_id, fake_store)
    assert len(indexed) == len(visible)
    counts = record.counts
    assert counts.created == len(visible) and counts.errors == 0
    assert counts.chunks_written == await chunk_total(committed_db, tenant, store_id)
    # Published but hidden or password-protected products are listed, and not indexed.
    assert record.total == record.processed > len(visible)
    assert (await store_row(committed_db, tenant, store_id)).sync_cursor is not None
    # Progress reached the listener per stage, ending with everything written.
    assert seen[-1].finished and seen[-1].written == record.processed
    assert max(s.fetched for s in seen) == record.processed

    embedded_before = embedder.texts_requested
    again = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        outbound=fake_store.outbound_policy,
    )
    assert again.status == "succeeded"
    assert again.counts.unchanged == len(visible)
    assert again.counts.created == again.counts.updated == again.counts.chunks_written == 0
    assert embedder.texts_requested == embedded_before  # nothing was even sent to the model


async def test_edits_deletions_additions_restore_parity(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    assert (
        await run_sync(
            committed_db,
            tenant,
            store_id,
            mode="full",
            secret_box=secret_box,
            embedder=embedder,
            outbound=fake_store.outbound_policy,
        )
    ).status == "succeeded"
    before = await indexed_state(committed_db, tenant, store_id)

    visible = sorted(fake_store.publicly_visible_ids())
    simple = [i for i in visible if fake_store.product(i)["type"] == "simple"]
    variable = [i for i in visible if fake_store.product(i)["type"] == "variable"]
    repriced, restocked, renamed, unpublished, trashed, deleted = simple[:6]
    fake_store.set_price(repriced, "12.34")
    fake_store.set_stock(restocked, "outofstock", 0)
    fake_store.update_product(renamed, name="Aurora Storm Shell Jacket")
    fake_store.update_product(unpublished, status="draft")
    fake_store.trash_product(trashed)
    fake_store.delete_product(deleted)
    variation = fake_store.variations(variable[0])[0]
    fake_store.update_variation(
        variable[0], variation["id"], regular_price="77.00", stock_status="outofstock"
    )
    added = fake_store.add_product(
        "Glacier Merino Beanie",
        "24.50",
        category="Apparel",
        description_html="<p>A warm merino beanie for cold mornings.</p>",
    )

    incremental = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="incremental",
        secret_box=secret_box,
        embedder=embedder,
        outbound=fake_store.outbound_policy,
    )
    assert incremental.status == "succeeded", incremental
    counts = incremental.counts
    # Only what changed was listed; a price or stock change costs no embedding.
    assert counts.seen <= 8 and counts.created == 1
    after = await indexed_state(committed_db, tenant, store_id)
    assert after[str(repriced)]["price"] == Decimal("12.34")
    assert after[str(restocked)]["stock_status"] == "outofstock"
    assert after[str(renamed)]["name"] == "Aurora Storm Shell Jacket"
    assert str(unpublished) not in after and str(added["id"]) in after
    assert after[str(variable[0])]["variations"][str(variation["id"])][1] == "outofstock"
    # Trashing moves the modification date, so the `status=trash` listing shows it; a
    # permanent deletion leaves nothing to list: reconcile finds it.
    assert str(trashed) not in after and str(deleted) in after

    reconcile = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="reconcile",
        secret_box=secret_box,
        embedder=embedder,
        outbound=fake_store.outbound_policy,
    )
    assert reconcile.status == "succeeded", reconcile
    assert reconcile.counts.deleted == 1
    final = await assert_parity(committed_db, tenant, store_id, fake_store)
    assert set(final) == (set(before) - {str(unpublished), str(trashed), str(deleted)}) | {
        str(added["id"])
    }

    async with committed_db.tenant_session(tenant) as session:
        duplicates = await session.scalar(
            text(
                "SELECT count(*) FROM (SELECT product_id, ordinal FROM chunks"
                " WHERE product_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d"
            )
        )
        orphans = await session.scalar(
            select(func.count())
            .select_from(Chunk)
            .outerjoin(Product, Product.id == Chunk.product_id)
            .where(Chunk.product_id.is_not(None), Product.id.is_(None))
        )
    assert duplicates == 0 and orphans == 0
