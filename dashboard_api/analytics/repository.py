"""The analytics reads that still scan raw rows: the business's time zone. The counts,
series and top products read the rollups (analytics.rollups); the top questions and
content gaps read the question clusters (analytics.questions_repository)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Tenant
from dashboard_api.analytics.days import DayRange, day_range


async def business_timezone(session: AsyncSession, tenant_id: TenantId) -> str:
    zone = await session.scalar(select(Tenant.timezone).where(Tenant.id == tenant_id))
    return zone or "UTC"


async def business_days(
    session: AsyncSession, tenant_id: TenantId, first: date | None, end: date | None
) -> DayRange:
    """The request's window as calendar days in the business's time zone (every analytics
    read takes its window from here)."""
    return day_range(first, end, await business_timezone(session, tenant_id))
