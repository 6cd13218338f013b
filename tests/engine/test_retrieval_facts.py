"""The facts a hit carries besides price and stock, read from the rows when the question is
answered: published variations (one statement for all the hits), weight, dimensions and
rating. Real PostgreSQL+pgvector, the real MiniLM embedder."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import event, update

from core.db.database import Database
from core.ids import TenantId
from core.models import Product, ProductVariation
from core.provisioning import provision_tenant
from engine.prompts.sources import render_product
from engine.retrieval.hits import load_product_hits
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.types import PageContext
from tests.engine.support import CATALOGUE
from tests.support.index import seed_store


def _variation(tenant_id: TenantId, product_id: uuid.UUID, external_id: str, **facts):
    values = {"price": Decimal("89.00"), "regular_price": Decimal("89.00")} | facts
    return ProductVariation(
        tenant_id=tenant_id, product_id=product_id, external_id=external_id, **values
    )


@pytest.fixture
async def store(db: Database, embedder):
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    ids = await seed_store(db, tenant.tenant_id, embedder, CATALOGUE)
    jacket, tent = ids["Alpine Rain Jacket"], ids["Ultralight Tent"]
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Product)
            .where(Product.id.in_([jacket, ids["Red Fleece Pullover"]]))
            .values(type="variable")
        )
        await session.execute(
            update(Product)
            .where(Product.id == tent)
            .values(
                weight="1.6",
                dimensions={"length": "210", "width": "130", "height": "100"},
                average_rating=Decimal("4.50"),
                rating_count=12,
            )
        )
        tid = tenant.tenant_id
        session.add_all(
            [
                _variation(
                    tid,
                    jacket,
                    "512",
                    attributes={"Color": ["Blue"], "Size": ["M"]},
                    stock_status="outofstock",
                    stock_quantity=0,
                ),
                _variation(
                    tid,
                    jacket,
                    "99",
                    attributes={"Color": ["Red"], "Size": ["S"]},
                    price=Decimal("79.00"),
                    sale_price=Decimal("79.00"),
                    on_sale=True,
                    stock_quantity=4,
                    image_url="https://store.test/red.jpg",
                ),
                _variation(tid, jacket, "600", attributes={"Color": ["Red"]}, status="private"),
                _variation(tid, ids["Red Fleece Pullover"], "700", attributes={"Size": ["L"]}),
            ]
        )
    return tenant, ids


async def test_a_hit_carries_its_published_variations_in_the_stores_order(db, store, embedder):
    tenant, ids = store
    async with db.tenant_session(tenant.tenant_id) as session:
        result = await HybridRetriever(embedder).retrieve(
            session,
            tenant_id=tenant.tenant_id,
            query="waterproof rain jacket",
            settings=RetrievalSettings(),
        )
    jacket = next(h for h in result.hits if h.product_id == ids["Alpine Rain Jacket"])
    assert [v.external_id for v in jacket.variations] == ["99", "512"]  # 600 is private
    red, blue = jacket.variations
    assert red.options == {"Color": "Red", "Size": "S"}
    assert (red.price, red.sale_price, red.on_sale) == (Decimal("79.00"), Decimal("79.00"), True)
    assert (red.in_stock, red.stock_quantity, red.image_url) == (
        True,
        4,
        "https://store.test/red.jpg",
    )
    assert (blue.options, blue.in_stock, blue.stock_status) == (
        {"Color": "Blue", "Size": "M"},
        False,
        "outofstock",
    )
    # The parent's own facts are untouched by its variations'.
    assert (jacket.price, jacket.in_stock) == (Decimal("89.00"), True)
    # The prompt states each variation's own options, price and stock (options in the
    # order JSONB keeps keys: shorter names first).
    text = render_product(1, jacket)
    assert "Size S, Color Red: $79.00 (on sale; regular price $89.00); in stock (4 left)" in text
    assert "Size M, Color Blue: $89.00; out of stock" in text


async def test_weight_dimensions_and_rating_come_from_the_row(db, store):
    tenant, ids = store
    async with db.tenant_session(tenant.tenant_id) as session:
        tent, socks = await load_product_hits(
            session,
            tenant_id=tenant.tenant_id,
            product_ids=[ids["Ultralight Tent"], ids["Wool Hiking Socks"]],
        )
    assert (tent.weight, tent.dimensions) == (
        "1.6",
        {"length": "210", "width": "130", "height": "100"},
    )
    assert (tent.average_rating, tent.rating_count) == (Decimal("4.50"), 12)
    assert (socks.weight, socks.dimensions, socks.average_rating, socks.rating_count) == (
        None,
        {},
        None,
        0,
    )
    text = render_product(1, tent)
    assert "Rating: 4.5 out of 5 from 12 reviews" in text
    assert "Weight: 1.6" in text and "length 210, width 130, height 100" in text
    assert "Rating" not in render_product(2, socks) and "Weight" not in render_product(2, socks)


async def test_variations_of_all_hits_load_in_one_statement(db, store):
    tenant, ids = store
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    wanted = [ids["Alpine Rain Jacket"], ids["Red Fleece Pullover"], ids["Ultralight Tent"]]
    async with db.tenant_session(tenant.tenant_id) as session:
        sync_engine = session.bind.sync_engine
        event.listen(sync_engine, "before_cursor_execute", record)
        try:
            hits = await load_product_hits(session, tenant_id=tenant.tenant_id, product_ids=wanted)
        finally:
            event.remove(sync_engine, "before_cursor_execute", record)
    assert [h.product_id for h in hits] == wanted
    assert [len(h.variations) for h in hits] == [2, 1, 0]
    assert len([s for s in statements if "product_variations" in s]) == 1
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT PRODUCT")]
    assert len(reads) == 2  # the rows, then every hit's variations


async def _ask_on_page(db, tenant, embedder, question: str, external_id: str):
    async with db.tenant_session(tenant.tenant_id) as session:
        return await HybridRetriever(embedder).retrieve(
            session,
            tenant_id=tenant.tenant_id,
            query=question,
            settings=RetrievalSettings(),
            page=PageContext(product_id=external_id),
        )


async def test_a_question_on_a_page_is_about_its_product_alone(db, store, embedder):
    tenant, ids = store
    # The beanie's page (external id 1002): "red" and "warm" are words other products share.
    result = await _ask_on_page(db, tenant, embedder, "is the red one warm enough?", "1002")
    assert [h.title for h in result.hits] == ["Merino Wool Beanie"]
    assert result.page_product_id == ids["Merino Wool Beanie"]


async def test_a_question_on_a_page_naming_another_product_searches_the_catalogue(
    db, store, embedder
):
    tenant, _ = store
    result = await _ask_on_page(
        db, tenant, embedder, "is this warmer than the down sleeping bag?", "1002"
    )
    titles = [h.title for h in result.hits]
    assert titles[0] == "Merino Wool Beanie" and "Down Sleeping Bag" in titles
