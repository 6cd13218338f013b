from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

NOTE_MAX_CHARS = 2000


class HandoffRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    conversation_id: uuid.UUID
    email: EmailStr = Field(max_length=320, description="Where the store's reply may be sent")
    consent: Literal[True] = Field(
        description="The shopper agreed that the store keeps this email to reply (must be true)"
    )
    message: str | None = Field(default=None, max_length=NOTE_MAX_CHARS)

    @field_validator("message")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return (value or "").strip() or None


class HandoffStatus(BaseModel):
    conversation_id: uuid.UUID
    state: Literal["open", "closed"]
    requested_at: datetime | None


class ReplyOut(BaseModel):
    id: uuid.UUID
    role: Literal["merchant"] = "merchant"
    content: str
    created_at: datetime


class RepliesPage(BaseModel):
    state: Literal["open", "closed"] | None = Field(
        description="The conversation's hand-off: open (keep polling), closed, or null"
    )
    messages: list[ReplyOut]
    poll_after_s: int = Field(description="Wait this long before asking again")
