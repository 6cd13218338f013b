from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

Rating = Literal["up", "down"]
HandoffState = Literal["open", "closed"]
HandoffFilter = Literal["open", "closed", "any", "none"]


class ConversationSummary(BaseModel):
    id: uuid.UUID
    bot_id: uuid.UUID
    visitor_id: str | None = None
    page_url: str | None = None
    first_message: str | None = Field(
        default=None, description="The shopper's first message (its first 200 characters)"
    )
    created_at: datetime
    last_message_at: datetime
    message_count: int
    is_preview: bool
    has_no_answer: bool
    thumbs_up: int
    thumbs_down: int
    handoff_state: HandoffState | None = Field(
        default=None, description="The shopper asked for a person: open until closed"
    )
    handoff_requested_at: datetime | None = None


class FeedbackOut(BaseModel):
    rating: Rating
    comment: str | None = None
    created_at: datetime


class MessageOut(BaseModel):
    id: uuid.UUID
    role: Literal["user", "assistant", "merchant"]
    content: str
    status: Literal["ok", "no_answer", "error"]
    sources: list[dict[str, Any]]
    model: str | None = None
    latency_ms: int | None = None
    created_at: datetime
    feedback: FeedbackOut | None = None


class HandoffOut(BaseModel):
    state: HandoffState
    requested_at: datetime | None = None
    closed_at: datetime | None = None
    email: str | None = Field(
        default=None, description="Where the shopper asked the store's reply to go"
    )
    note: str | None = Field(default=None, description="The shopper's note (masked)")


class ConversationOut(ConversationSummary):
    messages: list[MessageOut]
    handoff: HandoffOut | None = None


REPLY_MAX_CHARS = 4000


class ReplyCreate(BaseModel):
    text: str = Field(min_length=1, max_length=REPLY_MAX_CHARS)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        stripped = value.strip()
        if not stripped:
            raise ValueError("a reply needs some text")
        return stripped
