"""IndexingService on its own: hashing decides the work, writes are atomic, tenants apart."""

from __future__ import annotations

import copy
import dataclasses
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.db.database import Database
from core.errors import NotFound
from core.models import Chunk, Product, StoreConnection
from core.models.product import LIVE_FACT_NAMES, PRODUCT_LIVE_FACTS, VARIATION_LIVE_FACTS
from emulators.catalog import generate_catalog
from ingestion.indexing import IndexingService, ProductDocument
from ingestion.indexing.rows import LiveFacts
from ingestion.woocommerce.mapping import map_product
from tests.support.sync import MemoEmbedder, new_tenant

CATALOG = generate_catalog(12, seed=5)
SIMPLE = [
    p
    for p in CATALOG.products
    if p["type"] == "simple"
    and p["status"] == "publish"
    and p["catalog_visibility"] != "hidden"
    and not p["post_password"]
]


def _document(raw: dict, **changes: object) -> ProductDocument:
    product = {**copy.deepcopy(raw), **changes}
    return ProductDocument.from_record(map_product(product, currency="USD"))


async def _store(db: Database, tenant) -> uuid.UUID:
    store_id = uuid.uuid4()
    async with db.tenant_session(tenant) as session:
        session.add(
            StoreConnection(
                id=store_id,
                tenant_id=tenant,
                base_url=f"https://{store_id.hex}.test",
                credentials_ciphertext=b"x",
            )
        )
    return store_id


async def _chunk_ids(db: Database, tenant, external_id: str) -> set[uuid.UUID]:
    async with db.tenant_session(tenant) as session:
        return set(
            await session.scalars(
                select(Chunk.id)
                .join(Product, Product.id == Chunk.product_id)
                .where(Product.external_id == external_id)
            )
        )


def test_the_live_facts_indexing_writes_are_the_tables_live_fact_columns() -> None:
    fields = dataclasses.fields(LiveFacts)
    assert tuple(f.name for f in fields) == LIVE_FACT_NAMES
    assert tuple(c.key for c in VARIATION_LIVE_FACTS) == LIVE_FACT_NAMES
    for f, column in zip(fields, PRODUCT_LIVE_FACTS, strict=True):
        # A column that refuses NULL has a default in the value too (never None).
        has_default = f.default is not dataclasses.MISSING and f.default is not None
        has_factory = f.default_factory is not dataclasses.MISSING
        assert column.nullable or has_default or has_factory, column.key


async def test_price_change_updates_columns_without_reembedding(
    db: Database, embedder: MemoEmbedder
) -> None:
    tenant = await new_tenant(db)
    store_id = await _store(db, tenant)
    service = IndexingService(db, tenant, embedder)
    created = await service.index_documents(store_id, [_document(p) for p in SIMPLE])
    assert created.created == len(SIMPLE) and created.chunks_written >= len(SIMPLE)
    target = SIMPLE[0]
    chunks_before = await _chunk_ids(db, tenant, str(target["id"]))

    requested = embedder.texts_requested
    repriced = await service.index_documents(
        store_id, [_document(target, price="1.23", regular_price="1.23", stock_status="outofstock")]
    )
    assert repriced.updated == 1 and repriced.chunks_written == 0
    assert embedder.texts_requested == requested  # nothing sent to the model
    assert await _chunk_ids(db, tenant, str(target["id"])) == chunks_before
    async with db.tenant_session(tenant) as session:
        row = await session.scalar(select(Product).where(Product.external_id == str(target["id"])))
        assert row is not None
        assert row.price == Decimal("1.23") and row.stock_status == "outofstock"

    same = await service.index_documents(
        store_id, [_document(target, price="1.23", regular_price="1.23", stock_status="outofstock")]
    )
    assert same.unchanged == 1 and same.updated == 0

    renamed = await service.index_documents(
        store_id, [_document(target, name="Completely New Name")]
    )
    assert renamed.updated == 1 and renamed.chunks_written >= 1
    after = await _chunk_ids(db, tenant, str(target["id"]))
    assert after and not after & chunks_before


class BrokenEmbedder:
    def __init__(self, inner: MemoEmbedder) -> None:
        self.inner = inner

    @property
    def space(self):
        return self.inner.space

    async def embed_documents(self, texts):
        return [[0.0] * 10 for _ in texts]  # the wrong dimension: the INSERT fails

    async def embed_query(self, text):
        return [0.0] * 10


async def test_a_failed_write_leaves_the_previous_chunks_in_place(
    db: Database, embedder: MemoEmbedder
) -> None:
    tenant = await new_tenant(db)
    store_id = await _store(db, tenant)
    target = SIMPLE[1]
    await IndexingService(db, tenant, embedder).index_documents(store_id, [_document(target)])
    before = await _chunk_ids(db, tenant, str(target["id"]))
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the vector
        await IndexingService(db, tenant, BrokenEmbedder(embedder)).index_documents(
            store_id, [_document(target, name="Renamed But Broken")]
        )
    assert await _chunk_ids(db, tenant, str(target["id"])) == before
    async with db.tenant_session(tenant) as session:
        name = await session.scalar(
            select(Product.name).where(Product.external_id == str(target["id"]))
        )
    assert name == target["name"]


async def test_hidden_and_unpublished_products_are_not_indexed(
    db: Database, embedder: MemoEmbedder
) -> None:
    assert not _document(SIMPLE[2], status="draft").indexable
    assert not _document(SIMPLE[2], catalog_visibility="hidden").indexable
    assert not _document(SIMPLE[2], post_password="secret").indexable
    assert _document(SIMPLE[2]).indexable


async def test_one_tenant_cannot_touch_another_tenants_products(
    db: Database, embedder: MemoEmbedder
) -> None:
    owner, other = await new_tenant(db, "Owner"), await new_tenant(db, "Other")
    store_id = await _store(db, owner)
    await IndexingService(db, owner, embedder).index_documents(store_id, [_document(SIMPLE[0])])
    intruder = IndexingService(db, other, embedder)
    with pytest.raises(NotFound):
        await intruder.delete_products(store_id, [str(SIMPLE[0]["id"])])
    with pytest.raises(NotFound):
        await intruder.index_documents(store_id, [_document(SIMPLE[0], name="Hijacked")])
    assert await _chunk_ids(db, owner, str(SIMPLE[0]["id"]))
    async with db.tenant_session(other) as session:
        assert await session.scalar(select(Product.id)) is None


async def test_weight_and_dimensions_are_written_to_the_product_row(
    db: Database, embedder: MemoEmbedder
) -> None:
    tenant = await new_tenant(db)
    store_id = await _store(db, tenant)
    service = IndexingService(db, tenant, embedder)
    target = SIMPLE[0]
    sized = {"length": "30", "width": "", "height": "4.5"}
    await service.index_documents(store_id, [_document(target, weight="1.25", dimensions=sized)])
    async with db.tenant_session(tenant) as session:
        row = await session.scalar(select(Product).where(Product.external_id == str(target["id"])))
        assert row is not None
        assert (row.weight, row.dimensions) == ("1.25", {"length": "30", "height": "4.5"})
    # A change of weight alone is a change: the row is updated.
    reweighed = await service.index_documents(
        store_id, [_document(target, weight="1.5", dimensions=sized)]
    )
    assert reweighed.updated == 1
