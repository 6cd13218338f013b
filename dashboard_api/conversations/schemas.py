from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Rating = Literal["up", "down"]


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


class FeedbackOut(BaseModel):
    rating: Rating
    comment: str | None = None
    created_at: datetime


class MessageOut(BaseModel):
    id: uuid.UUID
    role: Literal["user", "assistant"]
    content: str
    status: Literal["ok", "no_answer", "error"]
    sources: list[dict[str, Any]]
    model: str | None = None
    latency_ms: int | None = None
    created_at: datetime
    feedback: FeedbackOut | None = None


class ConversationOut(ConversationSummary):
    messages: list[MessageOut]
