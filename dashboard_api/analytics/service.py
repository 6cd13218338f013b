"""Analytics in the request's unit of work: the summary (the window's defaults and checks,
the counts, the answer rate), the per-day series and the top lists (windows of calendar
days in the business's time zone, analytics.days)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ValidationFailed
from dashboard_api.analytics import repository
from dashboard_api.analytics.days import DayRange, day_range
from dashboard_api.analytics.schemas import (
    AnalyticsDaily,
    AnalyticsSummary,
    DailyCounts,
    TopProduct,
    TopProducts,
)
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


DAILY_FIELDS = ("conversations", "messages", "answered", "no_answer", "thumbs_up", "thumbs_down")


async def _window(
    session: AsyncSession, context: MerchantContext, first: date | None, end: date | None
) -> DayRange:
    timezone = await repository.business_timezone(session, context.tenant_id)
    return day_range(first, end, timezone)


async def daily(
    session: AsyncSession,
    context: MerchantContext,
    *,
    first: date | None,
    end: date | None,
    bot_id: uuid.UUID | None,
) -> AnalyticsDaily:
    window = await _window(session, context, first, end)
    counted = await repository.daily(
        session,
        context.tenant_id,
        start=window.start_at,
        end=window.end_at,
        bot_id=bot_id,
        timezone=window.timezone,
    )
    days = [
        DailyCounts(date=day, **{name: counted.get(day, {}).get(name, 0) for name in DAILY_FIELDS})
        for day in window.days()
    ]
    return AnalyticsDaily(
        from_=window.first, to=window.end, timezone=window.timezone, bot_id=bot_id, days=days
    )


async def top_products(
    session: AsyncSession,
    context: MerchantContext,
    *,
    first: date | None,
    end: date | None,
    bot_id: uuid.UUID | None,
    limit: int,
) -> TopProducts:
    window = await _window(session, context, first, end)
    rows = await repository.top_products(
        session,
        context.tenant_id,
        start=window.start_at,
        end=window.end_at,
        bot_id=bot_id,
        limit=limit,
    )
    return TopProducts(
        from_=window.first,
        to=window.end,
        timezone=window.timezone,
        bot_id=bot_id,
        products=[TopProduct.model_validate(row) for row in rows],
    )
