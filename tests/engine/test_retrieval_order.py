""" "Cheapest", "most expensive", "best rated": ordered in SQL over every product the
question's filters let through (real PostgreSQL+pgvector, the real MiniLM embedder)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import text, update

from core.db.database import Database
from core.models import Product
from core.provisioning import provision_tenant
from engine.retrieval.filters import StoreVocabulary, parse_filters
from engine.retrieval.named_products import named_in_rider, named_products, named_rider
from engine.retrieval.ordering import describes_a_kind
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.retrieval.tenant_vocabulary import stored_vocabulary
from tests.engine.support import CATALOGUE
from tests.support.index import seed_store
from tests.support.sent_statements import SentStatements


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


NAMING = (
    "Which is cheaper, the Down Sleeping Bag or the Cast Iron Skillet?",
    "is the insulated water bottle in stock?",
    "any camping headlamps? the alpine rain jacketed",
    "something warm for the kitchen",
)
# named_products' statement of its own (the vocabulary's read carries it as a subquery).
NAMED_ALONE = "SELECT id, name FROM products WHERE"


async def _named_with_vocabulary(db, tenant, question: str, store_id=None) -> list | None:
    async with db.tenant_session(tenant.tenant_id) as session:
        stored = await stored_vocabulary(
            session, tenant_id=tenant.tenant_id, riders=(named_rider(question, store_id),)
        )
    assert stored is not None and stored.riders is not None
    return named_in_rider(question, stored.riders[0])


async def test_the_products_named_ride_in_the_vocabularys_read(db, store, embedder) -> None:
    for question in NAMING:
        assert await _named_with_vocabulary(db, store, question) == await named(
            db, store, question
        ), question
    comparison = await _named_with_vocabulary(db, store, NAMING[0])
    assert comparison is not None and len(comparison) == 2
    # Another store's bot: its products are not the tenant's other store's.
    assert await _named_with_vocabulary(db, store, NAMING[0], store_id=uuid.uuid4()) == []
    with SentStatements(db) as sent:
        titles = await _titles(db, store, embedder, NAMING[0])
    assert titles[:2] == ["Down Sleeping Bag", "Cast Iron Skillet"]
    assert not sent.any(NAMED_ALONE)
    assert "name_head" in next(s for s in sent.sent if "JOIN search_vocabularies" in s)


async def test_a_tenant_without_a_stored_vocabulary_asks_for_the_named_on_its_own(
    db, store, embedder
) -> None:
    async with db.tenant_session(store.tenant_id) as session:
        await session.execute(text("DELETE FROM search_vocabularies"))
    with SentStatements(db) as sent:
        titles = await _titles(db, store, embedder, NAMING[0])
    assert titles[:2] == ["Down Sleeping Bag", "Cast Iron Skillet"]
    assert sent.any(NAMED_ALONE)
