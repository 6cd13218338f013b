"""The widget chat's request and response bodies (the source cards are `web.source_cards`)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from web.source_cards import Source

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


class ChatResponse(BaseModel):
    conversation_id: uuid.UUID
    message_id: uuid.UUID
    answer: str
    sources: list[Source]
