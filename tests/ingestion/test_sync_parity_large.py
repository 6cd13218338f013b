"""Parity at catalogue scale: 2,000 generated products with variations, through the real
client and pipeline over HTTP. The embedder here is a deterministic hashing embedder (a
real `Embedder`, no model) so the test measures the sync, not MiniLM's speed."""

from __future__ import annotations

import random

import pytest

from core.billing.plan_changes import set_plan_manually
from core.billing.plans import offered_plan
from core.crypto import SecretBox
from core.db.database import Database
from emulators.catalog import generate_catalog
from ingestion.sync.service import run_sync
from tests.dashboard_api.support import HashingEmbedder
from tests.support.sync import (
    assert_parity,
    connect_store,
    new_tenant,
)
from tests.support.woo_store import FakeWooStore


@pytest.fixture(scope="module")
def big_store():
    with FakeWooStore(generate_catalog(2000, seed=2000)) as store:
        yield store


async def test_two_thousand_products_reach_and_keep_exact_parity(
    committed_db: Database, secret_box: SecretBox, big_store: FakeWooStore
) -> None:
    embedder = HashingEmbedder()
    tenant = await new_tenant(committed_db, "Parity 2k")
    async with committed_db.tenant_session(tenant) as session:  # Free indexes only 500
        await set_plan_manually(session, tenant, await offered_plan(session, "growth"))
    store_id = await connect_store(committed_db, secret_box, tenant, big_store)
    full = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        outbound=big_store.outbound_policy,
    )
    assert full.status == "succeeded", full
    indexed = await assert_parity(committed_db, tenant, store_id, big_store)
    assert len(indexed) == len(big_store.publicly_visible_ids()) > 1500
    assert any(state["variations"] for state in indexed.values())

    rng = random.Random(7)
    visible = sorted(big_store.publicly_visible_ids())
    simple = [i for i in visible if big_store.product(i)["type"] == "simple"]
    rng.shuffle(simple)
    for product_id in simple[:40]:
        big_store.set_price(product_id, f"{rng.randint(5, 300)}.{rng.randint(0, 99):02d}")
    for product_id in simple[40:60]:
        big_store.set_stock(product_id, "outofstock", 0)
    for product_id in simple[60:70]:
        big_store.trash_product(product_id)
    for product_id in simple[70:80]:
        big_store.delete_product(product_id)
    for n in range(15):
        big_store.add_product(
            f"Parity Added Item {n}",
            f"{10 + n}.00",
            category="Apparel",
            description_html=f"<p>Added item number {n}.</p>",
        )

    incremental = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="incremental",
        secret_box=secret_box,
        embedder=embedder,
        outbound=big_store.outbound_policy,
    )
    assert incremental.status == "succeeded", incremental
    assert incremental.counts.deleted == 10  # the trashed: the trash listing shows them
    reconcile = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="reconcile",
        secret_box=secret_box,
        embedder=embedder,
        outbound=big_store.outbound_policy,
    )
    assert reconcile.status == "succeeded", reconcile
    assert reconcile.counts.deleted == 10  # the permanently deleted: only the id sets show them
    final = await assert_parity(committed_db, tenant, store_id, big_store)
    assert len(final) == len(indexed) - 20 + 15
