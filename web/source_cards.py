"""The source cards an answer cites, as both HTTP apps return them: the widget's chat (JSON and
SSE) and the merchant's bot preview (`POST /v1/bots/{bot_id}/try`). One model each, so both
OpenAPI documents describe the same card."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

# The engine builds the cards (`engine.types.product_source`, `document_source`); these
# models describe those dicts, field for field and in their order, so the wire is the
# engine's. Unknown keys are refused: a fact the engine adds must be added here too
# (tests/api/test_chat_sources.py fails until it is).


class ProductSource(BaseModel):
    """A product the answer cites, with its live facts: the card the widget draws."""

    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID
    external_id: str = Field(description="The store's own product id (WooCommerce id)")
    sku: str | None
    title: str
    url: str | None
    price: str | None = Field(
        description="The price the shopper pays now, with exactly two decimals",
        examples=["49.99"],
    )
    currency: str
    in_stock: bool
    snippet: str = Field(description="A short excerpt of the product text ('' if none)")
    image_url: str | None
    # Defaulted: cards stored before Add to cart existed (message history) have no such key.
    add_to_cart_url: str | None = Field(
        default=None,
        description="WooCommerce's `?add-to-cart=<id>` link on the store, for a purchasable "
        "simple product in stock (null: the shopper chooses on the product page)",
        examples=["https://shop.example/?add-to-cart=101"],
    )


class DocumentSource(BaseModel):
    """A knowledge document (FAQ, policy page) the answer cites."""

    model_config = ConfigDict(extra="forbid")

    document_id: uuid.UUID
    title: str
    snippet: str = Field(description="A short excerpt of the document ('' if none)")


# A card is one or the other; an answer lists its products first, then its documents.
Source = ProductSource | DocumentSource
SOURCES = TypeAdapter(list[Source])


def sources_json(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's source dicts, checked against the cards and in their JSON form (the
    SSE `sources` event, written without the response model)."""
    return SOURCES.dump_python(SOURCES.validate_python(sources), mode="json")
