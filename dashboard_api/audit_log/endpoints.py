"""`/v1/audit-log`: admin+ only."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from dashboard_api.audit_log import service
from dashboard_api.audit_log.repository import AuditFilter
from dashboard_api.audit_log.schemas import AuditEntryOut
from dashboard_api.auth.context import MerchantAdmin, TenantSession
from dashboard_api.filters import DateFrom, DateTo, aware
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, PageRequest

router = APIRouter(prefix="/audit-log", tags=["audit-log"])


@router.get("", operation_id="audit_log_list")
async def list_entries(
    context: MerchantAdmin,
    session: TenantSession,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: Literal["created_at", "-created_at"] = "-created_at",
    action: Annotated[
        str | None, Query(max_length=64, description="e.g. auth.login, api_key.created")
    ] = None,
    actor_user_id: uuid.UUID | None = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    from_: DateFrom = None,
    to: DateTo = None,
) -> Page[AuditEntryOut]:
    return await service.list_entries(
        session,
        context,
        AuditFilter(
            action=action,
            actor_user_id=actor_user_id,
            target_id=target_id,
            created_from=aware(from_),
            created_to=aware(to),
        ),
        PageRequest(sort, cursor, limit),
    )
