from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import AuditLogEntry
from dashboard_api.filters import within
from dashboard_api.pagination import Keyset, SortKey

AUDIT_SORTS = (SortKey("created_at", AuditLogEntry.created_at, datetime),)


@dataclass(frozen=True)
class AuditFilter:
    """What `/v1/audit-log` narrows the entries by; None leaves a field open."""

    action: str | None = None
    actor_user_id: uuid.UUID | None = None
    target_id: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


async def list_entries(
    session: AsyncSession, tenant_id: TenantId, where: AuditFilter, keyset: Keyset
) -> list[AuditLogEntry]:
    statement = select(AuditLogEntry).where(AuditLogEntry.tenant_id == tenant_id)
    if where.action:
        statement = statement.where(AuditLogEntry.action == where.action)
    if where.actor_user_id:
        statement = statement.where(AuditLogEntry.actor_user_id == where.actor_user_id)
    if where.target_id:
        statement = statement.where(AuditLogEntry.target_id == where.target_id)
    statement = statement.where(
        *within(AuditLogEntry.created_at, where.created_from, where.created_to)
    )
    return list(await session.scalars(keyset.apply(statement, AuditLogEntry.id)))
