#!/usr/bin/env python3
"""Question-cluster bench: the top questions and content gaps over a year of a busy shop,
and what clustering adds to each answer (issue 16).

Goal: every analytics call the dashboard makes has p95 <= 200 ms on one year of 1,000
conversations a day (~1M shopper questions). Setup: an embedded PostgreSQL (pgvector) in a
temp dir, migrated; one tenant and bot; 365,000 conversations and 1,000,000 shopper
messages spread evenly over the year before `--until`, assigned to clusters with a heavy
head and a long tail (cluster rank log-uniform over 200,000: P(rank) ~ 1/rank, as shopper
questions are), each cluster with a random 384-d centroid, the assignments answered 70% of
the time, the per-day counts summed from them: what the answer service writes, generated in
SQL. Measured through the real service functions (dashboard_api.analytics.questions_service,
one tenant session each, the tenant's time zone read as a request does): top questions and
content gaps for the last 7, 30 and 365 days, in a zone off UTC by half an hour (so both
window edges are partial UTC days), `--runs` times each after a warm-up. Then the write
path: `cluster_question` (nearest centroid over the HNSW index, the lock, four writes) for
`--writes` new questions, half near an existing centroid, half far from all.

Usage: .venv/bin/python -m bench.question_clusters [--runs 30] [--writes 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import tempfile
import time
import uuid
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.widget_measure import pct
from bench.widget_setup import embedded_database

os.environ.pop("DATABASE_URL", None)  # the bench's own embedded database, never another
warnings.filterwarnings("ignore")

GOAL_P95_MS = 200.0
TIMEZONE = "Asia/Kolkata"  # UTC+5:30: both edges of a window are partial UTC days

_GENERATE = [
    "SELECT set_config('app.tenant_id', :tenant_id, false)",
    """CREATE TEMP TABLE bench_questions AS
       SELECT i, gen_random_uuid() AS id,
              CAST(:start AS timestamptz) + make_interval(secs => i * 31536000.0 / :questions)
                  AS asked_at,
              floor(exp(random() * ln(200000)))::int AS rank,
              random() < 0.7 AS answered
       FROM generate_series(0, :questions - 1) AS i""",
    """CREATE TEMP TABLE bench_conversations AS
       SELECT i, gen_random_uuid() AS id FROM generate_series(0, :conversations - 1) AS i""",
    """INSERT INTO conversations (id, tenant_id, bot_id, visitor_id, created_at, last_message_at)
       SELECT c.id, :tenant_id, :bot_id, 'v-' || c.i, t.at, t.at
       FROM bench_conversations c,
            LATERAL (SELECT CAST(:start AS timestamptz)
                            + make_interval(secs => c.i * 31536000.0 / :conversations) AS at) t""",
    """INSERT INTO messages (id, tenant_id, conversation_id, role, content, created_at)
       SELECT q.id, :tenant_id, c.id, 'user',
              'Question ' || q.rank || ' in the wording number ' || (q.i % 7), q.asked_at
       FROM bench_questions q
       JOIN bench_conversations c ON c.i = (q.i::bigint * :conversations / :questions)::int""",
    # One HNSW build after the load, not 100,000 inserts into the graph one by one.
    "DROP INDEX ix_question_clusters_centroid_hnsw",
    """CREATE TEMP TABLE bench_clusters AS
       SELECT rank, gen_random_uuid() AS id, count(*) AS members,
              (array_agg(id ORDER BY asked_at))[1] AS first_message
       FROM bench_questions GROUP BY rank""",
    """INSERT INTO question_clusters (id, tenant_id, bot_id, embedding_space, centroid, members,
                                      representative_message_id)
       SELECT k.id, :tenant_id, :bot_id, 'minilm-l6-v2',
              (SELECT array_agg(random() - 0.5 + 0 * k.rank + 0 * g)
               FROM generate_series(1, 384) g)::vector,
              k.members, k.first_message
       FROM bench_clusters k""",
    """INSERT INTO question_assignments (message_id, tenant_id, cluster_id, bot_id, asked_at,
                                         answered)
       SELECT q.id, :tenant_id, k.id, :bot_id, q.asked_at, q.answered
       FROM bench_questions q JOIN bench_clusters k USING (rank)""",
    """INSERT INTO question_cluster_days (tenant_id, cluster_id, day, bot_id, asked, answered)
       SELECT :tenant_id, cluster_id, (asked_at AT TIME ZONE 'UTC')::date, :bot_id,
              count(*), count(*) FILTER (WHERE answered)
       FROM question_assignments GROUP BY cluster_id, (asked_at AT TIME ZONE 'UTC')::date""",
    "UPDATE tenants SET timezone = :timezone WHERE id = :tenant_id",
    "SET maintenance_work_mem = '512MB'",
    """CREATE INDEX ix_question_clusters_centroid_hnsw ON question_clusters
       USING hnsw (centroid vector_cosine_ops) WITH (m = 16, ef_construction = 64)""",
]


def _generate(
    owner_url: Any, tenant_id: uuid.UUID, bot_id: uuid.UUID, until: date
) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    parameters = {
        "tenant_id": str(tenant_id),
        "bot_id": bot_id,
        "start": datetime.combine(until - timedelta(days=365), datetime.min.time(), UTC),
        "questions": 1_000_000,
        "conversations": 365_000,
        "timezone": TIMEZONE,
    }
    engine = create_engine(owner_url)
    try:
        with engine.begin() as connection:
            for statement in _GENERATE:
                used = {k: v for k, v in parameters.items() if f":{k}" in statement}
                connection.execute(text(statement), used)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            counts = {
                table: int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)
                for table in ("messages", "question_clusters", "question_cluster_days")
            }
    finally:
        engine.dispose()
    return counts


async def _reads(db: Any, tenant: Any, until: date, runs: int) -> list[tuple[str, float, float]]:
    from core.ids import TenantId
    from dashboard_api.analytics import questions_service
    from dashboard_api.auth.context import MerchantContext

    context = MerchantContext(tenant_id=TenantId(tenant.tenant_id), user_id=None, role="owner")
    results = []
    for name, call in (
        ("top-questions", questions_service.top_questions),
        ("content-gaps", questions_service.content_gaps),
    ):
        for days in (7, 30, 365):
            first, end = until - timedelta(days=days), until
            timings: list[float] = []
            for run in range(runs + 3):
                started = time.perf_counter()
                async with db.tenant_session(tenant.tenant_id) as session:
                    body = await call(session, context, first=first, end=end, bot_id=None, limit=10)
                if run >= 3:
                    timings.append((time.perf_counter() - started) * 1000)
            listed: list[Any] = body.model_dump().get("questions") or body.model_dump()["gaps"]
            assert len(listed) == 10, (name, days)
            results.append((f"{name}, {days} days", pct(timings, 50), pct(timings, 95)))
    return results


async def _writes(db: Any, tenant: Any, count: int) -> tuple[float, float, int]:
    from sqlalchemy import text

    from core.models import Conversation, Message
    from engine.analytics.question_clusters import AskedQuestion, cluster_question

    rng = random.Random(16)
    async with db.tenant_session(tenant.tenant_id) as session:
        rows = await session.execute(text("SELECT centroid::text FROM question_clusters LIMIT 500"))
        near = [[float(x) for x in r[0].strip("[]").split(",")] for r in rows]
    timings, opened = [], 0
    for n in range(count):
        if n % 2:
            base = rng.choice(near)
            vector = [x + rng.gauss(0, 0.01) for x in base]
        else:
            vector = [rng.gauss(0, 1) for _ in range(384)]
        async with db.tenant_session(tenant.tenant_id) as session:
            conversation = Conversation(tenant_id=tenant.tenant_id, bot_id=tenant.bot_id)
            session.add(conversation)
            await session.flush()
            message = Message(
                tenant_id=tenant.tenant_id,
                conversation_id=conversation.id,
                role="user",
                content="q",
            )
            session.add(message)
            await session.flush()
            started = time.perf_counter()
            assigned = await cluster_question(
                session,
                AskedQuestion(
                    tenant.tenant_id, tenant.bot_id, message.id, "v", "minilm-l6-v2", vector, True
                ),
            )
            timings.append((time.perf_counter() - started) * 1000)
            assert assigned is not None
            opened += assigned.opened
    return pct(timings, 50), pct(timings, 95), opened


async def _run(args: argparse.Namespace) -> None:
    from core.db.database import Database
    from core.provisioning import provision_tenant

    with tempfile.TemporaryDirectory(prefix="shopbot-bench-clusters-") as data_dir:
        with embedded_database(Path(data_dir)) as (owner_url, app_url):
            db = Database.connect(app_url, pool_size=2)
            try:
                tenant = await provision_tenant(db, name="Bench Outfitters", allowed_origins=[])
                started = time.perf_counter()
                counts = _generate(owner_url, tenant.tenant_id, tenant.bot_id, args.until)
                print(f"generated in {time.perf_counter() - started:.0f} s: {counts}")
                goal = f"goal p95 <= {GOAL_P95_MS:.0f} ms"
                print(f"reads ({args.runs} runs each, zone {TIMEZONE}; {goal})")
                for label, p50, p95 in await _reads(db, tenant, args.until, args.runs):
                    verdict = "ok" if p95 <= GOAL_P95_MS else "OVER"
                    print(f"  {label:28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {verdict}")
                p50, p95, opened = await _writes(db, tenant, args.writes)
                print(
                    f"cluster_question ({args.writes} questions, {opened} opened a cluster): "
                    f"p50 {p50:.1f} ms  p95 {p95:.1f} ms"
                )
            finally:
                await db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--until", type=date.fromisoformat, default=date(2026, 12, 1))
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
