"""API keys for the merchant's servers and the audit log of security-relevant actions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, INET, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, CreatedAt, TenantScoped, UUIDPrimaryKey, tenant_foreign_key


class ApiKey(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "api_keys"
    # Looked up by the hash before the tenant is known (app_api_key_by_hash): the hash
    # leads. Unique across tenants by the key's 256 random bits (alembic 0012).
    __table_args__ = (UniqueConstraint("key_hash", "tenant_id"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The first characters, shown in listings so a merchant can tell keys apart.
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(128), nullable=False)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLogEntry(UUIDPrimaryKey, TenantScoped, CreatedAt, Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        tenant_foreign_key("audit_log", "actor_api_key_id", "api_keys", ondelete="SET NULL"),
    )

    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    actor_api_key_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(INET)
    user_agent: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
