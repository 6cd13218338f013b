"""Store connections: a merchant's WooCommerce store and its encrypted credentials."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, TenantScoped, Timestamps, UUIDPrimaryKey
from core.models.choices import one_of


class StoreStatus(StrEnum):
    ACTIVE = "active"
    ERROR = "error"  # the last connection test or sync failed; `last_error` says why
    DISCONNECTED = "disconnected"


class StoreConnection(UUIDPrimaryKey, TenantScoped, Timestamps, Base):
    __tablename__ = "store_connections"
    __table_args__ = (
        CheckConstraint("platform IN ('woocommerce')", name="platform"),
        CheckConstraint(one_of("status", StoreStatus), name="status"),
    )

    platform: Mapped[str] = mapped_column(String(32), nullable=False, server_default="woocommerce")
    name: Mapped[str | None] = mapped_column(String(200))
    base_url: Mapped[str] = mapped_column(String(500), nullable=False)
    # Fernet ciphertexts (core.crypto); plaintext never touches the database or the logs.
    credentials_ciphertext: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    webhook_secret_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(
        String(16), nullable=False, server_default=StoreStatus.ACTIVE.value
    )
    last_error: Mapped[str | None] = mapped_column(Text)
    currency: Mapped[str | None] = mapped_column(String(3))
    # The newest `date_modified_gmt` applied: the next incremental sync starts here.
    sync_cursor: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    # The last sync's warning the merchant should see (products left out by the plan's
    # product quota, say); cleared by a sync that had none.
    sync_warning: Mapped[str | None] = mapped_column(Text)
    # Set when a downgrade left more stores than the plan allows: no syncs until re-enabled.
    suspended_by_plan_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
