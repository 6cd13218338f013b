"""Reads of the analytics rollups (core/models/analytics.py, kept by alembic 0007's
triggers): quarter hours added up per hour (hourly series) or over the window (the
summary), business days for daily series, product days for the top products. Previews were
left out when counting."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import RowMapping, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models.analytics import (
    ROLLUP_COUNTERS,
    ROLLUP_TOKENS,
    AnalyticsDay,
)
from dashboard_api.analytics.days import DayRange, whole_months


def _numbers(model: type[AnalyticsDay]) -> list[Any]:
    return [
        model.model,
        *(getattr(model, name) for name in (*ROLLUP_COUNTERS, *ROLLUP_TOKENS)),
        model.latency_bins,
    ]


# An hourly series adds each local hour's quarter hours up in the database: the rows that
# reach Python are one per hour and model (counts, tokens) and one merged histogram per hour,
# not every quarter hour of every bot with its histogram (a busy week was ~2,700 rows and
# their jsonb, decoded and merged in Python: ~400 ms). `width_bucket` over the hours' start
# instants (ascending even across a DST change) names the hour a quarter hour falls in.
_HOURLY_COUNTS_SQL = """
SELECT width_bucket(bucket_start, CAST(:starts AS timestamptz[])) AS slot, model, {sums}
FROM analytics_quarter_hours
WHERE tenant_id = :tenant_id AND bucket_start >= :start AND bucket_start < :end {bot_filter}
GROUP BY 1, 2
"""
_HOURLY_LATENCY_SQL = """
SELECT slot, jsonb_object_agg(bin, answers) AS latency_bins
FROM (
    SELECT width_bucket(q.bucket_start, CAST(:starts AS timestamptz[])) AS slot,
           bin.key AS bin, sum(bin.value::bigint) AS answers
    FROM analytics_quarter_hours q CROSS JOIN LATERAL jsonb_each_text(q.latency_bins) AS bin
    WHERE q.tenant_id = :tenant_id AND q.bucket_start >= :start AND q.bucket_start < :end
          {bot_filter}
    GROUP BY 1, 2
) AS per_bin
GROUP BY slot
"""


async def hours(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    starts: Sequence[datetime],
    end: datetime,
    bot_id: uuid.UUID | None,
) -> tuple[Sequence[RowMapping], dict[int, dict[str, int]]]:
    """The quarter hours in [starts[0], end) added up per hour (`starts`: each hour's start,
    ascending): rows of (slot, model, counters, tokens), slot 1 being the first hour, and
    each slot's merged latency histogram."""
    sums = ", ".join(
        f"coalesce(sum({name}), 0) AS {name}" for name in (*ROLLUP_COUNTERS, *ROLLUP_TOKENS)
    )
    bot_filter = "AND bot_id = :bot_id" if bot_id is not None else ""
    parameters: dict[str, Any] = {
        "tenant_id": tenant_id,
        "starts": list(starts),
        "start": starts[0],
        "end": end,
    }
    if bot_id is not None:
        parameters["bot_id"] = bot_id
    counts = await session.execute(
        text(_HOURLY_COUNTS_SQL.format(sums=sums, bot_filter=bot_filter)), parameters
    )
    latency = await session.execute(
        text(_HOURLY_LATENCY_SQL.format(bot_filter=bot_filter.replace("bot_id", "q.bot_id", 1))),
        parameters,
    )
    return counts.mappings().all(), {row.slot: row.latency_bins for row in latency}


async def days(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    first: date,
    end: date,
    bot_id: uuid.UUID | None,
) -> Sequence[RowMapping]:
    """Every business-day row in [first, end), one per bot and model."""
    table = AnalyticsDay
    statement = select(table.day, *_numbers(table)).where(
        table.tenant_id == tenant_id, table.day >= first, table.day < end
    )
    if bot_id is not None:
        statement = statement.where(table.bot_id == bot_id)
    return (await session.execute(statement)).mappings().all()


# The summary's counts: the window's whole business days from the day rollup (a year is
# ~365 rows per bot and model), its edges from the quarter hours (a year of quarter hours
# was ~35,000 rows per bot and model to add up: ~190 ms on the bench's busy store).
_WINDOW_COUNTS_SQL = """
SELECT {sums} FROM (
    SELECT {columns} FROM analytics_quarter_hours
    WHERE tenant_id = :tenant_id {bot_filter}
      AND ((bucket_start >= :start AND bucket_start < :days_start)
           OR (bucket_start >= :days_end AND bucket_start < :end))
    UNION ALL
    SELECT {columns} FROM analytics_days
    WHERE tenant_id = :tenant_id {bot_filter} AND day >= :first_day AND day < :end_day
) AS counted
"""


async def counts(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    start: datetime,
    end: datetime,
    days: DayRange | None,
    bot_id: uuid.UUID | None,
) -> dict[str, int]:
    """The counters of the quarter hours starting in [start, end); `days`: the whole
    business days within it (`days.inner_days`), read from the day rollup instead."""
    parameters: dict[str, Any] = {
        "tenant_id": tenant_id,
        "start": start,
        "end": end,
        "days_start": days.start_at if days else end,
        "days_end": days.end_at if days else end,
        "first_day": days.first if days else date.min,
        "end_day": days.end if days else date.min,
    }
    bot_filter = ""
    if bot_id is not None:
        bot_filter, parameters["bot_id"] = "AND bot_id = :bot_id", bot_id
    statement = _WINDOW_COUNTS_SQL.format(
        sums=", ".join(f"coalesce(sum({name}), 0) AS {name}" for name in ROLLUP_COUNTERS),
        columns=", ".join(ROLLUP_COUNTERS),
        bot_filter=bot_filter,
    )
    row = (await session.execute(text(statement), parameters)).one()
    return {name: int(value) for name, value in zip(ROLLUP_COUNTERS, row, strict=True)}


# The window's most shown products: its whole months from the month rollup, the days of its
# partial months from the day rollup. The name and link are the catalogue's, else those of
# the newest card in the window (looked up for the listed products only).
_TOP_PRODUCTS_SQL = """
WITH counted AS (
    SELECT product_id, sum(shown) AS shown, sum(clicks) AS clicks,
           sum(added_to_cart) AS added_to_cart
    FROM (
        SELECT product_id, shown, clicks, added_to_cart FROM analytics_product_months
        WHERE tenant_id = :tenant_id AND month >= :months_first AND month < :months_end
              {bot_filter}
        UNION ALL
        SELECT product_id, shown, clicks, added_to_cart FROM analytics_product_days
        WHERE tenant_id = :tenant_id AND day >= :first AND day < :months_first {bot_filter}
        UNION ALL
        SELECT product_id, shown, clicks, added_to_cart FROM analytics_product_days
        WHERE tenant_id = :tenant_id AND day >= :months_end AND day < :end {bot_filter}
    ) AS counts
    GROUP BY product_id
    ORDER BY shown DESC, clicks DESC, added_to_cart DESC, product_id
    LIMIT :limit
)
SELECT c.product_id, c.shown, c.clicks, c.added_to_cart,
       coalesce(p.name, card.title) AS name,
       coalesce(p.permalink, card.url) AS permalink
FROM counted c
LEFT JOIN products p ON p.tenant_id = :tenant_id AND p.id = c.product_id
LEFT JOIN LATERAL (
    SELECT d.title, d.url FROM analytics_product_days d
    WHERE p.id IS NULL AND d.tenant_id = :tenant_id AND d.product_id = c.product_id
      AND d.day >= :first AND d.day < :end AND d.shown > 0 {card_bot_filter}
    ORDER BY d.day DESC
    LIMIT 1
) AS card ON true
ORDER BY c.shown DESC, c.clicks DESC, c.added_to_cart DESC, c.product_id
"""


async def top_products(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    first: date,
    end: date,
    bot_id: uuid.UUID | None,
    limit: int,
) -> list[dict[str, Any]]:
    filters = {"bot_filter": "", "card_bot_filter": ""}
    months_first, months_end = whole_months(first, end)
    parameters: dict[str, Any] = {
        "tenant_id": tenant_id,
        "first": first,
        "end": end,
        "months_first": months_first,
        "months_end": months_end,
        "limit": limit,
    }
    if bot_id is not None:
        filters = {
            "bot_filter": "AND bot_id = :bot_id",
            "card_bot_filter": "AND d.bot_id = :bot_id",
        }
        parameters["bot_id"] = bot_id
    rows = await session.execute(text(_TOP_PRODUCTS_SQL.format(**filters)), parameters)
    return [dict(row._mapping) for row in rows]
