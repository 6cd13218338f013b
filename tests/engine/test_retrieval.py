"""Hybrid retrieval against real PostgreSQL+pgvector with the real MiniLM embedder."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.db.database import Database
from core.provisioning import provision_tenant
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.types import PageContext
from tests.engine.support import CATALOGUE
from tests.support.index import SeedProduct, seed_store, set_price


@pytest.fixture
async def store(db: Database, embedder):
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    ids = await seed_store(db, tenant.tenant_id, embedder, CATALOGUE)
    return tenant, ids


async def _retrieve(db, tenant, embedder, query, page=None, **settings):
    retriever = HybridRetriever(embedder)
    async with db.tenant_session(tenant.tenant_id) as session:
        return await retriever.retrieve(
            session,
            tenant_id=tenant.tenant_id,
            query=query,
            settings=RetrievalSettings(**settings),
            page=page,
        )


async def test_finds_the_product_a_question_describes(db, store, embedder) -> None:
    tenant, _ = store
    result = await _retrieve(db, tenant, embedder, "do you have a waterproof jacket for hiking?")
    assert result.hits[0].title == "Alpine Rain Jacket"
    assert result.hits[0].price == Decimal("89.00")
    assert result.hits[0].snippets and "waterproof" in result.hits[0].snippets[0]


async def test_price_bound_holds_exactly(db, store, embedder) -> None:
    tenant, _ = store
    result = await _retrieve(db, tenant, embedder, "do you have anything under $30?", top_k=10)
    assert result.filters.max_price == Decimal("30")
    assert result.hits, "cheap products exist"
    assert all(hit.price is not None and hit.price <= Decimal("30") for hit in result.hits)
    assert {h.title for h in result.hits} <= {
        "Merino Wool Beanie",
        "Insulated Water Bottle",
        "Camping Headlamp",
        "Wool Hiking Socks",
    }


@pytest.mark.parametrize(
    "question, low, high",
    [
        ("¿Tienen algo por menos de 30 dólares?", None, "30"),
        ("Avez-vous quelque chose à moins de 30 euros ?", None, "30"),
        ("Habt ihr etwas unter 30 Euro?", None, "30"),
        ("Zubehör zwischen 15 und 25 Euro", "15", "25"),
        ("accesorios de más de 100 dólares", "100", None),
    ],
)
async def test_price_bounds_stated_in_other_languages_hold(
    db, store, embedder, question, low, high
) -> None:
    tenant, _ = store
    result = await _retrieve(db, tenant, embedder, question, top_k=10)
    assert (result.filters.min_price, result.filters.max_price) == (
        Decimal(low) if low else None,
        Decimal(high) if high else None,
    )
    assert result.hits
    for hit in result.hits:
        assert (low is None or hit.price >= Decimal(low)) and (
            high is None or hit.price <= Decimal(high)
        )


async def test_between_bounds_and_stock_filter(db, store, embedder) -> None:
    tenant, _ = store
    result = await _retrieve(
        db, tenant, embedder, "accessories between 15 and 25 dollars in stock", top_k=10
    )
    assert result.hits
    for hit in result.hits:
        assert Decimal("15") <= hit.price <= Decimal("25")
        assert hit.in_stock
    assert "Insulated Water Bottle" not in {h.title for h in result.hits}  # out of stock


async def test_category_and_attribute_words_filter(db, store, embedder) -> None:
    tenant, _ = store
    result = await _retrieve(db, tenant, embedder, "red jackets", top_k=10)
    assert result.filters.categories == ("jackets",)
    assert result.filters.attribute_values == ("red",)
    assert {h.title for h in result.hits} == {"Alpine Rain Jacket", "Red Fleece Pullover"}


async def test_on_sale_filter(db, store, embedder) -> None:
    tenant, _ = store
    result = await _retrieve(db, tenant, embedder, "what camping gear is on sale?", top_k=10)
    assert [h.title for h in result.hits] == ["Camping Headlamp"]


async def test_live_price_is_read_at_answer_time(db, store, embedder) -> None:
    tenant, ids = store
    await set_price(db, tenant.tenant_id, ids["Cast Iron Skillet"], "27.50")
    result = await _retrieve(db, tenant, embedder, "cast iron pan")
    assert result.hits[0].title == "Cast Iron Skillet"
    assert result.hits[0].price == Decimal("27.50")


async def test_page_context_scopes_follow_ups(db, store, embedder) -> None:
    tenant, _ = store
    page = PageContext(url=None, product_id="1001")  # Trail Running Shoes
    result = await _retrieve(db, tenant, embedder, "is it good for rocky terrain?", page=page)
    assert result.hits[0].title == "Trail Running Shoes"
    by_url = await _retrieve(
        db,
        tenant,
        embedder,
        "how warm is it?",
        page=PageContext(url="https://store.test/product/down-sleeping-bag?ref=x", product_id=None),
    )
    assert by_url.hits[0].title == "Down Sleeping Bag"


async def test_another_tenants_catalogue_never_appears(db, store, embedder) -> None:
    tenant, _ = store
    other = await provision_tenant(db, name="Kitchen World", allowed_origins=[])
    await seed_store(
        db,
        other.tenant_id,
        embedder,
        [
            SeedProduct(
                "Waterproof Hiking Jacket Deluxe",
                "10.00",
                "The most waterproof hiking jacket ever made.",
                ["Jackets"],
            ),
        ],
    )
    result = await _retrieve(db, tenant, embedder, "waterproof hiking jacket", top_k=10)
    assert "Waterproof Hiking Jacket Deluxe" not in {h.title for h in result.hits}
    theirs = await _retrieve(db, other, embedder, "waterproof hiking jacket", top_k=10)
    assert [h.title for h in theirs.hits] == ["Waterproof Hiking Jacket Deluxe"]
