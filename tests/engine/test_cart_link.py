"""Product cards carry WooCommerce's `?add-to-cart=<id>` link only for what that link can
buy: a published simple product with a price, in stock or on backorder, on the store's own
base URL (its sub-path kept)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from core.db.database import Database
from core.models import Product, StoreConnection
from core.provisioning import provision_tenant
from engine.embeddings import shared_local_embedder
from engine.retrieval.cart_link import add_to_cart_url
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.types import build_sources
from tests.engine.support import CATALOGUE
from tests.support.index import seed_store

BUYABLE: dict[str, Any] = {
    "base_url": "https://shop.example",
    "external_id": "101",
    "product_type": "simple",
    "status": "publish",
    "price": Decimal("24.00"),
    "stock_status": "instock",
}


def _link(**change: Any) -> str | None:
    return add_to_cart_url(**{**BUYABLE, **change})


def test_a_simple_product_in_stock_links_to_the_stores_add_to_cart() -> None:
    assert _link() == "https://shop.example/?add-to-cart=101"


@pytest.mark.parametrize(
    "base_url, expected",
    [
        ("https://shop.example/store", "https://shop.example/store/?add-to-cart=101"),
        ("https://shop.example/store/", "https://shop.example/store/?add-to-cart=101"),
        ("http://localhost:8080", "http://localhost:8080/?add-to-cart=101"),
    ],
)
def test_the_link_keeps_the_stores_origin_and_sub_path(base_url: str, expected: str) -> None:
    assert _link(base_url=base_url) == expected


def test_a_product_on_backorder_can_be_added() -> None:
    link = _link(stock_status="onbackorder")
    assert link == "https://shop.example/?add-to-cart=101"


@pytest.mark.parametrize(
    "change",
    [
        {"product_type": "variable"},  # a variation must be chosen on the product page
        {"product_type": "grouped"},  # a quantity per child product
        {"product_type": "external"},  # bought on another site
        {"stock_status": "outofstock"},
        {"price": None},  # WooCommerce: no price, not purchasable
        {"status": "draft"},
        {"base_url": None},
        {"base_url": "ftp://shop.example"},
        {"base_url": "javascript:alert(1)//"},
        {"external_id": ""},
    ],
)
def test_no_link_for_what_the_link_cannot_buy(change: dict[str, Any]) -> None:
    assert _link(**change) is None


def test_an_odd_external_id_is_escaped_into_the_query() -> None:
    link = _link(external_id="12&x=1")
    assert link == "https://shop.example/?add-to-cart=12%26x%3D1"


async def test_retrieved_cards_carry_the_link_built_from_the_products_store(db: Database) -> None:
    tenant = await provision_tenant(db, name="Peak Outfitters", allowed_origins=[])
    ids = await seed_store(db, tenant.tenant_id, shared_local_embedder(), CATALOGUE)
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(StoreConnection)
            .where(StoreConnection.tenant_id == tenant.tenant_id)
            .values(base_url="https://shop.example/outdoor")
        )
        await session.execute(
            update(Product).where(Product.id == ids["Wool Hiking Socks"]).values(type="variable")
        )
        rows = await session.execute(select(Product.id, Product.external_id))
        woo_id = {row.id: row.external_id for row in rows}
    async with db.tenant_session(tenant.tenant_id) as session:
        result = await HybridRetriever(shared_local_embedder()).retrieve(
            session,
            tenant_id=tenant.tenant_id,
            query="do you have anything under $30?",
            settings=RetrievalSettings(top_k=10),
        )
    links = {hit.title: hit.add_to_cart_url for hit in result.hits}
    assert links["Merino Wool Beanie"] == (
        f"https://shop.example/outdoor/?add-to-cart={woo_id[ids['Merino Wool Beanie']]}"
    )
    assert links["Wool Hiking Socks"] is None  # variable
    assert links["Insulated Water Bottle"] is None  # out of stock
    cards = {card["title"]: card for card in build_sources(result.hits)}
    assert cards["Merino Wool Beanie"]["add_to_cart_url"] == links["Merino Wool Beanie"]
    assert cards["Insulated Water Bottle"]["add_to_cart_url"] is None
