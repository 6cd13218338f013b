"""Shared set-up for the sync, indexing, webhook and store tests (no tests in here).

Sync tests use `committed_db`: the runner's pipeline stages hold sessions concurrently,
which one rolled-back connection cannot serve. Each test makes its own tenant and store,
so rows of different tests never meet.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import Chunk, Product, ProductVariation, StoreConnection, SyncJob
from core.outbound import OutboundPolicy
from core.provisioning import provision_tenant
from core.settings import get_settings
from emulators.catalog import generate_catalog
from engine.embeddings import Embedder, shared_local_embedder
from ingestion.stores import register_store
from ingestion.sync.service import woo_source_for
from ingestion.sync.woo_source import WooCatalogSource
from tests.support.woo_store import FakeWooStore


@pytest.fixture(scope="session")
def secret_box() -> SecretBox:
    return SecretBox.from_setting(os.environ["SHOPBOT_ENCRYPTION_KEYS"])


class MemoEmbedder:
    """The real local MiniLM, remembering vectors per text for the test session.

    Many tests sync the same seeded catalogue; embedding its texts once keeps the suite
    fast on two cores without faking the model. `calls`/`texts` count real work.
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.memo: dict[str, list[float]] = {}
        self.texts_embedded = 0
        self.texts_requested = 0

    @property
    def space(self):
        return self.inner.space

    async def embed_documents(self, texts):
        self.texts_requested += len(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if todo:
            vectors = await self.inner.embed_documents(todo)
            self.texts_embedded += len(todo)
            self.memo.update(zip(todo, vectors, strict=True))
        return [self.memo[t] for t in texts]

    async def embed_query(self, text):
        return await self.inner.embed_query(text)


_MEMO: MemoEmbedder | None = None


@pytest.fixture(scope="session")
def embedder() -> MemoEmbedder:
    global _MEMO
    if _MEMO is None:
        _MEMO = MemoEmbedder(shared_local_embedder())  # one MiniLM per test process
    return _MEMO


@pytest.fixture
def fake_store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(160, seed=11)) as store:
        yield store


def outbound_env(*stores: FakeWooStore) -> dict[str, str]:
    """The operator's explicit opt-in (SHOPBOT_OUTBOUND_*) for these fakes, for processes
    that read their policy from settings (the CLI, Celery tasks)."""
    return {
        "SHOPBOT_OUTBOUND_ALLOW_HTTP": "true",
        "SHOPBOT_OUTBOUND_ALLOWED_HOSTS": "127.0.0.1",
        "SHOPBOT_OUTBOUND_ALLOWED_PORTS": ",".join(str(store.port) for store in stores),
    }


def local_fake_source(store: StoreConnection, box: SecretBox) -> WooCatalogSource:
    """A `SourceFactory` for code that reads a stored store on its own (webhook events):
    the explicit opt-in for that store's fake, 127.0.0.1 over http on its own port only."""
    port = urlsplit(store.base_url).port
    assert urlsplit(store.base_url).hostname == "127.0.0.1" and port is not None, store.base_url
    policy = OutboundPolicy(
        allow_http=True, allowed_hosts=frozenset({"127.0.0.1"}), allowed_ports=frozenset({port})
    )
    return woo_source_for(store, box, outbound=policy)


@contextmanager
def operator_allows(*stores: FakeWooStore) -> Iterator[None]:
    """`outbound_env` in this process's environment (and settings) for the block: what a
    Celery worker whose operator allowed these fakes would read."""
    saved = {name: os.environ.get(name) for name in outbound_env(*stores)}
    os.environ.update(outbound_env(*stores))
    get_settings.cache_clear()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()


@pytest.fixture
def fake_store_allowed_by_settings(fake_store: FakeWooStore) -> Iterator[FakeWooStore]:
    with operator_allows(fake_store):
        yield fake_store


async def new_tenant(db: Database, name: str = "Sync Test") -> TenantId:
    created = await provision_tenant(db, name=f"{name} {uuid.uuid4().hex[:6]}", allowed_origins=[])
    return created.tenant_id


async def connect_store(
    db: Database, box: SecretBox, tenant_id: TenantId, store: FakeWooStore, **options: Any
) -> uuid.UUID:
    options.setdefault("outbound", store.outbound_policy)  # the fake's explicit opt-in
    registered = await register_store(
        db,
        box,
        tenant_id,
        url=store.url,
        consumer_key=store.consumer_key,
        consumer_secret=store.consumer_secret,
        **options,
    )
    return registered.store_id


async def indexed_state(db: Database, tenant_id: TenantId, store_id: uuid.UUID) -> dict[str, Any]:
    """external_id → (price, stock_status, stock_quantity, variations{ext: (price, stock)},
    chunks)."""
    async with db.tenant_session(tenant_id) as session:
        products = (
            await session.execute(
                select(
                    Product.id,
                    Product.external_id,
                    Product.price,
                    Product.stock_status,
                    Product.stock_quantity,
                    Product.name,
                ).where(Product.store_id == store_id)
            )
        ).all()
        variations = (
            await session.execute(
                select(
                    ProductVariation.product_id,
                    ProductVariation.external_id,
                    ProductVariation.price,
                    ProductVariation.stock_status,
                )
                .join(Product, Product.id == ProductVariation.product_id)
                .where(Product.store_id == store_id)
            )
        ).all()
        chunk_counts = dict(
            (
                await session.execute(
                    select(Chunk.product_id, func.count())
                    .join(Product, Product.id == Chunk.product_id)
                    .where(Product.store_id == store_id)
                    .group_by(Chunk.product_id)
                )
            ).all()
        )
    by_product: dict[uuid.UUID, dict[str, tuple[Decimal | None, str]]] = {}
    for v in variations:
        by_product.setdefault(v.product_id, {})[v.external_id] = (v.price, v.stock_status)
    return {
        p.external_id: {
            "price": p.price,
            "stock_status": p.stock_status,
            "stock_quantity": p.stock_quantity,
            "name": p.name,
            "variations": by_product.get(p.id, {}),
            "chunks": chunk_counts.get(p.id, 0),
        }
        for p in products
    }


def _price(value: str) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def store_truth(store: FakeWooStore) -> dict[str, Any]:
    """What the index must hold: the publicly visible products, their facts and published
    variations."""
    truth: dict[str, Any] = {}
    for product_id in sorted(store.publicly_visible_ids()):
        product = store.product(product_id)
        variations = (
            {
                str(v["id"]): (_price(v["price"]), v["stock_status"])
                for v in store.variations(product_id)
                if v["status"] == "publish"
            }
            if product["type"] == "variable"
            else {}
        )
        truth[str(product_id)] = {
            "price": _price(product["price"]),
            "stock_status": product["stock_status"],
            "stock_quantity": product["stock_quantity"],
            "variations": variations,
        }
    return truth


async def assert_parity(
    db: Database, tenant_id: TenantId, store_id: uuid.UUID, store: FakeWooStore
) -> dict[str, Any]:
    indexed = await indexed_state(db, tenant_id, store_id)
    truth = store_truth(store)
    assert set(indexed) == set(truth), (
        f"missing {sorted(set(truth) - set(indexed))[:10]}, "
        f"extra {sorted(set(indexed) - set(truth))[:10]}"
    )
    for external_id, expected in truth.items():
        got = indexed[external_id]
        assert got["price"] == expected["price"], (external_id, got["price"], expected["price"])
        assert got["stock_status"] == expected["stock_status"], external_id
        assert got["stock_quantity"] == expected["stock_quantity"], external_id
        assert got["variations"] == expected["variations"], external_id
        assert got["chunks"] >= 1, f"product {external_id} has no chunks"
    return indexed


async def chunk_total(db: Database, tenant_id: TenantId, store_id: uuid.UUID) -> int:
    async with db.tenant_session(tenant_id) as session:
        counted = await session.execute(
            select(func.count())
            .select_from(Chunk)
            .join(Product, Product.id == Chunk.product_id)
            .where(Product.store_id == store_id)
        )
        return counted.scalar_one()


async def store_row(db: Database, tenant_id: TenantId, store_id: uuid.UUID) -> StoreConnection:
    async with db.tenant_session(tenant_id) as session:
        store = await session.get(StoreConnection, store_id)
        assert store is not None
        return store


async def jobs_of(db: Database, tenant_id: TenantId, store_id: uuid.UUID) -> list[SyncJob]:
    async with db.tenant_session(tenant_id) as session:
        return list(
            await session.scalars(
                select(SyncJob).where(SyncJob.store_id == store_id).order_by(SyncJob.created_at)
            )
        )
