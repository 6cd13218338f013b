"""Writing the audit log: security-relevant actions, in the same transaction as the action.

Entries never carry a secret: no passwords, tokens, keys or credentials, only ids, names,
roles and the client's address and user agent.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import AuditLogEntry
from dashboard_api.auth.context import MerchantContext
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
