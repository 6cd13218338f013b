"""`/v1/audit-log`: admin+ only."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from dashboard_api.audit_log import repository
from dashboard_api.audit_log.schemas import AuditEntryOut
from dashboard_api.auth.context import MerchantAdmin, TenantSession
from dashboard_api.filters import DateFrom, DateTo, aware
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, page_of, parse_sort

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
    order = parse_sort(sort, repository.AUDIT_SORTS)
    rows = await repository.list_entries(
        session,
        context.tenant_id,
        sort=order,
        cursor=cursor,
        limit=limit,
        action=action,
        actor_user_id=actor_user_id,
        target_id=target_id,
        created_from=aware(from_),
        created_to=aware(to),
    )
    kept, next_cursor = page_of(rows, order, limit, key=lambda e: (e.created_at, e.id))
    items = [
        AuditEntryOut(
            id=e.id,
            created_at=e.created_at,
            action=e.action,
            actor_user_id=e.actor_user_id,
            actor_api_key_id=e.actor_api_key_id,
            target_type=e.target_type,
            target_id=e.target_id,
            ip=str(e.ip) if e.ip is not None else None,
            user_agent=e.user_agent,
            details=e.details or {},
        )
        for e in kept
    ]
    return Page(items=items, next_cursor=next_cursor)
