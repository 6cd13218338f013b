"""Tenants: the merchant businesses. The RLS policy on this table keys on `id`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, Timestamps, UUIDPrimaryKey


class Tenant(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "tenants"
    __table_args__ = (CheckConstraint("retention_days BETWEEN 1 AND 3650", name="retention_days"),)

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    website: Mapped[str | None] = mapped_column(String(500))
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default="USD")
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, server_default="UTC")
    language: Mapped[str] = mapped_column(String(16), nullable=False, server_default="en")
    support_email: Mapped[str | None] = mapped_column(String(320))
    support_phone: Mapped[str | None] = mapped_column(String(64))
    shipping_policy: Mapped[str | None] = mapped_column(Text)
    returns_policy: Mapped[str | None] = mapped_column(Text)
    # Free-form profile facts the prompt may use (opening hours, payment methods, ...).
    profile: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    # How long shoppers' conversations (with their messages, feedback and widget events)
    # are kept after their last activity; NULL keeps them. Enforced by the hourly purge
    # (core.privacy.retention); the anonymous analytics rollups are not affected.
    retention_days: Mapped[int | None] = mapped_column(Integer)
