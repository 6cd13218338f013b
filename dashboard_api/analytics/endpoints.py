"""`/v1/analytics/summary`: the numbers a merchant checks first."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from dashboard_api.analytics import service
from dashboard_api.analytics.schemas import AnalyticsSummary
from dashboard_api.auth.context import MerchantRead, TenantSession
from dashboard_api.filters import DateFrom, DateTo, aware

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.get("/summary", operation_id="analytics_summary", response_model_by_alias=True)
async def summary(
    context: MerchantRead,
    session: TenantSession,
    from_: DateFrom = None,
    to: DateTo = None,
    bot_id: uuid.UUID | None = None,
) -> AnalyticsSummary:
    """Counts between `from` (default: 30 days before `to`) and `to` (default: now);
    dashboard previews are not counted."""
    return await service.summary(session, context, start=aware(from_), end=aware(to), bot_id=bot_id)
