"""`/v1/analytics/timeseries`: the numbers per local day or hour of a window in the business's
time zone, from the rollups. Days read the business-day rollup (one row per day, bot and
model); hours read the quarter hours and add them up per local hour."""

from __future__ import annotations

import uuid
from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ValidationFailed
from dashboard_api.analytics import repository, rollups
from dashboard_api.analytics.days import DayRange, day_starts, hour_starts
from dashboard_api.analytics.schemas import AnalyticsSeries, SeriesPoint, SeriesTotals
from dashboard_api.analytics.tally import Tally
from dashboard_api.auth.context import MerchantContext

Interval = Literal["day", "hour"]
# Hourly points for windows of up to a week (168 points); a longer window is a 422.
MAX_HOURLY_DAYS = 7
# With no interval asked for: hours for one or two days (a day's 24 points tell more than
# one or two daily bars), days beyond.
DEFAULT_HOURLY_DAYS = 2


def choose_interval(window: DayRange, asked: Interval | None) -> Interval:
    days = (window.end - window.first).days
    if asked is None:
        return "hour" if days <= DEFAULT_HOURLY_DAYS else "day"
    if asked == "hour" and days > MAX_HOURLY_DAYS:
        raise ValidationFailed(f"interval=hour is for windows of at most {MAX_HOURLY_DAYS} days")
    return asked


def _by_day(window: DayRange, rows: Sequence[RowMapping]) -> list[tuple[datetime, Tally]]:
    starts = day_starts(window)
    tallies = {start.date(): Tally() for start in starts}
    for row in rows:
        tallies[row["day"]].add(row)
    return [(start, tallies[start.date()]) for start in starts]


def _by_hour(window: DayRange, rows: Sequence[RowMapping]) -> list[tuple[datetime, Tally]]:
    starts = hour_starts(window)
    # Compared as instants: two local times of one zone compare by wall clock, fold ignored.
    instants = [start.astimezone(UTC) for start in starts]
    tallies = [Tally() for _ in starts]
    for row in rows:
        # The local hour a quarter hour belongs to: the last one that starts at or before it.
        tallies[bisect_right(instants, row["bucket_start"]) - 1].add(row)
    return list(zip(starts, tallies, strict=True))


async def series(
    session: AsyncSession,
    context: MerchantContext,
    *,
    first: date | None,
    end: date | None,
    bot_id: uuid.UUID | None,
    interval: Interval | None,
) -> AnalyticsSeries:
    window = await repository.business_days(session, context.tenant_id, first, end)
    chosen = choose_interval(window, interval)
    if chosen == "day":
        rows = await rollups.days(
            session, context.tenant_id, first=window.first, end=window.end, bot_id=bot_id
        )
        points = _by_day(window, rows)
    else:
        rows = await rollups.quarter_hours(
            session, context.tenant_id, start=window.start_at, end=window.end_at, bot_id=bot_id
        )
        points = _by_hour(window, rows)
    totals = Tally()
    cost = 0
    listed = []
    for start, tally in points:
        numbers = tally.fields()
        cost += numbers["cost_micro_usd"]
        totals.absorb(tally)
        listed.append(SeriesPoint(start=start, **numbers))
    return AnalyticsSeries(
        interval=chosen,
        timezone=window.timezone,
        from_=window.first,
        to=window.end,
        bot_id=bot_id,
        points=listed,
        totals=SeriesTotals(**totals.fields(cost=cost)),
    )
