from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    widget_key: str = Field(min_length=1, max_length=128, description="The bot's public key.")
    previous_session_token: str | None = Field(
        default=None,
        max_length=4096,
        description="The token being renewed (may be expired): the shopper keeps their "
        "visitor id, and so their conversations, across sessions.",
    )


class WidgetTheme(BaseModel):
    primary_color: str | None = None
    position: Literal["left", "right"] = "right"
    title: str | None = None
    avatar_url: str | None = None


class PublicBot(BaseModel):
    name: str
    greeting: str | None
    theme: WidgetTheme
    consent_required: bool = Field(
        default=False,
        description="Ask the shopper (`consent_text`, with Allow / No thanks) before the "
        "conversation is stored, and send their choice as `consent` with every chat request; "
        "without `consent: true` the bot answers and nothing is kept",
    )
    consent_text: str | None = Field(
        default=None, description="The consent question to show; null when none is asked"
    )


class SessionCreated(BaseModel):
    session_token: str
    expires_at: datetime
    bot: PublicBot
