"""The widget chat's request and response bodies, and the source cards an answer cites."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, field_validator

MESSAGE_MAX_CHARS = 2000


def _id_as_text(value: Any) -> Any:
    # WooCommerce ids are numbers; a page may hand them over as JSON numbers.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


ExternalProductId = Annotated[str, BeforeValidator(_id_as_text), Field(min_length=1, max_length=64)]


class PageIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    url: str | None = Field(default=None, max_length=1000)
    product_id: ExternalProductId | None = None


class ChatRequest(BaseModel):
    # Unknown fields are ignored: a cached widget.js from a newer release must keep working.
    model_config = ConfigDict(extra="ignore")

    message: str = Field(description=f"1 to {MESSAGE_MAX_CHARS} characters after trimming")
    conversation_id: uuid.UUID | None = None
    page: PageIn | None = None

    @field_validator("message")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("message must not be empty")
        if len(value) > MESSAGE_MAX_CHARS:
            raise ValueError(f"message must be at most {MESSAGE_MAX_CHARS} characters")
        return value


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


class ChatResponse(BaseModel):
    conversation_id: uuid.UUID
    message_id: uuid.UUID
    answer: str
    sources: list[Source]
