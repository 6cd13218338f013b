"""THE BASELINE of the analytics bench: the raw-SQL analytics as they were before rollups
(dashboard_api/analytics/repository.py at commit e290176), kept here as SQL text so the
bench can still time them after the repository reads rollups. Each call runs the same
statements, with the same parameters, as that repository did for the same endpoint, on
the application role in a tenant transaction: no HTTP, no pydantic, only the statements.

Never used by the product; the ratio in the bench's table is this / the served call."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_REAL = "(c.visitor_id IS NULL OR NOT (c.visitor_id IS NOT NULL AND c.visitor_id LIKE :preview))"
_MESSAGE_COUNTS = """
count(*) FILTER (WHERE m.role = 'user'),
count(*) FILTER (WHERE m.role = 'assistant'),
count(*) FILTER (WHERE m.role = 'assistant' AND m.status = 'ok'),
count(*) FILTER (WHERE m.role = 'assistant' AND m.status = 'no_answer'),
count(*) FILTER (WHERE m.role = 'assistant' AND m.status = 'error')"""

# The summary's four statements; the daily series adds `{day}` as a column and groups by it.
_COUNTS = {
    "conversations": f"""
        SELECT {{day}} count(*) FROM conversations c
        WHERE c.tenant_id = :tenant_id AND c.created_at >= :start AND c.created_at < :end
          AND {_REAL} {{bot}} {{group}}""",
    "messages": f"""
        SELECT {{day}} {_MESSAGE_COUNTS}
        FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.tenant_id = :tenant_id AND m.created_at >= :start AND m.created_at < :end
          AND {_REAL} {{bot}} {{group}}""",
    "ratings": f"""
        SELECT {{day}} count(*) FILTER (WHERE f.rating = 'up'),
               count(*) FILTER (WHERE f.rating = 'down')
        FROM feedback f JOIN messages m ON m.id = f.message_id
        JOIN conversations c ON c.id = m.conversation_id
        WHERE f.tenant_id = :tenant_id AND f.created_at >= :start AND f.created_at < :end
          AND {_REAL} {{bot}} {{group}}""",
    "clicks": """
        SELECT {day} count(*) FROM widget_events e
        WHERE e.tenant_id = :tenant_id AND e.type = 'product_click'
          AND e.created_at >= :start AND e.created_at < :end {bot} {group}""",
}
_DAY_COLUMN = {"conversations": "c", "messages": "m", "ratings": "f", "clicks": "e"}

_TOP_QUESTIONS = """
WITH ordered AS (
    SELECT m.role, m.content, m.created_at,
           lead(m.role) OVER turn AS reply_role,
           lead(m.status) OVER turn AS reply_status
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    WHERE m.tenant_id = :tenant_id AND m.created_at >= :start
      AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE :preview) {bot}
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

_TOP_PRODUCTS = """
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
      AND (c.visitor_id IS NULL OR c.visitor_id NOT LIKE :preview) {bot}
      AND jsonb_typeof(card) = 'object'
      AND card->>'product_id' ~* '^[0-9a-f]{{8}}-([0-9a-f]{{4}}-){{3}}[0-9a-f]{{12}}$'
    GROUP BY 1
), clicked AS (
    SELECT e.product_id::text AS product_id, count(*) AS clicks
    FROM widget_events e
    WHERE e.tenant_id = :tenant_id AND e.type = 'product_click' AND e.product_id IS NOT NULL
      AND e.created_at >= :start AND e.created_at < :end {event_bot}
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


def _counts(per_day: bool, bot: bool) -> list[str]:
    statements = []
    for name, sql in _COUNTS.items():
        alias = _DAY_COLUMN[name]
        day = f"date(timezone(:zone, {alias}.created_at))" if per_day else ""
        statements.append(
            sql.format(
                day=f"{day}," if per_day else "",
                group=f"GROUP BY {day}" if per_day else "",
                bot=(f"AND {'e' if name == 'clicks' else 'c'}.bot_id = :bot_id" if bot else ""),
            )
        )
    return statements


def statements(call: str, bot: bool) -> list[str] | None:
    """The statements today's repository ran for `call` (an endpoint's last path segment),
    or None when the call had no raw-SQL version (it is new with issue 16)."""
    if call in ("summary", "daily"):
        return _counts(per_day=call == "daily", bot=bot)
    if call == "top-questions":
        return [_TOP_QUESTIONS.format(bot="AND c.bot_id = :bot_id" if bot else "")]
    if call == "top-products":
        bot_filters = {"bot": "", "event_bot": ""}
        if bot:
            bot_filters = {"bot": "AND c.bot_id = :bot_id", "event_bot": "AND e.bot_id = :bot_id"}
        return [_TOP_PRODUCTS.format(**bot_filters)]
    return None


async def run(
    connection: AsyncConnection, sql: list[str], tenant_id: Any, parameters: dict[str, Any]
) -> int:
    """Runs the statements in one tenant transaction, as the request's session did; returns
    the rows they read back (so a result is consumed, never just planned)."""
    rows = 0
    async with connection.begin():
        await connection.execute(
            text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
        )
        for statement in sql:
            rows += len((await connection.execute(text(statement), parameters)).all())
    return rows
