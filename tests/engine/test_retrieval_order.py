""" "Cheapest", "most expensive", "best rated": ordered in SQL over every product the
question's filters let through (real PostgreSQL+pgvector, the real MiniLM embedder)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from core.db.database import Database
from core.models import Product
from core.provisioning import provision_tenant
from engine.embeddings import shared_local_embedder
from engine.retrieval.filters import StoreVocabulary, parse_filters
from engine.retrieval.named_products import named_products
from engine.retrieval.ordering import describes_a_kind
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from tests.engine.support import CATALOGUE
from tests.support.index import seed_store


@pytest.mark.parametrize(
    "question, order",
    [
        ("What's the cheapest item in Home you have in stock?", "price_asc"),
        ("I'm on a budget: what is the least expensive kitchen product in stock?", "price_asc"),
        ("¿Cuál es la más barata?", "price_asc"),
        ("your most expensive tent", "price_desc"),
        ("best rated headlamp", "rating"),
        ("show me the newest arrivals", "newest"),
        ("a cheap tent", None),
    ],
)
def test_the_order_asked_for_is_read(question: str, order: str | None) -> None:
    assert parse_filters(question).order == order


def test_bounds_and_stock_said_in_other_ways_are_read() -> None:
    spend = parse_filters("I want a hiking boot but can't spend more than $42")
    assert (spend.min_price, spend.max_price) == (None, Decimal("42"))
    assert parse_filters("Show me bird feeder options that aren't sold out").in_stock_only
    assert parse_filters("Cheapest thing in Toys that's available right now?").in_stock_only


def test_a_kind_is_described_when_words_beyond_the_order_and_filters_remain() -> None:
    vocabulary = StoreVocabulary(categories=frozenset({"toys"}))
    generic = parse_filters("Cheapest thing in Toys that's available right now?", vocabulary)
    assert not describes_a_kind(generic)
    assert describes_a_kind(parse_filters("the cheapest warm hat"))


@pytest.fixture(scope="module")
def embedder():
    return shared_local_embedder()


@pytest.fixture
async def store(db: Database, embedder):
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    ids = await seed_store(db, tenant.tenant_id, embedder, CATALOGUE)
    async with db.tenant_session(tenant.tenant_id) as session:
        for name, rating, count in (
            ("Camping Headlamp", "4.80", 9),
            ("Ultralight Tent", "4.20", 30),
        ):
            await session.execute(
                update(Product)
                .where(Product.id == ids[name])
                .values(average_rating=Decimal(rating), rating_count=count)
            )
    return tenant


async def _titles(db, tenant, embedder, question: str, top_k: int = 5) -> list[str]:
    async with db.tenant_session(tenant.tenant_id) as session:
        result = await HybridRetriever(embedder).retrieve(
            session,
            tenant_id=tenant.tenant_id,
            query=question,
            settings=RetrievalSettings(top_k=top_k),
        )
    return [hit.title for hit in result.hits]


async def test_cheapest_in_a_category_and_in_stock_is_the_cheapest_of_them_all(
    db, store, embedder
) -> None:
    # Accessories: socks 14.00, bottle 19.50 (out of stock), beanie 24.00.
    titles = await _titles(db, store, embedder, "What's the cheapest accessory you have in stock?")
    assert titles == ["Wool Hiking Socks", "Merino Wool Beanie"]
    titles = await _titles(db, store, embedder, "most expensive thing in camping", top_k=2)
    assert titles == ["Ultralight Tent", "Down Sleeping Bag"]


async def test_best_rated_orders_by_the_rating_and_cheapest_of_everything(db, store, embedder):
    assert await _titles(db, store, embedder, "your best rated products") == [
        "Camping Headlamp",
        "Ultralight Tent",
    ]
    titles = await _titles(db, store, embedder, "what's the cheapest thing you sell?", top_k=3)
    assert titles == ["Wool Hiking Socks", "Insulated Water Bottle", "Merino Wool Beanie"]


async def test_every_product_named_is_shown_in_the_order_named(db, store, embedder) -> None:
    titles = await _titles(
        db, store, embedder, "Which is cheaper, the Down Sleeping Bag or the Cast Iron Skillet?"
    )
    assert titles[:2] == ["Down Sleeping Bag", "Cast Iron Skillet"]
    # Named, it is shown even when a filter would hide it: it is what the shopper asks about.
    titles = await _titles(db, store, embedder, "is the insulated water bottle in stock?")
    assert titles[0] == "Insulated Water Bottle"
    # A whole title only: "headlamps" is not "Camping Headlamp" named.
    assert not await named(db, store, "any camping headlamps? the alpine rain jacketed")


async def named(db, tenant, question: str) -> list:
    async with db.tenant_session(tenant.tenant_id) as session:
        return await named_products(
            session, tenant_id=tenant.tenant_id, store_id=None, question=question
        )
