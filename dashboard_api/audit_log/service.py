"""The audit log: writing an entry for a security-relevant action, in the same
transaction as the action (`record`, `record_by`), and listing entries for `/v1/audit-log`.

Entries never carry a secret: no passwords, tokens, keys or credentials, only ids, names,
roles and the client's address and user agent.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import AuditLogEntry
from dashboard_api.audit_log import repository
from dashboard_api.audit_log.repository import AuditFilter
from dashboard_api.audit_log.schemas import AuditEntryOut
from dashboard_api.auth.context import MerchantContext
from dashboard_api.pagination import Page, PageRequest
from web.client import ClientInfo


async def record(
    session: AsyncSession,
    tenant_id: TenantId,
    action: str,
    *,
    client: ClientInfo | None = None,
    actor_user_id: uuid.UUID | None = None,
    actor_api_key_id: uuid.UUID | None = None,
    target_type: str | None = None,
    target_id: uuid.UUID | str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLogEntry(
            tenant_id=tenant_id,
            action=action,
            actor_user_id=actor_user_id,
            actor_api_key_id=actor_api_key_id,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            ip=client.ip if client else None,
            user_agent=client.user_agent if client else None,
            details=details or {},
        )
    )
    await session.flush()


async def record_by(
    session: AsyncSession,
    context: MerchantContext,
    action: str,
    *,
    client: ClientInfo | None = None,
    target_type: str | None = None,
    target_id: uuid.UUID | str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    await record(
        session,
        context.tenant_id,
        action,
        client=client,
        actor_user_id=context.user_id,
        actor_api_key_id=context.api_key_id,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )


def entry_out(entry: AuditLogEntry) -> AuditEntryOut:
    return AuditEntryOut(
        id=entry.id,
        created_at=entry.created_at,
        action=entry.action,
        actor_user_id=entry.actor_user_id,
        actor_api_key_id=entry.actor_api_key_id,
        target_type=entry.target_type,
        target_id=entry.target_id,
        ip=str(entry.ip) if entry.ip is not None else None,
        user_agent=entry.user_agent,
        details=entry.details or {},
    )


async def list_entries(
    session: AsyncSession, context: MerchantContext, where: AuditFilter, page: PageRequest
) -> Page[AuditEntryOut]:
    keyset = page.keyset(repository.AUDIT_SORTS)
    rows = await repository.list_entries(session, context.tenant_id, where, keyset)
    return keyset.page(rows, entry_out)
