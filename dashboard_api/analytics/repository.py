"""Aggregates for the analytics summary, its per-day series and the top lists. Dashboard
previews (visitor `preview:...`) are left out everywhere.

The summary and the daily series are the same four statements (conversations, messages,
ratings, product clicks); the series adds the business's calendar day as a column and groups
by it, so the days of a window always add up to the summary of that window."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, not_, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from core.ids import TenantId
from core.models import Conversation, Feedback, Message, Tenant, WidgetEvent
from dashboard_api.conversations.repository import PREVIEW_PATTERN, is_preview

PRODUCT_CLICK = "product_click"
# The message counts, by the name the API reports them under.
MESSAGE_COUNTS: dict[str, ColumnElement[int]] = {
    "messages": func.count().filter(Message.role == "user"),
    "answers": func.count().filter(Message.role == "assistant"),
    "answered": func.count().filter(Message.role == "assistant", Message.status == "ok"),
    "no_answer": func.count().filter(Message.role == "assistant", Message.status == "no_answer"),
    "errors": func.count().filter(Message.role == "assistant", Message.status == "error"),
}
RATING_COUNTS: dict[str, ColumnElement[int]] = {
    "thumbs_up": func.count().filter(Feedback.rating == "up"),
    "thumbs_down": func.count().filter(Feedback.rating == "down"),
}


def _real(statement: Any) -> Any:
    return statement.where(or_(Conversation.visitor_id.is_(None), not_(is_preview())))


def local_day(column: Any, timezone: str) -> ColumnElement[date]:
    """The calendar day of a timestamp in `timezone` (an IANA name)."""
    return func.date(func.timezone(timezone, column))


def _conversations(
    tenant_id: TenantId, start: datetime, end: datetime, bot_id: uuid.UUID | None, *columns: Any
) -> Select[Any]:
    statement = _real(
        select(*columns)
        .select_from(Conversation)
        .where(
            Conversation.tenant_id == tenant_id,
            Conversation.created_at >= start,
            Conversation.created_at < end,
        )
    )
    return statement if bot_id is None else statement.where(Conversation.bot_id == bot_id)


def _messages(
    tenant_id: TenantId, start: datetime, end: datetime, bot_id: uuid.UUID | None, *columns: Any
) -> Select[Any]:
    statement = _real(
        select(*columns)
        .select_from(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.tenant_id == tenant_id, Message.created_at >= start, Message.created_at < end
        )
    )
    return statement if bot_id is None else statement.where(Conversation.bot_id == bot_id)


def _ratings(
    tenant_id: TenantId, start: datetime, end: datetime, bot_id: uuid.UUID | None, *columns: Any
) -> Select[Any]:
    statement = _real(
        select(*columns)
        .select_from(Feedback)
        .join(Message, Message.id == Feedback.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Feedback.tenant_id == tenant_id, Feedback.created_at >= start, Feedback.created_at < end
        )
    )
    return statement if bot_id is None else statement.where(Conversation.bot_id == bot_id)


def _clicks(
    tenant_id: TenantId, start: datetime, end: datetime, bot_id: uuid.UUID | None, *columns: Any
) -> Select[Any]:
    statement = (
        select(*columns)
        .select_from(WidgetEvent)
        .where(
            WidgetEvent.tenant_id == tenant_id,
            WidgetEvent.type == PRODUCT_CLICK,
            WidgetEvent.created_at >= start,
            WidgetEvent.created_at < end,
        )
    )
    return statement if bot_id is None else statement.where(WidgetEvent.bot_id == bot_id)


async def summary(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    start: datetime,
    end: datetime,
    bot_id: uuid.UUID | None,
) -> dict[str, int]:
    window = (tenant_id, start, end, bot_id)
    messages = (await session.execute(_messages(*window, *MESSAGE_COUNTS.values()))).one()
    ratings = (await session.execute(_ratings(*window, *RATING_COUNTS.values()))).one()
    return {
        "conversations": int(await session.scalar(_conversations(*window, func.count())) or 0),
        **dict(zip(MESSAGE_COUNTS, messages, strict=True)),
        **dict(zip(RATING_COUNTS, ratings, strict=True)),
        "product_clicks": int(await session.scalar(_clicks(*window, func.count())) or 0),
    }


async def daily(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    start: datetime,
    end: datetime,
    bot_id: uuid.UUID | None,
    timezone: str,
) -> dict[date, dict[str, int]]:
    """The summary's counts per calendar day in `timezone`; days without activity are
    absent (the service fills them in)."""
    window = (tenant_id, start, end, bot_id)
    days: dict[date, dict[str, int]] = {}

    async def collect(build: Any, column: Any, counts: dict[str, Any]) -> None:
        day = local_day(column, timezone).label("day")
        rows = await session.execute(build(*window, day, *counts.values()).group_by(day))
        for row in rows:
            days.setdefault(row[0], {}).update(zip(counts, row[1:], strict=True))

    await collect(_conversations, Conversation.created_at, {"conversations": func.count()})
    await collect(_messages, Message.created_at, MESSAGE_COUNTS)
    await collect(_ratings, Feedback.created_at, RATING_COUNTS)
    await collect(_clicks, WidgetEvent.created_at, {"product_clicks": func.count()})
    return days


async def business_timezone(session: AsyncSession, tenant_id: TenantId) -> str:
    zone = await session.scalar(select(Tenant.timezone).where(Tenant.id == tenant_id))
    return zone or "UTC"


# Shown: the product cards stored with assistant messages (`messages.sources`, one per
# product an answer cites); clicks: `product_click` widget events. Name and link: the
# catalogue's current ones, else those of the newest card.
_TOP_PRODUCTS_SQL = """
WITH shown AS (
    SELECT lower(card->>'product_id') AS product_id,
           count(*) AS shown,
           (array_agg(card->>'title' ORDER BY m.created_at DESC))[1] AS title,
           (array_agg(card->>'url' ORDER BY m.created_at DESC))[1] AS url
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE WHEN jsonb_typeof(m.sources) = 'array' THEN m.sources ELSE '[]'::jsonb END
    ) AS card
    WHERE m.tenant_id = :tenant_id AND m.role = 'assistant'
      AND m.created_at >= :start AND m.created_at < :end
      AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE :preview) {bot_filter}
      AND jsonb_typeof(card) = 'object'
      AND card->>'product_id' ~* '^[0-9a-f]{{8}}-([0-9a-f]{{4}}-){{3}}[0-9a-f]{{12}}$'
    GROUP BY 1
), clicked AS (
    SELECT e.product_id::text AS product_id, count(*) AS clicks
    FROM widget_events e
    WHERE e.tenant_id = :tenant_id AND e.type = :click AND e.product_id IS NOT NULL
      AND e.created_at >= :start AND e.created_at < :end {event_bot_filter}
    GROUP BY 1
)
SELECT coalesce(s.product_id, k.product_id) AS product_id,
       coalesce(s.shown, 0) AS shown,
       coalesce(k.clicks, 0) AS clicks,
       coalesce(p.name, s.title) AS name,
       coalesce(p.permalink, s.url) AS permalink
FROM shown s
FULL OUTER JOIN clicked k ON k.product_id = s.product_id
LEFT JOIN products p
       ON p.tenant_id = :tenant_id AND p.id::text = coalesce(s.product_id, k.product_id)
ORDER BY shown DESC, clicks DESC, product_id
LIMIT :limit
"""


def _window_parameters(
    tenant_id: TenantId, start: datetime, end: datetime, bot_id: uuid.UUID | None, limit: int
) -> dict[str, Any]:
    parameters: dict[str, Any] = {
        "tenant_id": tenant_id,
        "start": start,
        "end": end,
        "preview": PREVIEW_PATTERN,
        "limit": limit,
    }
    if bot_id is not None:
        parameters["bot_id"] = bot_id
    return parameters


async def top_products(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    start: datetime,
    end: datetime,
    bot_id: uuid.UUID | None,
    limit: int,
) -> list[dict[str, Any]]:
    filters = {"bot_filter": "", "event_bot_filter": ""}
    if bot_id is not None:
        filters = {
            "bot_filter": "AND c.bot_id = :bot_id",
            "event_bot_filter": "AND e.bot_id = :bot_id",
        }
    statement = text(_TOP_PRODUCTS_SQL.format(**filters))
    parameters = {
        **_window_parameters(tenant_id, start, end, bot_id, limit),
        "click": PRODUCT_CLICK,
    }
    rows = await session.execute(statement, parameters)
    return [dict(row._mapping) for row in rows]
