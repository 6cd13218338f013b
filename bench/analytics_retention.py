"""Retention on the one-year set: the purge of everything older than a setting (90 days by
default), its rows per second, whether it removed exactly what is older (and nothing of the
other tenant), and what it does to shoppers' chat latency while it runs.

Chat: `POST /widget/v1/chat` (JSON) through the widget API's real ASGI app in this process,
on the offline answerer, one request at a time from a few visitors, with the query
embeddings warm; first without a purge for `quiet_s` seconds (the baseline), then for as
long as the purge runs (in a thread of its own, with its own application-role pool). The
purge is the product's (`analytics_hooks.purge`: core.privacy.retention.purge_tenant), its
clock pinned to the end of the loaded data.

"Older" is the product's definition: a conversation whose `last_message_at` is before the
cutoff, with everything in it (messages, feedback, events); a widget event without a
conversation by its own `created_at`. Before purging, the foreign keys the purge's
cascades follow are checked for an index (without one, each deleted message makes
PostgreSQL scan the referencing table); missing ones are created and reported."""

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

# What the product's purge removes (core/privacy/retention.py): conversations whose last
# message is older than the cutoff, their messages and feedback, their events, and events
# without a conversation older than the cutoff.
_OLDER = {
    "conversations": "SELECT count(*) FROM conversations c WHERE c.tenant_id = :t "
    "AND c.last_message_at < :cutoff",
    "messages": "SELECT count(*) FROM messages m JOIN conversations c "
    "ON c.id = m.conversation_id WHERE c.tenant_id = :t AND c.last_message_at < :cutoff",
    "feedback": "SELECT count(*) FROM feedback f JOIN messages m ON m.id = f.message_id "
    "JOIN conversations c ON c.id = m.conversation_id "
    "WHERE c.tenant_id = :t AND c.last_message_at < :cutoff",
    "widget_events": "SELECT count(*) FROM widget_events e LEFT JOIN conversations c "
    "ON c.id = e.conversation_id WHERE e.tenant_id = :t AND (c.last_message_at < :cutoff "
    "OR (e.conversation_id IS NULL AND e.created_at < :cutoff))",
}
# The rest of the loaded year (the chat's new conversations start after `until`).
_KEPT = {
    "conversations": "SELECT count(*) FROM conversations c WHERE c.tenant_id = :t "
    "AND c.last_message_at >= :cutoff AND c.created_at < :until",
    "messages": "SELECT count(*) FROM messages m JOIN conversations c "
    "ON c.id = m.conversation_id WHERE c.tenant_id = :t AND c.last_message_at >= :cutoff "
    "AND c.created_at < :until",
    "feedback": "SELECT count(*) FROM feedback f JOIN messages m ON m.id = f.message_id "
    "JOIN conversations c ON c.id = m.conversation_id "
    "WHERE c.tenant_id = :t AND c.last_message_at >= :cutoff AND c.created_at < :until",
    "widget_events": "SELECT count(*) FROM widget_events e JOIN conversations c "
    "ON c.id = e.conversation_id WHERE e.tenant_id = :t AND c.last_message_at >= :cutoff "
    "AND c.created_at < :until",
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
    failure: str = ""  # the product's purge's error, when it failed on the data as loaded
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
    """Rows of the loaded year the purge must keep (the chat's new rows are later)."""
    with owner.begin() as connection:
        as_tenant(connection, tenant_id)
        return {
            table: int(
                connection.execute(
                    text(sql), {"t": tenant_id, "cutoff": cutoff, "until": loaded_until}
                ).scalar_one()
            )
            for table, sql in _KEPT.items()
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


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""


async def _purge_while_chatting(
    chat: Any, purge: Any
) -> tuple[analytics_hooks.Purged | Exception, Timing]:
    """The purge in a thread of its own, the chat timed on this loop until it ends."""
    client, tokens, questions = chat
    result: list[analytics_hooks.Purged | Exception] = []

    def work() -> None:
        try:
            result.append(purge())
        except Exception as exc:  # reported in the table, not a crash of the whole run
            result.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    during = await _chat_loop(client, tokens, questions, lambda n: not worker.is_alive() and n >= 5)
    worker.join()
    return result[0], during


def _finish(
    retention: Retention,
    owner: Any,
    spec: Any,
    other_tenant: Any,
    other_before: dict[str, int],
    loaded_until: datetime,
) -> Retention:
    cutoff = retention.cutoff
    retention.left_older = _counts(owner, _OLDER, spec.tenant_id, cutoff)
    retention.kept_after = _kept(owner, spec.tenant_id, cutoff, loaded_until)
    retention.other_tenant_unchanged = _counts(owner, _ALL, other_tenant, cutoff) == other_before
    return retention


async def measure_retention(
    owner: Any,
    app_url: Any,
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
    _index_foreign_keys(owner, retention)
    progress(f"purging everything older than {days} days, chatting meanwhile")
    purged, retention.during = await _purge_while_chatting(
        chat, lambda: analytics_hooks.purge(app_url, spec.tenant_id, now, days)
    )
    if isinstance(purged, Exception):  # rolled back: said in the table; the counts still run
        retention.failure = f"{type(purged).__name__}: {_first_line(purged)}"
        return _finish(retention, owner, spec, other_tenant, other_before, loaded_until)
    retention.purged = purged
    return _finish(retention, owner, spec, other_tenant, other_before, loaded_until)
