"""The widget chat's request and response bodies (the source cards are `web.source_cards`)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

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
    consent: bool | None = Field(
        default=None,
        description="The shopper's answer to the bot's consent question (`bot.consent_required` "
        "in the session): when the bot requires consent, the turn is stored only if this is "
        "true; otherwise the answer is given and nothing is kept (no conversation, no ids). "
        "Ignored by bots that do not ask.",
    )
    retry_of: uuid.UUID | None = Field(
        default=None,
        description="Retry of an interrupted answer: the `message_id` of the `error` event (or "
        "503 problem) that ended it, with its `conversation_id` and the same `message`. The "
        "stored question is answered; it is not stored again. 404 when it is not a question "
        "of this conversation; 409 `retry_conflict` when the conversation went on after it "
        "(it has its answer) or `message` is not its text. Not read when nothing is stored "
        "(the bot requires consent and `consent` is not true).",
    )

    @model_validator(mode="after")
    def _retry_names_its_conversation(self) -> ChatRequest:
        if self.retry_of is not None and self.conversation_id is None:
            raise ValueError("retry_of needs the conversation_id its error gave")
        return self

    @field_validator("message")
    @classmethod
    def _trimmed_length(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("message must not be empty")
        if len(value) > MESSAGE_MAX_CHARS:
            raise ValueError(f"message must be at most {MESSAGE_MAX_CHARS} characters")
        return value


class HandoffOffer(BaseModel):
    offered: bool = Field(
        description="true: the answer offers a person from the store; show the hand-off form "
        "(`POST /widget/v1/handoff`)"
    )


class ChatResponse(BaseModel):
    conversation_id: uuid.UUID | None = Field(
        description="null when nothing was stored (the bot requires consent and the request "
        "did not give it): there is then no conversation to continue, rate or erase"
    )
    message_id: uuid.UUID | None = Field(
        description="null when nothing was stored: feedback and events cannot refer to it"
    )
    answer: str
    sources: list[Source]
    handoff: HandoffOffer | None = Field(
        default=None,
        description="Present only when the answer offers a hand-off to a person (absent "
        "otherwise: the body is the one clients before hand-off knew)",
    )


class QuotaProblem(BaseModel):
    """The 402 a shopper gets when the business's messages for the month are used up: the
    quota's name and the text to show instead of an answer (the merchant's limit and usage
    are not the shopper's business)."""

    type: str
    title: str
    status: int = Field(examples=[402])
    code: str = Field(examples=["quota_exceeded"])
    detail: str
    quota: str = Field(examples=["messages_per_month"])
    fallback: str = Field(description="Show this as the assistant's reply (contact details).")
    instance: str | None = None
