from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import AuditLogEntry
from dashboard_api.pagination import Sort, SortKey, apply_keyset

AUDIT_SORTS = (SortKey("created_at", AuditLogEntry.created_at, datetime),)


async def list_entries(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    sort: Sort,
    cursor: str | None,
    limit: int,
    action: str | None,
    actor_user_id: uuid.UUID | None,
    target_id: str | None,
    created_from: datetime | None,
    created_to: datetime | None,
) -> list[AuditLogEntry]:
    statement = select(AuditLogEntry).where(AuditLogEntry.tenant_id == tenant_id)
    if action:
        statement = statement.where(AuditLogEntry.action == action)
    if actor_user_id:
        statement = statement.where(AuditLogEntry.actor_user_id == actor_user_id)
    if target_id:
        statement = statement.where(AuditLogEntry.target_id == target_id)
    if created_from:
        statement = statement.where(AuditLogEntry.created_at >= created_from)
    if created_to:
        statement = statement.where(AuditLogEntry.created_at < created_to)
    return list(
        await session.scalars(apply_keyset(statement, sort, AuditLogEntry.id, cursor, limit))
    )
