"""The SQL of the top questions and the content gaps, over the clusters the answer service
keeps (engine.analytics.question_clusters).

A window is any two instants (midnights in the business's time zone). The whole UTC days
inside it are summed from `question_cluster_days` (one small row per cluster and day); the
less-than-a-day edges on either side are counted from `question_assignments`. So any time
zone (whole, half or quarter hours off UTC) counts exactly, and no question is read one by
one but on the edges. Only the clusters that can make the list are counted
(`ranked_clusters`): a year of a busy shop's long tail is never summed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import KnowledgeDocument

Ranking = Literal["asked", "unanswered"]
EXAMPLES = 3
# Examples are taken from a cluster's newest questions in the window, this many at most:
# a cluster asked ten thousand times still reads a handful of rows for them.
EXAMPLE_CANDIDATES = 50


@dataclass(frozen=True)
class CountWindow:
    days_from: date  # whole UTC days [days_from, days_to) from the day counts
    days_to: date
    edges: tuple[tuple[datetime, datetime], tuple[datetime, datetime]]  # counted one by one

    @classmethod
    def between(cls, start: datetime, end: datetime) -> CountWindow:
        first = start.astimezone(UTC).date()
        if datetime.combine(first, time(), UTC) < start:
            first += timedelta(days=1)
        last = end.astimezone(UTC).date()
        if first >= last:  # no whole UTC day inside: count every question
            return cls(first, first, ((start, end), (end, end)))
        day_start = datetime.combine(first, time(), UTC)
        day_end = datetime.combine(last, time(), UTC)
        return cls(first, last, ((start, day_start), (day_end, end)))


# The full scan's order; `_rank` below sorts candidates the same way (uuids compare alike).
_ORDER: dict[Ranking, str] = {
    "asked": "WHERE asked > 0 ORDER BY asked DESC, answered DESC, cluster_id",
    "unanswered": (
        "WHERE asked > answered "
        "ORDER BY asked - answered DESC, (asked - answered)::float / asked DESC, cluster_id"
    ),
}
_WINDOW_BOUNDS = """
    (asked_at >= :edge1_from AND asked_at < :edge1_to)
    OR (asked_at >= :edge2_from AND asked_at < :edge2_to)"""

# Every cluster of the window: its day rows read in one range of the (tenant_id, day) index.
_SCANNED = f"""
WITH counted AS (
    SELECT cluster_id, sum(asked) AS asked, sum(answered) AS answered
    FROM question_cluster_days
    WHERE tenant_id = :tenant_id AND day >= :days_from AND day < :days_to {{bot_filter}}
    GROUP BY cluster_id
    UNION ALL
    SELECT cluster_id, count(*), count(*) FILTER (WHERE answered)
    FROM question_assignments
    WHERE tenant_id = :tenant_id {{bot_filter}} AND ({_WINDOW_BOUNDS})
    GROUP BY cluster_id
), totals AS (
    SELECT cluster_id, sum(asked)::int AS asked, sum(answered)::int AS answered
    FROM counted GROUP BY cluster_id
)
SELECT cluster_id, asked, answered FROM totals {{order}} LIMIT :limit
"""

# Given clusters only: their day rows by the (cluster_id, day) key, and the edges' questions
# (at most two partial days of the tenant's) filtered to them.
_COUNTED = f"""
WITH days AS (
    SELECT cluster_id, sum(asked)::int AS asked, sum(answered)::int AS answered
    FROM question_cluster_days
    WHERE tenant_id = :tenant_id AND cluster_id = ANY(CAST(:cluster_ids AS uuid[]))
      AND day >= :days_from AND day < :days_to
    GROUP BY cluster_id
), edges AS (
    SELECT cluster_id, count(*)::int AS asked, (count(*) FILTER (WHERE answered))::int AS answered
    FROM question_assignments
    WHERE tenant_id = :tenant_id AND cluster_id = ANY(CAST(:cluster_ids AS uuid[]))
      AND ({_WINDOW_BOUNDS})
    GROUP BY cluster_id
)
SELECT k.cluster_id,
       coalesce(days.asked, 0) + coalesce(edges.asked, 0) AS asked,
       coalesce(days.answered, 0) + coalesce(edges.answered, 0) AS answered
FROM unnest(CAST(:cluster_ids AS uuid[])) AS k(cluster_id)
LEFT JOIN days USING (cluster_id)
LEFT JOIN edges USING (cluster_id)
"""

_BIGGEST = """
SELECT id FROM question_clusters WHERE tenant_id = :tenant_id {bot_filter}
ORDER BY members DESC LIMIT :probe
"""
_AT_LEAST = """
SELECT id FROM question_clusters WHERE tenant_id = :tenant_id {bot_filter} AND members >= :floor
ORDER BY members DESC LIMIT :cap
"""
# How many of the biggest clusters (by members, all time) are counted first to find the
# score the `limit`-th best must reach, and how many candidates that score may leave
# before a scan of the window's day rows is cheaper than reading each one by its keys
# (bench.question_clusters: a week's scan beats 1,700 candidates; a long window, whose
# scan is costly, leaves few: its floor is high).
PROBE_FACTOR = 5
MAX_CANDIDATES = 500


def _score(row: dict[str, Any], ranking: Ranking) -> int:
    return int(row["asked"] if ranking == "asked" else row["asked"] - row["answered"])


def _rank(rows: list[dict[str, Any]], ranking: Ranking, limit: int) -> list[dict[str, Any]]:
    if ranking == "asked":
        kept = [r for r in rows if r["asked"] > 0]
        kept.sort(key=lambda r: (-r["asked"], -r["answered"], r["cluster_id"]))
    else:
        kept = [r for r in rows if r["asked"] > r["answered"]]
        kept.sort(
            key=lambda r: (
                -(r["asked"] - r["answered"]),
                -(r["asked"] - r["answered"]) / r["asked"],
                r["cluster_id"],
            )
        )
    return kept[:limit]


async def ranked_clusters(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    start: datetime,
    end: datetime,
    bot_id: uuid.UUID | None,
    limit: int,
    ranking: Ranking,
) -> list[dict[str, Any]]:
    """`limit` clusters with their counts in the window, most asked (or most unanswered,
    then the larger unanswered share) first.

    A cluster's count in any window is at most its `members` (every question it holds, of
    all time), so once the biggest clusters' counts show the score the `limit`-th must
    reach, only clusters with at least that many members can be in the list: a year of a
    long tail of rare questions is never summed to rank the few that are asked most."""
    window = CountWindow.between(start, end)
    (edge1_from, edge1_to), (edge2_from, edge2_to) = window.edges
    parameters: dict[str, Any] = {
        "tenant_id": tenant_id,
        "days_from": window.days_from,
        "days_to": window.days_to,
        "edge1_from": edge1_from,
        "edge1_to": edge1_to,
        "edge2_from": edge2_from,
        "edge2_to": edge2_to,
        "limit": limit,
    }
    bot_filter = ""
    if bot_id is not None:
        bot_filter, parameters["bot_id"] = "AND bot_id = :bot_id", bot_id

    async def counted(sql: str, **extra: Any) -> list[dict[str, Any]]:
        ids = (
            await session.scalars(text(sql.format(bot_filter=bot_filter)), {**parameters, **extra})
        ).all()
        rows = await session.execute(text(_COUNTED), {**parameters, "cluster_ids": list(ids)})
        return [dict(row._mapping) for row in rows]

    probed = _rank(await counted(_BIGGEST, probe=limit * PROBE_FACTOR), ranking, limit)
    if len(probed) == limit:
        floor = _score(probed[-1], ranking)
        candidates = await counted(_AT_LEAST, floor=floor, cap=MAX_CANDIDATES + 1)
        if len(candidates) <= MAX_CANDIDATES:
            return _rank(candidates, ranking, limit)
    statement = _SCANNED.format(bot_filter=bot_filter, order=_ORDER[ranking])
    rows = await session.execute(text(statement), parameters)
    return [dict(row._mapping) for row in rows]


# The representative: the opening question, or the newest member once that one is gone.
_TEXTS = """
SELECT c.id AS cluster_id,
       coalesce(rep.content, (
           SELECT m.content FROM question_assignments a
           JOIN messages m ON m.id = a.message_id
           WHERE a.tenant_id = :tenant_id AND a.cluster_id = c.id
           ORDER BY a.asked_at DESC LIMIT 1
       )) AS representative,
       ARRAY(
           SELECT w.content FROM (
               SELECT m.content, max(recent.asked_at) AS latest
               FROM (
                   SELECT a.message_id, a.asked_at FROM question_assignments a
                   WHERE a.tenant_id = :tenant_id AND a.cluster_id = c.id
                     AND a.asked_at >= :start AND a.asked_at < :end
                   ORDER BY a.asked_at DESC LIMIT :candidates
               ) recent
               JOIN messages m ON m.id = recent.message_id
               WHERE m.id IS DISTINCT FROM c.representative_message_id
                 AND m.content IS DISTINCT FROM rep.content
               GROUP BY m.content
               ORDER BY latest DESC LIMIT :examples
           ) w ORDER BY w.latest DESC
       ) AS examples
FROM question_clusters c
LEFT JOIN messages rep ON rep.id = c.representative_message_id
WHERE c.tenant_id = :tenant_id AND c.id = ANY(:cluster_ids)
"""


async def cluster_texts(
    session: AsyncSession,
    tenant_id: TenantId,
    cluster_ids: list[uuid.UUID],
    *,
    start: datetime,
    end: datetime,
    examples: int = EXAMPLES,
) -> dict[uuid.UUID, tuple[str | None, list[str]]]:
    """Each cluster's representative question and up to `examples` other wordings asked in
    the window, newest first: read from the messages, so an erased question is gone."""
    if not cluster_ids:
        return {}
    rows = await session.execute(
        text(_TEXTS),
        {
            "tenant_id": tenant_id,
            "cluster_ids": cluster_ids,
            "start": start,
            "end": end,
            "candidates": EXAMPLE_CANDIDATES,
            "examples": examples,
        },
    )
    return {row.cluster_id: (row.representative, list(row.examples)) for row in rows}


async def cluster_bot(
    session: AsyncSession, tenant_id: TenantId, cluster_id: uuid.UUID
) -> uuid.UUID | None:
    """The bot a cluster of this tenant belongs to; None: no such cluster here."""
    found = await session.execute(
        text("SELECT bot_id FROM question_clusters WHERE tenant_id = :tenant_id AND id = :id"),
        {"tenant_id": tenant_id, "id": cluster_id},
    )
    row = found.one_or_none()
    return None if row is None else uuid.UUID(str(row.bot_id))


async def add_document(
    session: AsyncSession,
    tenant_id: TenantId,
    *,
    bot_id: uuid.UUID,
    title: str,
    body: str,
) -> uuid.UUID:
    """A knowledge document stored and not indexed (no chunks): the bots do not use it
    until the merchant's edit of its text indexes it."""
    document = KnowledgeDocument(
        tenant_id=tenant_id,
        bot_id=bot_id,
        title=title,
        kind="faq",
        content_type="text",
        body=body,
        content_hash="",
    )
    session.add(document)
    await session.flush()
    return document.id
