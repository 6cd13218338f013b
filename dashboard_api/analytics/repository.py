"""The analytics reads that still scan raw rows: the business's time zone and the top
questions. Dashboard previews (visitor `preview:...`) are left out. The counts, series and
top products read the rollups (analytics.rollups)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Tenant
from dashboard_api.conversations.repository import PREVIEW_PATTERN


async def business_timezone(session: AsyncSession, tenant_id: TenantId) -> str:
    zone = await session.scalar(select(Tenant.timezone).where(Tenant.id == tenant_id))
    return zone or "UTC"


# A shopper question as it is counted: lower-cased, runs of spaces and punctuation collapsed
# to one space, trimmed. Each question's reply is the conversation's next message.
_TOP_QUESTIONS_SQL = """
WITH ordered AS (
    SELECT m.role, m.content, m.created_at,
           lead(m.role) OVER turn AS reply_role,
           lead(m.status) OVER turn AS reply_status
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    WHERE m.tenant_id = :tenant_id AND m.created_at >= :start
      AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE :preview) {bot_filter}
    WINDOW turn AS (PARTITION BY m.conversation_id ORDER BY m.created_at, m.id)
), asked AS (
    SELECT content, created_at,
           btrim(regexp_replace(lower(content), '[[:space:][:punct:]]+', ' ', 'g')) AS question,
           reply_role = 'assistant' AND reply_status = 'ok' AS answered
    FROM ordered
    WHERE role = 'user' AND created_at < :end
)
SELECT question,
       count(*) AS asked,
       (array_agg(content ORDER BY created_at DESC))[1] AS example,
       count(*) FILTER (WHERE answered) AS answered
FROM asked
WHERE question <> ''
GROUP BY question
ORDER BY asked DESC, question
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


async def top_questions(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    start: datetime,
    end: datetime,
    bot_id: uuid.UUID | None,
    limit: int,
) -> list[dict[str, Any]]:
    bot_filter = "" if bot_id is None else "AND c.bot_id = :bot_id"
    statement = text(_TOP_QUESTIONS_SQL.format(bot_filter=bot_filter))
    rows = await session.execute(
        statement, _window_parameters(tenant_id, start, end, bot_id, limit)
    )
    return [dict(row._mapping) for row in rows]
