"""`/v1/analytics/summary`: the numbers a merchant checks first."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter

from core.errors import ValidationFailed
from dashboard_api.analytics import repository
from dashboard_api.analytics.schemas import AnalyticsSummary
from dashboard_api.auth.context import MerchantRead, TenantSession
from dashboard_api.filters import DateFrom, DateTo, aware

router = APIRouter(prefix="/analytics", tags=["analytics"])
DEFAULT_WINDOW = timedelta(days=30)


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
    end = aware(to) or datetime.now(UTC)
    try:
        start = aware(from_) or end - DEFAULT_WINDOW
    except OverflowError:
        raise ValidationFailed("from: out of range") from None
    if start > end:
        raise ValidationFailed("from must not be after to")
    counts = await repository.summary(
        session, context.tenant_id, start=start, end=end, bot_id=bot_id
    )
    decided = counts["answered"] + counts["no_answer"]
    return AnalyticsSummary(
        from_=start,
        to=end,
        bot_id=bot_id,
        answer_rate=round(counts["answered"] / decided, 4) if decided else None,
        **counts,
    )
