#!/usr/bin/env python3
"""Retention bench: the purge's rows per second on a year of conversations, that it removes
exactly what is older than the cut-off, and what it does to a chat write meanwhile.

Setup: an embedded PostgreSQL (pgvector) in a temp dir, migrated; one tenant whose bot has
`--conversations` conversations spread evenly over the last 365 days (last activity), each
with 4 messages (2 questions, 2 answers), feedback on one answer in four and 2 widget
events, plus one event without a conversation per 5 conversations, written as the owner
with generate_series. The tenant's retention is then 30 days, and `purge_tenant` (the
hourly task's per-tenant body, under the application role and row-level security) runs
with the default batch of 2,000 conversations.

Measured: rows deleted per second (conversations + messages + feedback + events) and the
batches; exactness (rows older than the cut-off before = rows deleted; everything at or
after it still there); and the latency of a chat-like write (the answer service's shape:
a tenant transaction that locks a recent conversation, inserts a message and updates the
conversation) run back to back, p50/p95, while the purge runs against the same while idle.

Usage: .venv/bin/python -m bench.retention [--conversations 50000] [--batch 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.widget_setup import embedded_database

_GENERATE = """
WITH convs AS (
    INSERT INTO conversations (id, tenant_id, bot_id, visitor_id, last_message_at, created_at,
                               message_count)
    SELECT gen_random_uuid(), :tenant_id, :bot_id, 'v_' || g,
           :now - (g::float / :n) * interval '365 days',
           :now - (g::float / :n) * interval '365 days' - interval '10 minutes', 4
    FROM generate_series(1, :n) g
    RETURNING id, last_message_at
), msgs AS (
    INSERT INTO messages (id, tenant_id, conversation_id, role, content, created_at)
    SELECT gen_random_uuid(), :tenant_id, c.id,
           CASE WHEN k % 2 = 1 THEN 'user' ELSE 'assistant' END,
           'message text number ' || k, c.last_message_at - (4 - k) * interval '1 minute'
    FROM convs c CROSS JOIN generate_series(1, 4) k
    RETURNING id, content, created_at
), fb AS (
    -- One conversation in four (by a random byte of the id) rates its last answer.
    INSERT INTO feedback (id, tenant_id, message_id, rating, created_at)
    SELECT gen_random_uuid(), :tenant_id, m.id, 'up', m.created_at FROM msgs m
    WHERE m.content = 'message text number 4' AND get_byte(uuid_send(m.id), 0) < 64
    RETURNING 1
)
INSERT INTO widget_events (id, tenant_id, bot_id, conversation_id, type, created_at)
SELECT gen_random_uuid(), :tenant_id, :bot_id, c.id, 'product_click', c.last_message_at
FROM convs c CROSS JOIN generate_series(1, 2)
"""
_LONE_EVENTS = """
INSERT INTO widget_events (id, tenant_id, bot_id, type, created_at)
SELECT gen_random_uuid(), :tenant_id, :bot_id, 'open',
       :now - (g::float / :n) * interval '365 days'
FROM generate_series(1, :n) g
"""
_COUNTS = """
SELECT (SELECT count(*) FROM conversations WHERE tenant_id = :t AND last_message_at {op} :cut),
       (SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.tenant_id = :t AND c.last_message_at {op} :cut),
       (SELECT count(*) FROM feedback f JOIN messages m ON m.id = f.message_id
         JOIN conversations c ON c.id = m.conversation_id
         WHERE c.tenant_id = :t AND c.last_message_at {op} :cut),
       (SELECT count(*) FROM widget_events e LEFT JOIN conversations c ON c.id = e.conversation_id
         WHERE e.tenant_id = :t AND coalesce(c.last_message_at, e.created_at) {op} :cut)
"""


def _seed(owner_url: Any, tenant_id: Any, bot_id: Any, n: int, now: datetime) -> float:
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url)
    started = time.perf_counter()
    try:
        with engine.begin() as connection:
            connection.execute(
                text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
            )
            params = {"tenant_id": tenant_id, "bot_id": bot_id, "n": n, "now": now}
            connection.execute(text(_GENERATE), params)
            connection.execute(text(_LONE_EVENTS), {**params, "n": n // 5})
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    return time.perf_counter() - started


def _counts(owner_url: Any, tenant_id: Any, cutoff: datetime, op: str) -> tuple[int, ...]:
    from sqlalchemy import create_engine, text

    engine = create_engine(owner_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text(_COUNTS.format(op=op)), {"t": tenant_id, "cut": cutoff}
            ).one()
    finally:
        engine.dispose()
    return tuple(int(v) for v in row)


async def _chat_writes(db: Any, tenant: Any, stop: asyncio.Event, out: list[float]) -> None:
    """The answer path's write shape on a recent conversation, back to back until `stop`."""
    from sqlalchemy import select

    from core.ids import TenantId
    from core.models import Conversation
    from engine.conversation import add_message

    tenant_id = TenantId(tenant.tenant_id)
    async with db.tenant_session(tenant_id) as session:
        recent = await session.scalar(
            select(Conversation.id).order_by(Conversation.last_message_at.desc()).limit(1)
        )
    while not stop.is_set():
        started = time.perf_counter()
        async with db.tenant_session(tenant_id) as session:
            await session.execute(
                select(Conversation.id)
                .where(Conversation.id == recent)
                .with_for_update(key_share=True)
            )
            await add_message(
                session, tenant_id=tenant_id, conversation_id=recent, role="user", content="hi"
            )
        out.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.005)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _run(owner_url: Any, app_url: Any, n: int, batch: int) -> None:
    from sqlalchemy import update

    from core.db.database import Database
    from core.models import Tenant
    from core.privacy.retention import purge_tenant, retention_cutoff
    from core.provisioning import provision_tenant

    db = Database.connect(app_url, pool_size=4)
    now = datetime.now(UTC)
    try:
        tenant = await provision_tenant(db, name="Retention Bench", allowed_origins=[])
        seconds = _seed(owner_url, tenant.tenant_id, tenant.bot_id, n, now)
        async with db.tenant_session(tenant.tenant_id) as session:
            await session.execute(
                update(Tenant).where(Tenant.id == tenant.tenant_id).values(retention_days=30)
            )
        cutoff = retention_cutoff(now, 30)
        older = _counts(owner_url, tenant.tenant_id, cutoff, "<")
        kept = _counts(owner_url, tenant.tenant_id, cutoff, ">=")
        print(f"seeded {n} conversations ({sum(older) + sum(kept)} rows) in {seconds:.1f} s")

        idle: list[float] = []
        stop = asyncio.Event()
        writer = asyncio.create_task(_chat_writes(db, tenant, stop, idle))
        await asyncio.sleep(3)
        stop.set()
        await writer

        during: list[float] = []
        stop = asyncio.Event()
        writer = asyncio.create_task(_chat_writes(db, tenant, stop, during))
        run = await purge_tenant(db, tenant.tenant_id, now=now, batch_size=batch)
        stop.set()
        await writer

        c = run.counts
        deleted = (c.conversations, c.messages, c.feedback, c.widget_events)
        after_kept = _counts(owner_url, tenant.tenant_id, cutoff, ">=")
        left_old = _counts(owner_url, tenant.tenant_id, cutoff, "<")
        print(f"{'':28}{'conversations':>14}{'messages':>10}{'feedback':>10}{'events':>8}")
        for label, row in (
            ("older than cut-off, before", older),
            ("deleted", deleted),
            ("older than cut-off, after", left_old),
            ("at/after cut-off, before", kept),
            ("at/after cut-off, after", after_kept),
        ):
            print(
                f"{label:28}"
                + "".join(f"{v:>{w}}" for v, w in zip(row, (14, 10, 10, 8), strict=True))
            )
        exact = deleted == older and sum(left_old) == 0
        print(
            f"purge: {c.rows} rows in {run.seconds:.2f} s = {run.rows_per_second:,.0f} rows/s, "
            f"{run.batches} transactions of <= {batch} conversations; exact: {exact}"
        )
        print(
            "chat-like write, ms       p50    p95    max     n\n"
            f"  idle               {_pct(idle, 0.5):7.2f}{_pct(idle, 0.95):7.2f}"
            f"{max(idle):7.2f}{len(idle):6}\n"
            f"  during the purge   {_pct(during, 0.5):7.2f}{_pct(during, 0.95):7.2f}"
            f"{max(during):7.2f}{len(during):6}"
        )
        print(
            f"(mean idle {statistics.fmean(idle):.2f} ms, during {statistics.fmean(during):.2f} ms)"
        )
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shopbot-retention-") as tmp:
        with embedded_database(Path(tmp)) as (owner_url, app_url):
            asyncio.run(_run(owner_url, app_url, args.conversations, args.batch))


if __name__ == "__main__":
    main()
