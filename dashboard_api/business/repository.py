from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Tenant


async def get_business(session: AsyncSession, tenant_id: TenantId) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.id == tenant_id))


async def update_business(
    session: AsyncSession, tenant_id: TenantId, values: dict[str, Any]
) -> Tenant | None:
    if values:
        await session.execute(update(Tenant).where(Tenant.id == tenant_id).values(**values))
    return await session.scalar(
        select(Tenant).where(Tenant.id == tenant_id).execution_options(populate_existing=True)
    )
