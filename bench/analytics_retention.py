"""Retention on the one-year set: the purge of everything older than a setting (90 days by
default), its rows per second, whether it removed exactly what is older (and nothing of the
other tenant), and what it does to shoppers' chat latency while it runs.

Chat: `POST /widget/v1/chat` (JSON) through the widget API's real ASGI app in this process,
on the offline answerer, one request at a time from a few visitors, with the query
embeddings warm; first without a purge for `quiet_s` seconds (the baseline), then for as
long as the purge runs (in a thread of its own, on the owner's connections). The purge is
`analytics_hooks.purge` (the bench's reference purge until the product's lands).

"Older" is the conversation's `created_at` for a conversation and everything in it
(messages, feedback), the event's own `created_at` for a widget event. Before purging, the
foreign keys the purge's cascades follow are checked for an index: without one, each
deleted message makes PostgreSQL scan `widget_events` (ON DELETE SET NULL) for references.
The bench then times a small probe of the purge as the schema is, creates the missing
indexes (reported), and purges with them."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text

from bench import analytics_hooks
from bench.analytics_data import ORIGIN
from bench.analytics_hooks import as_tenant
from bench.analytics_measure import Timing

_OLDER = {
    "conversations": "SELECT count(*) FROM conversations WHERE tenant_id = :t "
    "AND created_at < :cutoff",
    "messages": "SELECT count(*) FROM messages m JOIN conversations c "
    "ON c.id = m.conversation_id WHERE c.tenant_id = :t AND c.created_at < :cutoff",
    "feedback": "SELECT count(*) FROM feedback f JOIN messages m ON m.id = f.message_id "
    "JOIN conversations c ON c.id = m.conversation_id "
    "WHERE c.tenant_id = :t AND c.created_at < :cutoff",
    "widget_events": "SELECT count(*) FROM widget_events WHERE tenant_id = :t "
    "AND created_at < :cutoff",
}
_ALL = {
    table: f"SELECT count(*) FROM {table} WHERE tenant_id = :t"
    for table in ("conversations", "messages", "feedback", "widget_events")
}
_UNINDEXED_FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name
FROM pg_constraint c
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
  AND c.confrelid IN ('conversations'::regclass, 'messages'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_index i
                  WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
ORDER BY 1, 2
"""


@dataclass
class Retention:
    days: int
    cutoff: datetime
    expected: dict[str, int]  # rows older than the cutoff, before the purge
    left_older: dict[str, int] = field(default_factory=dict)
    kept_before: dict[str, int] = field(default_factory=dict)  # the rest, before
    kept_after: dict[str, int] = field(default_factory=dict)
    other_tenant_unchanged: bool = False
    probe: analytics_hooks.Purged | None = None
    created_indexes: list[str] = field(default_factory=list)
    index_seconds: float = 0.0
    purged: analytics_hooks.Purged | None = None
    quiet: Timing = field(default_factory=Timing)
    during: Timing = field(default_factory=Timing)

    @property
    def exact(self) -> bool:
        return (
            not any(self.left_older.values())
            and self.kept_before == self.kept_after
            and self.other_tenant_unchanged
        )


def _counts(
    owner: Any, queries: dict[str, str], tenant_id: Any, cutoff: datetime
) -> dict[str, int]:
    with owner.begin() as connection:
        as_tenant(connection, tenant_id)
        return {
            table: int(
                connection.execute(text(sql), {"t": tenant_id, "cutoff": cutoff}).scalar_one()
            )
            for table, sql in queries.items()
        }


def _kept(owner: Any, tenant_id: Any, cutoff: datetime, loaded_until: datetime) -> dict[str, int]:
    """Rows of the loaded year at or after the cutoff (the chat's new rows are later)."""
    queries = {
        table: sql.replace("created_at < :cutoff", "created_at >= :cutoff")
        + (" AND c.created_at < :until" if " c " in sql else " AND created_at < :until")
        for table, sql in _OLDER.items()
    }
    with owner.begin() as connection:
        as_tenant(connection, tenant_id)
        return {
            table: int(
                connection.execute(
                    text(sql), {"t": tenant_id, "cutoff": cutoff, "until": loaded_until}
                ).scalar_one()
            )
            for table, sql in queries.items()
        }


def _index_foreign_keys(owner: Any, retention: Retention) -> None:
    began = time.perf_counter()
    with owner.begin() as connection:
        missing = connection.execute(text(_UNINDEXED_FOREIGN_KEYS)).all()
        for table, column in missing:
            connection.execute(
                text(f"CREATE INDEX bench_fk_{table}_{column} ON {table} ({column})")
            )
            retention.created_indexes.append(f"{table}({column})")
    retention.index_seconds = time.perf_counter() - began


async def _chat_loop(client: Any, tokens: list[str], questions: list[str], until: Any) -> Timing:
    timing = Timing()
    n = 0
    while not until(n):
        token = tokens[n % len(tokens)]
        began = time.perf_counter()
        response = await client.post(
            "/widget/v1/chat",
            json={"message": questions[n % len(questions)]},
            headers={"Authorization": f"Bearer {token}", "Origin": ORIGIN},
        )
        if response.status_code != 200:
            raise RuntimeError(f"chat: {response.status_code} {response.text[:300]}")
        timing.ms.append((time.perf_counter() - began) * 1000)
        n += 1
        await asyncio.sleep(0)
    return timing


async def measure_retention(
    owner: Any,
    chat: Any,
    spec: Any,
    other_tenant: Any,
    *,
    days: int,
    now: datetime,
    loaded_until: datetime,
    quiet_s: float,
    progress: Any = print,
) -> Retention:
    """`chat`: (httpx client on the widget app, session tokens, questions), warmed up."""
    from datetime import timedelta

    client, tokens, questions = chat
    cutoff = now - timedelta(days=days)
    retention = Retention(days, cutoff, _counts(owner, _OLDER, spec.tenant_id, cutoff))
    retention.kept_before = _kept(owner, spec.tenant_id, cutoff, loaded_until)
    other_before = _counts(owner, _ALL, other_tenant, cutoff)
    progress(f"chat without a purge for {quiet_s:.0f} s")
    quiet_until = time.monotonic() + quiet_s
    retention.quiet = await _chat_loop(
        client, tokens, questions, lambda n: time.monotonic() > quiet_until and n >= 5
    )
    progress("probe: the purge on the schema as it is (20 batches of 10 conversations)")
    retention.probe = analytics_hooks.reference_purge(
        owner, spec.tenant_id, cutoff, batch=10, max_batches=20
    )
    _index_foreign_keys(owner, retention)
    progress(f"purging everything older than {days} days, chatting meanwhile")
    result: list[analytics_hooks.Purged] = []
    worker = threading.Thread(
        target=lambda: result.append(analytics_hooks.purge(owner, spec.tenant_id, cutoff))
    )
    worker.start()
    retention.during = await _chat_loop(
        client, tokens, questions, lambda n: not worker.is_alive() and n >= 5
    )
    worker.join()
    if not result:
        raise RuntimeError("the purge failed (see the thread's traceback above)")
    retention.purged = result[0]
    retention.left_older = _counts(owner, _OLDER, spec.tenant_id, cutoff)
    retention.kept_after = _kept(owner, spec.tenant_id, cutoff, loaded_until)
    retention.other_tenant_unchanged = _counts(owner, _ALL, other_tenant, cutoff) == other_before
    return retention
