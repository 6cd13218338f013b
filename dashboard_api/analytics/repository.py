"""The analytics reads that still scan raw rows: the business's time zone. The counts,
series and top products read the rollups (analytics.rollups); the top questions and
content gaps read the question clusters (analytics.questions_repository)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Tenant


async def business_timezone(session: AsyncSession, tenant_id: TenantId) -> str:
    zone = await session.scalar(select(Tenant.timezone).where(Tenant.id == tenant_id))
    return zone or "UTC"
