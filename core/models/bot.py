"""Bots: one assistant configuration, reachable from the widget by its public key."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, TenantScoped, Timestamps, UUIDPrimaryKey, tenant_foreign_key


class Bot(UUIDPrimaryKey, TenantScoped, Timestamps, Base):
    __tablename__ = "bots"
    __table_args__ = (
        # Looked up by the key before the tenant is known (app_bot_by_widget_key): the key
        # leads. Unique across tenants by its 144 random bits (core.ids, alembic 0012).
        UniqueConstraint("widget_key", "tenant_id"),
        tenant_foreign_key("bots", "store_id", "store_connections", ondelete="SET NULL"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # Public: it sits in the store's page source. It only grants a session from an
    # allowed origin.
    widget_key: Mapped[str] = mapped_column(String(64), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    # Which store's catalogue the bot answers from; NULL means every store of the tenant.
    store_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    persona: Mapped[str | None] = mapped_column(Text)
    tone: Mapped[str | None] = mapped_column(String(200))
    greeting: Mapped[str | None] = mapped_column(Text)
    language_policy: Mapped[str] = mapped_column(
        String(32), nullable=False, server_default="match_shopper"
    )
    custom_instructions: Mapped[str | None] = mapped_column(Text)
    # Exact origins ("https://shop.example") and wildcards ("https://*.example.com").
    allowed_origins: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default="{}"
    )
    embedding_space: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("embedding_spaces.name"),
        nullable=False,
        server_default="minilm-l6-v2",
    )
    # Grouped settings, validated by the API schemas; missing keys take engine defaults.
    llm_settings: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    retrieval_settings: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, server_default="{}"
    )
    theme: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    rate_limits: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    # The merchant's own model API key (core.crypto.SecretBox ciphertext), never in
    # `llm_settings`: a bot's own `base_url` is honoured only together with it.
    llm_api_key_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    # What the widget shows when the bot cannot answer at all (the month's message quota is
    # used up): the merchant's contact details, say. NULL: built from the business profile.
    fallback_message: Mapped[str | None] = mapped_column(Text)
    # Set when a downgrade left the tenant with more bots than its plan allows: the bot is
    # inactive because of the plan, not the merchant, and an upgrade re-enables it.
    suspended_by_plan_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Data minimisation (core.privacy.masking): card numbers are always masked in stored
    # messages; e-mail addresses and phone numbers too unless this is false (the merchant
    # keeps the contact details shoppers volunteer).
    mask_contact_details: Mapped[bool] = mapped_column(
        Boolean, nullable=False, server_default="true"
    )
    # Ask the shopper before anything of the conversation is stored: without their consent
    # (the chat request's `consent: true`) the answer is given and nothing is kept.
    consent_required: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    # The widget's consent question; NULL: core.privacy.consent.DEFAULT_CONSENT_TEXT.
    consent_text: Mapped[str | None] = mapped_column(Text)
