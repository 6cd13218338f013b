"""Retention: a tenant's conversations older than its `retention_days` are purged, with
their messages, feedback and widget events, in short batches.

"Older than" is exact: a conversation goes when its last activity (`last_message_at`) is
strictly before the cut-off, `now - retention_days * 24 h` (a fixed number of hours, not
calendar days in the business's time zone); one exactly at the cut-off stays. The unit is
the conversation: an old message of a conversation that is still active stays with it, and
feedback given later on an answer of a purged conversation goes with it. Widget events go
with their conversation (or message); events that never had one go when they were created
before the cut-off. The cut-off is taken once per run, so every batch of a run agrees.

Batches: each is two transactions of the tenant's session (row-level security applies):
the first claims up to `batch_size` conversations and takes their questions out of the
question clusters (short: the cluster rows a shopper's question joins stay free), the
second deletes those conversations (oldest first, by the index on
(tenant_id, last_message_at)) with everything that hangs off them. The
conversations are locked `FOR UPDATE SKIP LOCKED`: one a shopper is writing to right now
(the answer service holds its row) is skipped, never waited for, and goes in the next run
if it is still old; a chat request that opens an old conversation at the moment a batch
holds it waits for that batch alone (milliseconds) and then finds it gone, a 404.

The anonymous analytics rollups are separate tables and are not touched. Each tenant's run
that deleted something leaves an audit-log entry with the counts and the cut-off (no
personal data). `purge_expired` is the hourly beat task's body (core.privacy.tasks);
`purge_tenant` is what a benchmark times.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.database import Database
from core.ids import TenantId
from core.models import AuditLogEntry, Tenant

log = logging.getLogger(__name__)

# 500 conversations (~3,000 messages) per batch: on a year of a busy store 2,000 ran past the
# 15 s statement timeout (bench.analytics), and a shorter batch holds its rows for less.
DEFAULT_BATCH_SIZE = 500
# After each batch the purge pauses this many times as long as the batch took: it takes at
# most half of the database's time, and shoppers' chat keeps its latency while a backlog
# (retention first set on a year of conversations) is worked off. On two cores a purge at
# full speed made chat p95 1.85x slower (bench.analytics, a year's backlog).
DEFAULT_PACE = 1.0
AUDIT_ACTION = "retention.purged"

_CLAIM_CONVERSATIONS = text("""
    SELECT c.id FROM conversations c
    WHERE c.tenant_id = :tenant_id AND c.last_message_at < :cutoff
    ORDER BY c.last_message_at
    LIMIT :batch_size
    FOR UPDATE SKIP LOCKED
""")

# The question clusters' bookkeeping for a whole batch in one pass, in its own short
# transaction before its messages go: the counts alembic 0009's row trigger
# (`question_message_removed`) would take out one deleted question at a time (~20x slower on a
# year's backlog), and the batch's representatives cleared (their foreign key's SET NULL
# would otherwise lock the cluster rows while the messages are deleted). Committed apart, the
# cluster rows a shopper's question joins are locked for milliseconds, never through a
# batch's deletes: the chat's clustering waited on them up to its lock timeout (250 ms),
# and then dropped the question (bench.analytics: chat p95 290 ms during a purge).
_UNCLUSTER = text("""
    WITH gone AS (
        DELETE FROM question_assignments a
        USING messages m
        WHERE a.tenant_id = :tenant_id AND m.tenant_id = :tenant_id
          AND m.conversation_id = ANY(:ids) AND a.message_id = m.id
        RETURNING a.cluster_id, a.message_id, (a.asked_at AT TIME ZONE 'UTC')::date AS day,
                  a.answered
    ),
    days AS (
        UPDATE question_cluster_days d
           SET asked = d.asked - g.asked, answered = d.answered - g.answered
          FROM (SELECT cluster_id, day, count(*) AS asked,
                       count(*) FILTER (WHERE answered) AS answered
                FROM gone GROUP BY cluster_id, day) g
         WHERE d.tenant_id = :tenant_id AND d.cluster_id = g.cluster_id AND d.day = g.day
        RETURNING 1
    ),
    clusters AS (
        UPDATE question_clusters c
           SET members = c.members - g.n,
               representative_message_id = CASE
                   WHEN c.representative_message_id = ANY(g.messages) THEN NULL
                   ELSE c.representative_message_id END
          FROM (SELECT cluster_id, count(*) AS n, array_agg(message_id) AS messages
                FROM gone GROUP BY cluster_id) g
         WHERE c.tenant_id = :tenant_id AND c.id = g.cluster_id
        RETURNING c.id
    )
    SELECT coalesce(array_agg(id), '{}') AS clusters, (SELECT count(*) FROM days) AS days
    FROM clusters
""")
_DROP_EMPTIED = (
    text("""DELETE FROM question_cluster_days
            WHERE tenant_id = :tenant_id AND cluster_id = ANY(:clusters) AND asked <= 0"""),
    text("""DELETE FROM question_clusters
            WHERE tenant_id = :tenant_id AND id = ANY(:clusters) AND members <= 0"""),
)

_PURGE_CONVERSATIONS = text("""
    WITH doomed AS (
        SELECT c.id FROM conversations c
        WHERE c.tenant_id = :tenant_id AND c.id = ANY(:ids) AND c.last_message_at < :cutoff
        FOR UPDATE SKIP LOCKED
    ),
    doomed_messages AS (
        SELECT m.id FROM messages m
        WHERE m.tenant_id = :tenant_id AND m.conversation_id IN (SELECT id FROM doomed)
    ),
    gone_events AS (
        DELETE FROM widget_events e
        WHERE e.tenant_id = :tenant_id
          AND (e.conversation_id IN (SELECT id FROM doomed)
               OR e.message_id IN (SELECT id FROM doomed_messages))
        RETURNING 1
    ),
    gone_feedback AS (
        DELETE FROM feedback f
        WHERE f.tenant_id = :tenant_id AND f.message_id IN (SELECT id FROM doomed_messages)
        RETURNING 1
    ),
    gone_messages AS (
        DELETE FROM messages m
        WHERE m.tenant_id = :tenant_id AND m.id IN (SELECT id FROM doomed_messages)
        RETURNING 1
    ),
    gone_conversations AS (
        DELETE FROM conversations c
        WHERE c.tenant_id = :tenant_id AND c.id IN (SELECT id FROM doomed)
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM gone_conversations) AS conversations,
           (SELECT count(*) FROM gone_messages) AS messages,
           (SELECT count(*) FROM gone_feedback) AS feedback,
           (SELECT count(*) FROM gone_events) AS widget_events
""")

_PURGE_LONE_EVENTS = text("""
    WITH doomed AS (
        SELECT e.id FROM widget_events e
        WHERE e.tenant_id = :tenant_id AND e.created_at < :cutoff
          AND e.conversation_id IS NULL
        LIMIT :batch_size
        FOR UPDATE SKIP LOCKED
    )
    DELETE FROM widget_events e
    WHERE e.tenant_id = :tenant_id AND e.id IN (SELECT id FROM doomed)
""")


@dataclass(frozen=True, slots=True)
class PurgeCounts:
    conversations: int = 0
    messages: int = 0
    feedback: int = 0
    widget_events: int = 0

    def __add__(self, other: PurgeCounts) -> PurgeCounts:
        return PurgeCounts(
            self.conversations + other.conversations,
            self.messages + other.messages,
            self.feedback + other.feedback,
            self.widget_events + other.widget_events,
        )

    @property
    def rows(self) -> int:
        return self.conversations + self.messages + self.feedback + self.widget_events


@dataclass(frozen=True, slots=True)
class PurgeRun:
    """What a purge removed, how long it took and in how many transactions."""

    counts: PurgeCounts
    seconds: float
    batches: int
    tenants: int = 1

    @property
    def rows_per_second(self) -> float:
        return self.counts.rows / self.seconds if self.seconds > 0 else 0.0


def retention_cutoff(now: datetime, retention_days: int) -> datetime:
    """Conversations whose last activity is strictly before this are purged."""
    return now - timedelta(days=retention_days)


async def purge_tenant(
    db: Database,
    tenant_id: TenantId,
    *,
    retention_days: int | None = None,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    pace: float = DEFAULT_PACE,
) -> PurgeRun:
    """Purge one tenant's expired conversations and events, `batch_size` conversations per
    batch, pausing `pace` times each batch's duration after it. `retention_days`: None reads
    the tenant's setting (still None: nothing is purged). `now`: the run's clock (tests and
    benchmarks pin it)."""
    started = time.perf_counter()
    if retention_days is None:
        async with db.tenant_session(tenant_id) as session:
            retention_days = await session.scalar(
                select(Tenant.retention_days).where(Tenant.id == tenant_id)
            )
    if retention_days is None:
        return PurgeRun(PurgeCounts(), 0.0, 0)
    cutoff = retention_cutoff(now or datetime.now(UTC), retention_days)
    params: dict[str, Any] = {"tenant_id": tenant_id, "cutoff": cutoff, "batch_size": batch_size}
    counts, batches = PurgeCounts(), 0
    while True:
        batch_started = time.perf_counter()
        async with db.tenant_session(tenant_id) as session:
            ids = await _claim_and_uncluster(session, params)
        if not ids:
            break
        async with db.tenant_session(tenant_id) as session:
            row = await _purge_conversations(session, {**params, "ids": ids})
        batches += 1
        counts += row
        if len(ids) < batch_size:
            break
        await _pause(batch_started, pace)
    while True:
        batch_started = time.perf_counter()
        async with db.tenant_session(tenant_id) as session:
            deleted = _rowcount(await session.execute(_PURGE_LONE_EVENTS, params))
        batches += 1
        counts += PurgeCounts(widget_events=deleted)
        if deleted < batch_size:
            break
        await _pause(batch_started, pace)
    if counts.rows:
        async with db.tenant_session(tenant_id) as session:
            _audit(session, tenant_id, counts, retention_days, cutoff)
    return PurgeRun(counts, time.perf_counter() - started, batches)


async def _claim_and_uncluster(session: AsyncSession, params: dict[str, Any]) -> list[Any]:
    """The first, short transaction of a batch: up to a batch of expired conversations
    (skipping any a shopper holds), their questions taken out of the clusters."""
    ids = list((await session.scalars(_CLAIM_CONVERSATIONS, params)).all())
    if not ids:
        return ids
    clusters = (await session.execute(_UNCLUSTER, {**params, "ids": ids})).one().clusters
    if clusters:
        for statement in _DROP_EMPTIED:
            await session.execute(statement, {**params, "clusters": clusters})
    return ids


async def _purge_conversations(session: AsyncSession, params: dict[str, Any]) -> PurgeCounts:
    """The second transaction: the claimed conversations and their rows deleted, each
    re-checked and re-locked. One a shopper wrote to in between is no longer expired and
    stays (its older questions then count in no cluster: the one inexact corner, for a
    conversation that turned active in the milliseconds between the two)."""
    return PurgeCounts(*(await session.execute(_PURGE_CONVERSATIONS, params)).one())


async def _pause(batch_started: float, pace: float) -> None:
    if pace > 0:
        await asyncio.sleep(pace * (time.perf_counter() - batch_started))


def _rowcount(result: Any) -> int:
    return int(result.rowcount or 0)


def _audit(
    session: AsyncSession,
    tenant_id: TenantId,
    counts: PurgeCounts,
    retention_days: int,
    cutoff: datetime,
) -> None:
    # Counts and the cut-off only: which conversations went is exactly what must not be kept.
    details = {**asdict(counts), "retention_days": retention_days, "cutoff": cutoff.isoformat()}
    session.add(
        AuditLogEntry(
            tenant_id=tenant_id,
            action=AUDIT_ACTION,
            target_type="tenant",
            target_id=str(tenant_id),
            details=details,
        )
    )


async def tenants_with_retention(db: Database) -> list[tuple[TenantId, int]]:
    """Every tenant with a retention setting, via the SECURITY DEFINER lookup (the beat has
    no tenant; each purge then runs in the tenant's own session)."""
    async with db.system_session() as session:
        rows = (
            await session.execute(
                text("SELECT tenant_id, retention_days FROM app_tenants_with_retention()")
            )
        ).all()
    return [(TenantId(row.tenant_id), int(row.retention_days)) for row in rows]


async def purge_expired(
    db: Database,
    *,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    pace: float = DEFAULT_PACE,
) -> PurgeRun:
    """Every tenant with a retention setting, one after another, against one clock. One
    tenant's failure is logged and does not stop the others (the next run tries again)."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    counts, batches, tenants = PurgeCounts(), 0, 0
    for tenant_id, days in await tenants_with_retention(db):
        try:
            run = await purge_tenant(
                db, tenant_id, retention_days=days, now=now, batch_size=batch_size, pace=pace
            )
        except Exception:
            log.exception("retention purge failed for tenant %s", tenant_id)
            continue
        counts, batches, tenants = counts + run.counts, batches + run.batches, tenants + 1
    return PurgeRun(counts, time.perf_counter() - started, batches, tenants)
