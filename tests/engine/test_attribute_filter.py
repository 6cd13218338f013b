"""An attribute word in a question ("navy", "gore-tex") lets through exactly the products
with that option, and a category word exactly the products in that category, whatever its
case and whatever characters it holds. The attribute condition is a JSON path with a
regular expression built from the store's own value
(engine.retrieval.product_filter.attribute_option_path), so a value's punctuation must
match itself and nothing else; the category condition reads the product's categories back
from their text form, where quotes and backslashes are escaped."""

from __future__ import annotations

import pytest

from core.db.database import Database
from core.provisioning import provision_tenant
from engine.embeddings import shared_local_embedder
from engine.retrieval.filters import QueryFilters
from engine.retrieval.product_filter import allowed_products
from tests.support.index import SeedProduct, seed_store

# Each product's one option, as a store spells it. Values that are each other's prefix,
# or that a regular expression would read differently from the text (".", "*", "\", "+",
# "(", "^", "$", "/", quotes, non-ASCII letters) are the cases.
OPTIONS = {
    "Navy": "Navy",
    "Navy Blue": "Navy Blue",
    "Navy/White": "Navy/White",
    "Gore-Tex": "Gore-Tex",
    "A.B*C": "A.B*C",
    "ABBC": "ABBC",
    "Back\\Slash": "Back\\Slash",
    "C++ (v2)": "C++ (v2)",
    "^$": "^$",
    '5" Screen': '5" Screen',
    "Grün": "Grün",
    "Čierna": "Čierna",
    "50%": "50%",
    "x_y": "x_y",
}


@pytest.fixture
async def shop(db: Database):
    tenant = await provision_tenant(db, name="Options", allowed_origins=[])
    products = [
        SeedProduct(
            name,
            "10.00",
            f"A product in {option}.",
            [option, "All Things"],  # the same spellings as categories
            attributes={"Color": [option]},
        )
        for name, option in OPTIONS.items()
    ]
    # One product lists several options, under two attributes.
    products.append(
        SeedProduct(
            "Multi", "10.00", "Several.", attributes={"Size": ["S", "M"], "Color": ["Teal"]}
        )
    )
    ids = await seed_store(db, tenant.tenant_id, shared_local_embedder(), products)
    return tenant.tenant_id, ids


async def _allowed(db: Database, tenant_id, value: str, *, category: bool = False) -> set:
    filters = (
        QueryFilters(categories=(value,)) if category else QueryFilters(attribute_values=(value,))
    )
    async with db.tenant_session(tenant_id) as session:
        found = await allowed_products(session, tenant_id=tenant_id, filters=filters, store_id=None)
    assert found is not None
    return found.ids()


async def test_each_option_lets_through_its_own_product_only(db: Database, shop) -> None:
    tenant_id, ids = shop
    for name, option in OPTIONS.items():
        # The question's words are lower-cased (engine.retrieval.filters).
        assert await _allowed(db, tenant_id, option.lower()) == {ids[name]}, option


async def test_an_option_among_several_and_no_partial_match(db: Database, shop) -> None:
    tenant_id, ids = shop
    assert await _allowed(db, tenant_id, "m") == {ids["Multi"]}
    assert await _allowed(db, tenant_id, "teal") == {ids["Multi"]}
    assert await _allowed(db, tenant_id, "nav") == set()
    assert await _allowed(db, tenant_id, "navy blue") == {ids["Navy Blue"]}
    assert await _allowed(db, tenant_id, "a.b.c") == set(), "a dot is a dot"
    assert await _allowed(db, tenant_id, "color") == set(), "a name is not an option"


async def test_each_category_lets_through_its_own_products_whatever_it_holds(
    db: Database, shop
) -> None:
    # Categories are matched on the product's array lower-cased as text and read back
    # (quotes and backslashes are escaped in that text): the same spellings must survive.
    tenant_id, ids = shop
    for name, option in OPTIONS.items():
        assert await _allowed(db, tenant_id, option.lower(), category=True) == {ids[name]}, option
    everything = await _allowed(db, tenant_id, "all things", category=True)
    assert everything == set(ids.values()) - {ids["Multi"]}
    assert await _allowed(db, tenant_id, "all", category=True) == set(), "no partial match"
