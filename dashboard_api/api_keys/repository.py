from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import ApiKey
from dashboard_api.pagination import Keyset, SortKey

API_KEY_SORTS = (
    SortKey("created_at", ApiKey.created_at, datetime),
    SortKey("name", ApiKey.name, str),
)


async def list_keys(
    session: AsyncSession,
    tenant_id: TenantId,
    keyset: Keyset,
    *,
    include_revoked: bool,
) -> list[ApiKey]:
    statement = select(ApiKey).where(ApiKey.tenant_id == tenant_id)
    if not include_revoked:
        statement = statement.where(ApiKey.revoked_at.is_(None))
    return list(await session.scalars(keyset.apply(statement, ApiKey.id)))


async def add_key(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    name: str,
    prefix: str,
    key_hash: str,
    scopes: list[str],
    created_by: uuid.UUID | None,
    expires_at: datetime | None,
) -> ApiKey:
    key = ApiKey(
        tenant_id=tenant_id,
        name=name,
        prefix=prefix,
        key_hash=key_hash,
        scopes=scopes,
        created_by_user_id=created_by,
        expires_at=expires_at,
    )
    session.add(key)
    await session.flush()
    await session.refresh(key)
    return key


async def revoke_key(
    session: AsyncSession, tenant_id: TenantId, key_id: uuid.UUID
) -> ApiKey | None:
    """Idempotent: revoking a revoked key keeps its first revocation time."""
    key = await session.scalar(
        select(ApiKey).where(ApiKey.tenant_id == tenant_id, ApiKey.id == key_id).with_for_update()
    )
    if key is None:
        return None
    if key.revoked_at is None:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.tenant_id == tenant_id, ApiKey.id == key_id)
            .values(revoked_at=func.now())
        )
    return key
