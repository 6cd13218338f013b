"""The tenant's stored search vocabulary (core.search_vocabulary) follows the catalogue:
after a sync it is what the products say, a webhook's new colour is a filter at once, a
deleted product takes its last value with it, knowledge documents move the chunk count,
and no tenant sees another's row. Real HTTP to the WooCommerce emulator, the real
database; the embedder hashes words (no model)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core import search_vocabulary
from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import Chunk, Product
from emulators.catalog import generate_catalog
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from ingestion.knowledge import add_knowledge_document, delete_knowledge_document
from ingestion.sync.service import run_sync
from ingestion.webhooks import ApplyOutcome
from tests.dashboard_api.support import HashingEmbedder
from tests.support.sync import connect_store, new_tenant
from tests.support.webhook_delivery import deliver_and_apply
from tests.support.woo_store import FakeWooStore

SPACE = HashingEmbedder.space.name


@pytest.fixture
def store() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(60, seed=23)) as fake:
        yield fake


async def _synced(db: Database, box: SecretBox, store: FakeWooStore) -> tuple[TenantId, uuid.UUID]:
    tenant = await new_tenant(db, "Vocabulary")
    store_id = await connect_store(db, box, tenant, store, public_api_url="http://shopbot.test")
    record = await run_sync(
        db,
        tenant,
        store_id,
        mode="full",
        secret_box=box,
        embedder=HashingEmbedder(),
        outbound=store.outbound_policy,
    )
    assert record.status == "succeeded", record
    return tenant, store_id


async def _from_products(db: Database, tenant: TenantId) -> tuple[set[str], set[str]]:
    """The categories and attribute values of the published products, lower-cased: what
    retrieval computed per question before the stored row (read here in Python)."""
    async with db.tenant_session(tenant) as session:
        rows = (
            await session.execute(
                select(Product.categories, Product.attributes).where(
                    Product.tenant_id == tenant, Product.status == "publish"
                )
            )
        ).all()
    categories = {c.lower() for row in rows for c in row.categories or ()}
    return categories, {value for row in rows for value in _values(row.attributes)}


def _values(attributes: dict | None) -> set[str]:
    """A product's attribute values (those listed as options), lower-cased."""
    return {
        str(v).lower()
        for option in (attributes or {}).values()
        if isinstance(option, list)
        for v in option
    }


def _probe() -> search_vocabulary.TransactionSettings:
    """A setting for the read to apply on its way (retrieval's search settings ride with
    it), with a value of its own: the tests' shared transaction keeps earlier ones."""
    value = uuid.uuid4().hex
    return search_vocabulary.TransactionSettings(
        "set_config('app.probe', :probe, true)", {"probe": value}
    )


async def _probed(session: AsyncSession) -> str | None:
    return await session.scalar(text("SELECT current_setting('app.probe', true)"))


async def _stored(db: Database, tenant: TenantId) -> search_vocabulary.StoredVocabulary:
    probe = _probe()
    async with db.tenant_session(tenant) as session:
        stored = await search_vocabulary.read(session, tenant, SPACE)
        with_settings = await search_vocabulary.read(session, tenant, SPACE, settings=probe)
        assert await _probed(session) == probe.params["probe"]
    assert stored is not None and with_settings == stored
    return stored


async def _chunks(db: Database, tenant: TenantId) -> int:
    async with db.tenant_session(tenant) as session:
        counted = await session.scalar(
            select(func.count()).select_from(Chunk).where(Chunk.embedding_space == SPACE)
        )
    return int(counted or 0)


async def _assert_in_step(db: Database, tenant: TenantId) -> search_vocabulary.StoredVocabulary:
    stored = await _stored(db, tenant)
    categories, values = await _from_products(db, tenant)
    assert (set(stored.categories), set(stored.attribute_values)) == (categories, values)
    assert stored.chunks == await _chunks(db, tenant)
    return stored


async def _deliver(
    db: Database, box: SecretBox, store: FakeWooStore, store_id: uuid.UUID, topic: str, pid: int
) -> None:
    _, outcome = await deliver_and_apply(db, box, store, store_id, topic, pid)
    assert outcome is ApplyOutcome.PROCESSED


async def test_after_a_sync_the_stored_vocabulary_is_what_the_products_say(
    committed_db: Database, secret_box: SecretBox, store: FakeWooStore
) -> None:
    tenant, _ = await _synced(committed_db, secret_box, store)
    stored = await _assert_in_step(committed_db, tenant)
    assert stored.categories and stored.attribute_values and stored.chunks > 0


async def test_a_webhooks_new_colour_is_a_filter_at_once_even_for_a_retriever_that_saw_the_tenant(
    committed_db: Database, secret_box: SecretBox, store: FakeWooStore
) -> None:
    tenant, store_id = await _synced(committed_db, secret_box, store)
    retriever = HybridRetriever(HashingEmbedder())
    question = "do you have anything in zinnober?"

    async def filters_of() -> tuple[str, ...]:
        async with committed_db.tenant_session(tenant) as session:
            result = await retriever.retrieve(
                session, tenant_id=tenant, query=question, settings=RetrievalSettings()
            )
        return result.filters.attribute_values

    assert "zinnober" not in await filters_of()
    added = store.add_product("Signal Flag", "12.00", category="Outdoor")
    colour = {"id": 0, "name": "Color", "position": 0, "visible": True, "variation": False}
    store.update_product(added["id"], attributes=[{**colour, "options": ["Zinnober"]}])
    await _deliver(committed_db, secret_box, store, store_id, "product.created", added["id"])

    assert "zinnober" in await filters_of()  # no minute of staleness
    stored = await _assert_in_step(committed_db, tenant)
    assert "outdoor" in stored.categories


async def test_deleting_the_last_product_with_a_value_takes_the_value_away(
    committed_db: Database, secret_box: SecretBox, store: FakeWooStore
) -> None:
    tenant, store_id = await _synced(committed_db, secret_box, store)
    async with committed_db.tenant_session(tenant) as session:
        rows = (
            await session.execute(
                select(Product.external_id, Product.attributes).where(Product.status == "publish")
            )
        ).all()
    holders = Counter(value for row in rows for value in _values(row.attributes))
    value, external_id = next(
        (value, row.external_id)
        for row in rows
        for value in sorted(_values(row.attributes))
        if holders[value] == 1
    )
    assert value in (await _stored(committed_db, tenant)).attribute_values

    store.delete_product(int(external_id))
    await _deliver(committed_db, secret_box, store, store_id, "product.deleted", int(external_id))

    stored = await _assert_in_step(committed_db, tenant)
    assert value not in stored.attribute_values


async def test_knowledge_documents_move_the_chunk_count(db: Database) -> None:
    tenant = await new_tenant(db, "Vocabulary knowledge")
    embedder = HashingEmbedder()
    body = "\n\n".join(f"Question {n}? Answer {n}, in some detail. " * 30 for n in range(8))
    outcome = await add_knowledge_document(db, tenant, title="FAQ", body=body, embedder=embedder)
    assert outcome.chunks > 1
    assert (await _stored(db, tenant)).chunks == outcome.chunks == await _chunks(db, tenant)

    second = await add_knowledge_document(
        db, tenant, title="Returns", body="Thirty days.", embedder=embedder
    )
    assert (await _stored(db, tenant)).chunks == outcome.chunks + second.chunks

    assert await delete_knowledge_document(db, tenant, outcome.document_id)
    assert (await _stored(db, tenant)).chunks == second.chunks == await _chunks(db, tenant)


async def test_a_tenant_sees_no_other_tenants_vocabulary(db: Database) -> None:
    mine, theirs = await new_tenant(db, "Mine"), await new_tenant(db, "Theirs")
    await add_knowledge_document(
        db, theirs, title="FAQ", body="Ships fast.", embedder=HashingEmbedder()
    )
    async with db.tenant_session(mine) as session:
        assert await search_vocabulary.read(session, theirs, SPACE) is None
        # No row to read: the settings are applied all the same.
        probe = _probe()
        assert await search_vocabulary.read(session, theirs, SPACE, settings=probe) is None
        assert await _probed(session) == probe.params["probe"]
        visible = await session.scalars(text("SELECT tenant_id FROM search_vocabularies"))
        assert theirs not in set(visible.all())
    assert (await _stored(db, theirs)).chunks == 1
