"""Products read by id and by name (engine.retrieval.known_products), on the real database."""

from __future__ import annotations

from core.ids import TenantId
from core.provisioning import provision_tenant
from engine.embeddings import shared_local_embedder
from engine.retrieval import known_products
from engine.retrieval.named_products import named_products
from tests.support.index import SeedProduct, seed_store

SPACE = shared_local_embedder().space.name
SHOES = [
    SeedProduct("Cedar Trail Running Shoe", "93.50", "A light shoe for dry trails.", ["Shoes"]),
    SeedProduct(
        "Cedar Trail Running Shoe Lite",
        "58.00",
        "An even lighter shoe. Made for race day on dry, fast trails.",
        ["Shoes"],
        {"Colour": ["Cream"]},
    ),
    SeedProduct("Harbor Two-Person Tent", "149.50", "A roomy tent for two.", ["Camping"]),
    SeedProduct("Brisa Sun Cream", "12.00", "Mineral sun cream, SPF 50.", ["Beauty"]),
]


async def _tenant(db, name: str, products: list[SeedProduct]) -> TenantId:
    tenant = await provision_tenant(db, name=name, allowed_origins=[])
    await seed_store(db, tenant.tenant_id, shared_local_embedder(), products)
    return TenantId(tenant.tenant_id)


async def test_products_by_store_id_keep_the_order_given_and_the_tenant(db) -> None:
    shoes = await _tenant(db, "Shoe Shop", SHOES)
    await _tenant(db, "Other Shop", [SeedProduct("Someone Else's Kettle", "20.00", "Hot.")])
    async with db.tenant_session(shoes) as session:
        hits = await known_products.products_by_store_id(
            session,
            tenant_id=shoes,
            store_id=None,
            external_ids=["1001", "1000", "9999"],
            space=SPACE,
            evidence=2,
        )
    assert [h.title for h in hits] == ["Cedar Trail Running Shoe Lite", "Cedar Trail Running Shoe"]
    assert hits[0].snippets and "race day" in hits[0].snippets[0]
    assert str(hits[0].price) == "58.00"
    # The other shop's product 1000 is a kettle: never read here.
    assert all("Kettle" not in h.title for h in hits)


async def test_a_title_inside_a_longer_named_title_counts_only_where_it_stands_alone(db) -> None:
    shoes = await _tenant(db, "Shoe Shop", SHOES)
    async with db.tenant_session(shoes) as session:

        async def named(question: str) -> list[str]:
            ids = await named_products(session, tenant_id=shoes, store_id=None, question=question)
            hits = await known_products.products_by_id(
                session, tenant_id=shoes, product_ids=ids, space=SPACE, evidence=0
            )
            return [h.title for h in hits]

        both = await named("Cedar Trail Running Shoe vs Cedar Trail Running Shoe Lite: price?")
        assert both == ["Cedar Trail Running Shoe", "Cedar Trail Running Shoe Lite"]
        assert await named("is the cedar trail running shoe lite any good?") == [
            "Cedar Trail Running Shoe Lite"
        ]


async def test_catalogue_stems_are_the_words_that_name_what_the_store_sells(db) -> None:
    shoes = await _tenant(db, "Shoe Shop", SHOES)
    async with db.tenant_session(shoes) as session:
        found = await known_products.catalogue_stems(
            session,
            tenant_id=shoes,
            store_id=None,
            # "tent" begins "Tent" (and "beaut" "Beauty"); "cream" is in a title but is also a
            # colour option; "ce" is too short to name anything; no kettle here.
            stems={"tent", "beaut", "cream", "ce", "kettle"},
        )
    assert found == {"tent", "beaut"}
