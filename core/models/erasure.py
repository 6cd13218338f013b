"""The record an account erasure leaves behind: when, which (opaque) tenant id, how many
rows each table lost and the role that asked. No name, email or content: the business is
gone, this only proves the erasure happened.

Deliberately not `TenantScoped`: the column is `erased_tenant_id`, not `tenant_id`, so the
record is not one of the tenant's rows (the erasure would otherwise have to delete its own
proof) and the catalogue of tenant tables stays exactly the tables a tenant owns. The
application role cannot read or write the table; it records through the
`app_record_tenant_erasure` SECURITY DEFINER function (migration 0006).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, UUIDPrimaryKey


class TenantErasure(UUIDPrimaryKey, Base):
    __tablename__ = "tenant_erasures"

    erased_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    erased_tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    row_counts: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    actor_role: Mapped[str] = mapped_column(String(16), nullable=False)
