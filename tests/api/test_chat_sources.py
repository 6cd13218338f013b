"""The source cards of a chat answer: the API's schema (`api.chat.schemas`) describes
exactly the dicts the engine builds, and `/openapi.json` publishes it."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from api.app import create_app
from core.db.database import Database
from engine.types import DocumentHit, ProductHit, build_sources
from tests.api.harness import client_for, make_deps
from web.source_cards import DocumentSource, ProductSource, sources_json


def _hits() -> tuple[list[ProductHit], list[DocumentHit]]:
    full = ProductHit(
        product_id=uuid.uuid4(),
        external_id="101",
        sku="JKT-1",
        title="Alpine Rain Jacket",
        url="https://shop.example/jacket",
        price=Decimal("80"),
        currency="EUR",
        in_stock=True,
        stock_status="instock",
        image_url="https://shop.example/jacket.jpg",
        snippets=("Fully waterproof, with a packable hood.",),
    )
    bare = ProductHit(
        product_id=uuid.uuid4(),
        external_id="102",
        title="Cast Iron Skillet",
        currency="USD",
        in_stock=False,
        stock_status="outofstock",
    )
    document = DocumentHit(
        document_id=uuid.uuid4(), title="Returns", snippets=("30 days, no questions.",)
    )
    return [full, bare], [document]


def test_the_cards_are_exactly_the_engines_source_dicts() -> None:
    products, documents = _hits()
    built = build_sources(products, documents)
    checked = sources_json(built)
    # The same keys in the same order with the same values: the wire does not change.
    assert json.dumps(checked) == json.dumps(built)
    assert [list(card) for card in checked] == [list(source) for source in built]
    assert list(ProductSource.model_fields) == list(built[0])
    assert list(DocumentSource.model_fields) == list(built[-1])


def test_a_key_the_schema_does_not_know_is_refused() -> None:
    products, _ = _hits()
    (card,) = build_sources(products[:1])
    with pytest.raises(ValidationError):
        sources_json([{**card, "stock_quantity": 3}])
    with pytest.raises(ValidationError):
        sources_json([{"title": "no id"}])


async def test_openapi_describes_the_source_card(db: Database) -> None:
    async with client_for(create_app(make_deps(db))) as client:
        document = (await client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    items = schemas["ChatResponse"]["properties"]["sources"]["items"]
    refs = {option["$ref"].rsplit("/", 1)[-1] for option in items["anyOf"]}
    assert refs == {"ProductSource", "DocumentSource"}
    product = schemas["ProductSource"]
    # Every field but the Add to cart link, which cards stored before it existed lack.
    assert set(product["required"]) == set(ProductSource.model_fields) - {"add_to_cart_url"}
    assert "add_to_cart_url" in product["properties"]
    assert product["additionalProperties"] is False
    assert product["properties"]["price"]["anyOf"][0]["type"] == "string"
    assert set(schemas["DocumentSource"]["required"]) == {"document_id", "title", "snippet"}
