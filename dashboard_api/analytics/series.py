"""`/v1/analytics/timeseries`: the numbers per local day or hour of a window in the business's
time zone, from the rollups. Days read the business-day rollup (one row per day, bot and
model); hours are the quarter hours added up per local hour in the database."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ValidationFailed
from dashboard_api.analytics import histogram, repository, rollups
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


def _by_hour(
    starts: Sequence[datetime],
    rows: Sequence[RowMapping],
    latency: Mapping[int, Mapping[str, int]],
) -> list[tuple[datetime, Tally]]:
    tallies = [Tally() for _ in starts]
    for row in rows:  # slot 1 is the first hour (width_bucket)
        tallies[row["slot"] - 1].add(row)
    for slot, bins in latency.items():
        histogram.merge(tallies[slot - 1].latency_bins, bins)
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
        starts = hour_starts(window)
        rows, latency = await rollups.hours(
            session,
            context.tenant_id,
            # Compared as instants: two local times of one zone compare by wall clock.
            starts=[start.astimezone(UTC) for start in starts],
            end=window.end_at,
            bot_id=bot_id,
        )
        points = _by_hour(starts, rows, latency)
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
