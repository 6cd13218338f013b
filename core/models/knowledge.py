"""Merchant knowledge documents: FAQs, shipping and returns policies, ..."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, TenantScoped, Timestamps, UUIDPrimaryKey, tenant_foreign_key


class KnowledgeDocument(UUIDPrimaryKey, TenantScoped, Timestamps, Base):
    __tablename__ = "knowledge_documents"
    __table_args__ = (
        CheckConstraint("content_type IN ('text', 'markdown', 'html')", name="content_type"),
        CheckConstraint("kind IN ('faq', 'policy', 'page', 'other')", name="kind"),
        tenant_foreign_key("knowledge_documents", "bot_id", "bots", ondelete="CASCADE"),
    )

    # NULL: shared by every bot of the tenant.
    bot_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, server_default="faq")
    content_type: Mapped[str] = mapped_column(String(16), nullable=False, server_default="text")
    body: Mapped[str] = mapped_column(Text, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when a downgrade left more documents than the plan allows: not used in answers.
    suspended_by_plan_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
