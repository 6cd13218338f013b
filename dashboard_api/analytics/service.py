"""The analytics summary in the request's unit of work: the window's defaults and checks,
the counts, and the answer rate."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ValidationFailed
from dashboard_api.analytics import repository
from dashboard_api.analytics.schemas import AnalyticsSummary
from dashboard_api.auth.context import MerchantContext

DEFAULT_WINDOW = timedelta(days=30)


async def summary(
    session: AsyncSession,
    context: MerchantContext,
    *,
    start: datetime | None,
    end: datetime | None,
    bot_id: uuid.UUID | None,
) -> AnalyticsSummary:
    end = end or datetime.now(UTC)
    try:
        start = start or end - DEFAULT_WINDOW
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
