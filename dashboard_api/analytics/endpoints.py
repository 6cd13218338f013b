"""`/v1/analytics/...`: the numbers a merchant checks first (`summary`), per calendar day
(`daily`), per local day or hour with latency, tokens and cost (`series`), and what
shoppers look at most (`top-products`); what they ask most is in analytics.questions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from dashboard_api.analytics import series as series_service
from dashboard_api.analytics import service
from dashboard_api.analytics.schemas import (
    AnalyticsDaily,
    AnalyticsSeries,
    AnalyticsSummary,
    TopProducts,
)
from dashboard_api.auth.context import MerchantRead, TenantSession
from dashboard_api.filters import DateFrom, DateTo, aware

router = APIRouter(prefix="/analytics", tags=["analytics"])

FirstDay = Annotated[
    date | None,
    Query(
        alias="from",
        description="First day (inclusive), in the business's time zone; default: 30 days "
        "before `to`",
    ),
]
EndDay = Annotated[
    date | None,
    Query(
        description="Day after the last (exclusive), in the business's time zone; default: "
        "tomorrow (so today is the last day). At most 366 days after `from`.",
    ),
]
Limit = Annotated[int, Query(ge=1, le=100, description="How many to list")]


@router.get("/summary", operation_id="analytics_summary", response_model_by_alias=True)
async def summary(
    context: MerchantRead,
    session: TenantSession,
    from_: DateFrom = None,
    to: DateTo = None,
    bot_id: uuid.UUID | None = None,
) -> AnalyticsSummary:
    """Counts between `from` (default: 30 days before `to`) and `to` (default: now), in
    whole quarter hours (`from` rounded down, `to` up; the response has the bounds
    counted); dashboard previews are not counted."""
    return await service.summary(session, context, start=aware(from_), end=aware(to), bot_id=bot_id)


@router.get("/daily", operation_id="analytics_daily", response_model_by_alias=True)
async def daily(
    context: MerchantRead,
    session: TenantSession,
    from_: FirstDay = None,
    to: EndDay = None,
    bot_id: uuid.UUID | None = None,
) -> AnalyticsDaily:
    """The summary's counts per calendar day in the business's time zone, one row per day
    of the window (days without activity are zeros), so a window's days add up to its
    summary. 422 when `to` is not after `from` or the window is over 366 days."""
    return await service.daily(session, context, first=from_, end=to, bot_id=bot_id)


@router.get("/timeseries", operation_id="analytics_timeseries", response_model_by_alias=True)
async def series(
    context: MerchantRead,
    session: TenantSession,
    from_: FirstDay = None,
    to: EndDay = None,
    bot_id: uuid.UUID | None = None,
    interval: Annotated[
        series_service.Interval | None,
        Query(
            description="`day`, or `hour` for windows of at most 7 days (422 beyond); "
            "default: `hour` for windows of 1 or 2 days, else `day`"
        ),
    ] = None,
) -> AnalyticsSeries:
    """Per local day or hour of the window in the business's time zone: conversations,
    shopper messages, answered / unanswered / errors, thumbs, product clicks and adds to
    cart, median and p95 answer latency, tokens and cost; every day or hour is listed
    (zeros when quiet). A local day over a DST change has 23 or 25 hours. Dashboard
    previews are not counted. 422 when `to` is not after `from` or the window is over 366
    days."""
    return await series_service.series(
        session, context, first=from_, end=to, bot_id=bot_id, interval=interval
    )


@router.get("/top-products", operation_id="analytics_top_products", response_model_by_alias=True)
async def top_products(
    context: MerchantRead,
    session: TenantSession,
    from_: FirstDay = None,
    to: EndDay = None,
    bot_id: uuid.UUID | None = None,
    limit: Limit = 10,
) -> TopProducts:
    """The products answers showed most (their cards), with clicks on those cards and adds
    to cart from them, the catalogue's name and link when the product is still known."""
    return await service.top_products(
        session, context, first=from_, end=to, bot_id=bot_id, limit=limit
    )
