"""Analytics in the request's unit of work: the summary (the window's defaults and checks,
the counts, the answer rate), the per-day counts and the top lists (windows of calendar
days in the business's time zone, analytics.days). Counts and products read the rollups
(analytics.rollups); the series is analytics.series."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ValidationFailed
from dashboard_api.analytics import repository, rollups
from dashboard_api.analytics.days import inner_days, whole_quarter_hours
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
    """The counts of the whole quarter hours around [start, end): the rollups count per
    quarter hour, so `from` is rounded down and `to` up, and the response says so."""
    end = end or datetime.now(UTC)
    try:
        start = start or end - DEFAULT_WINDOW
    except OverflowError:
        raise ValidationFailed("from: out of range") from None
    if start > end:
        raise ValidationFailed("from must not be after to")
    start, end = whole_quarter_hours(start, end)
    zone = await repository.business_timezone(session, context.tenant_id)
    counts = await rollups.counts(
        session,
        context.tenant_id,
        start=start,
        end=end,
        days=inner_days(start, end, zone),
        bot_id=bot_id,
    )
    decided = counts["answered"] + counts["unanswered"]
    return AnalyticsSummary(
        from_=start,
        to=end,
        bot_id=bot_id,
        conversations=counts["conversations"],
        messages=counts["messages"],
        answers=counts["answers"],
        answered=counts["answered"],
        no_answer=counts["unanswered"],
        errors=counts["errors"],
        answer_rate=round(counts["answered"] / decided, 4) if decided else None,
        thumbs_up=counts["thumbs_up"],
        thumbs_down=counts["thumbs_down"],
        product_clicks=counts["product_clicks"],
        added_to_cart=counts["added_to_cart"],
    )


# The daily counts by their API names, from the rollup's (`no_answer` is `unanswered`).
DAILY_FIELDS = {
    "conversations": "conversations",
    "messages": "messages",
    "answered": "answered",
    "no_answer": "unanswered",
    "thumbs_up": "thumbs_up",
    "thumbs_down": "thumbs_down",
}


async def daily(
    session: AsyncSession,
    context: MerchantContext,
    *,
    first: date | None,
    end: date | None,
    bot_id: uuid.UUID | None,
) -> AnalyticsDaily:
    window = await repository.business_days(session, context.tenant_id, first, end)
    rows = await rollups.days(
        session, context.tenant_id, first=window.first, end=window.end, bot_id=bot_id
    )
    counted = {day: dict.fromkeys(DAILY_FIELDS, 0) for day in window.days()}
    for row in rows:
        counts = counted[row["day"]]
        for name, column in DAILY_FIELDS.items():
            counts[name] += row[column]
    days = [DailyCounts(date=day, **counts) for day, counts in counted.items()]
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
    window = await repository.business_days(session, context.tenant_id, first, end)
    rows = await rollups.top_products(
        session,
        context.tenant_id,
        first=window.first,
        end=window.end,
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
