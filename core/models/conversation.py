"""Conversations with shoppers, their messages (with sources), feedback and widget events."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, TenantScoped, UUIDPrimaryKey, tenant_foreign_key
from core.models.choices import one_of


class MessageRole(StrEnum):
    USER = "user"  # the shopper
    ASSISTANT = "assistant"  # the bot's answer
    MERCHANT = "merchant"  # a person from the store, replying to a hand-off request


class HandoffState(StrEnum):
    """A conversation's hand-off to a person (NULL: the shopper never asked for one)."""

    OPEN = "open"  # the shopper left an email and waits for the store
    CLOSED = "closed"  # the merchant closed it


class Conversation(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_bot_id_last_message_at", "bot_id", "last_message_at"),
        # The retention purge's scan: a tenant's conversations idle since before a cut-off.
        Index("ix_conversations_tenant_id_last_message_at", "tenant_id", "last_message_at"),
        CheckConstraint(one_of("handoff_state", HandoffState), name="handoff_state"),
        # The merchant's list of open hand-offs, newest request first.
        Index(
            "ix_conversations_tenant_id_handoff_requested_at",
            "tenant_id",
            "handoff_requested_at",
            postgresql_where="handoff_state IS NOT NULL",
        ),
        tenant_foreign_key("conversations", "bot_id", "bots", ondelete="CASCADE"),
    )

    bot_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    visitor_id: Mapped[str | None] = mapped_column(String(64))
    page_url: Mapped[str | None] = mapped_column(String(1000))
    last_message_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    message_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    # Hand-off to a person (core.handoff): the shopper's contact email is personal data,
    # stored only encrypted (core.crypto.SecretBox) and erased with the conversation.
    handoff_state: Mapped[str | None] = mapped_column(String(16))
    handoff_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handoff_closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handoff_email_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    handoff_note: Mapped[str | None] = mapped_column(Text)  # the shopper's note, masked


class Message(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(one_of("role", MessageRole), name="role"),
        CheckConstraint("status IN ('ok', 'no_answer', 'error')", name="status"),
        CheckConstraint("question_id IS NULL OR role = 'assistant'", name="question_of_answer"),
        tenant_foreign_key("messages", "conversation_id", "conversations", ondelete="CASCADE"),
        tenant_foreign_key("messages", "question_id", "messages", ondelete="CASCADE"),
        # One stored answer per question (alembic 0017): two requests answering the same
        # question at once (a retry beside the answer it retries) store the first only.
        Index(
            "uq_messages_tenant_id_question_id",
            "tenant_id",
            "question_id",
            unique=True,
            postgresql_where="question_id IS NOT NULL",
        ),
    )

    conversation_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, server_default="[]"
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="ok")
    model: Mapped[str | None] = mapped_column(String(100))
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    first_token_ms: Mapped[int | None] = mapped_column(Integer)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    completion_tokens: Mapped[int | None] = mapped_column(Integer)
    # An answer's question: the shopper's message it answers (NULL on a question, a
    # merchant's reply, and answers stored before alembic 0017).
    question_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # A merchant reply: when the shopper's widget fetched it, and when it was emailed
    # instead (core.handoff: a reply not fetched in time is emailed once).
    seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Feedback(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("rating IN ('up', 'down')", name="rating"),
        UniqueConstraint("tenant_id", "message_id"),  # one per message: the upsert's target
        tenant_foreign_key("feedback", "message_id", "messages", ondelete="CASCADE"),
    )

    message_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    rating: Mapped[str] = mapped_column(String(8), nullable=False)
    comment: Mapped[str | None] = mapped_column(Text)


class WidgetEvent(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    """Shopper interactions the analytics count (product-card clicks, opens)."""

    __tablename__ = "widget_events"
    __table_args__ = (
        # Deleting conversations and messages (retention, erasure) finds their events by
        # these, instead of scanning the table once per deleted row; the purge finds events
        # without a conversation by (tenant_id, created_at).
        Index("ix_widget_events_conversation_id", "conversation_id"),
        Index("ix_widget_events_message_id", "message_id"),
        Index("ix_widget_events_tenant_id_created_at", "tenant_id", "created_at"),
        tenant_foreign_key("widget_events", "bot_id", "bots", ondelete="CASCADE"),
        tenant_foreign_key(
            "widget_events", "conversation_id", "conversations", ondelete="SET NULL"
        ),
        tenant_foreign_key("widget_events", "message_id", "messages", ondelete="SET NULL"),
        tenant_foreign_key("widget_events", "product_id", "products", ondelete="SET NULL"),
    )

    bot_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    type: Mapped[str] = mapped_column(String(32), nullable=False)
    product_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    url: Mapped[str | None] = mapped_column(String(1000))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
