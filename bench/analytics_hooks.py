"""Where the analytics bench meets the parts of issue 16: the rollups (triggers and a
rebuild), the question clusters and the retention purge.

- `bulk_load` / `after_bulk_load`: around the loader's statements (bench/analytics_data.py),
  in its transaction, on the owner's connection. Rollups: the four analytics triggers are
  switched off for the bulk load (a row-at-a-time trigger over ~2M messages is what an
  operator avoids on a restore) and `analytics_rebuild(tenant)` recounts the tenant once
  after it (the tenant's time zone is set before the load, through the API). Clusters:
  bench/analytics_clusters.py embeds each distinct wording once with the engine's embedder,
  clusters them with the product's rule and writes clusters, assignments and per-day counts
  in a few set-based statements.
- `purge`: the product's purge (core.privacy.retention.purge_tenant), on the application
  role, `now` pinned to the end of the loaded data. No in-process baseline purge: a
  second purge needs a second year's load (as long as the first), so the bench's earlier
  reference purge and its ratio are gone. A purge that fails is reported in the table
  (this bench found 0009's trigger breaking a foreign key on bulk deletes, since fixed).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection


def as_tenant(connection: Connection, tenant_id: Any) -> None:
    """The transaction acts for `tenant_id` under row-level security (FORCED, so the
    owner's statements pass the same policy as the application's)."""
    connection.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})


ANALYTICS_TRIGGERS = (
    ("conversations", "analytics_conversations"),
    ("messages", "analytics_messages"),
    ("feedback", "analytics_feedback"),
    ("widget_events", "analytics_widget_events"),
)


@contextlib.contextmanager
def bulk_load(connection: Connection) -> Iterator[None]:
    """The analytics triggers off for the load, on again after it (same transaction)."""
    for table, trigger in ANALYTICS_TRIGGERS:
        connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
    yield
    for table, trigger in ANALYTICS_TRIGGERS:
        connection.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"))


def after_bulk_load(
    connection: Connection, tenant_id: Any, family_of: dict[str, int]
) -> tuple[dict[str, float], dict[str, int], list[str]]:
    """The rollups rebuilt and the questions clustered: (seconds per stage, rows per stage,
    notes for the report)."""
    from bench.analytics_clusters import assign_clusters

    began = time.perf_counter()
    # Statistics first: the planner's are the empty tables' of before the load, and with
    # them the rebuild's joins run as nested loops (minutes for a month, hours for a year).
    for table in ("conversations", "messages", "feedback", "widget_events"):
        connection.execute(text(f"ANALYZE {table}"))
    seconds = {"ANALYZE (the loaded tables)": time.perf_counter() - began}
    began = time.perf_counter()
    connection.execute(text("SELECT analytics_rebuild(:t)"), {"t": tenant_id})
    seconds["analytics_rebuild (rollups)"] = time.perf_counter() - began
    clustered = assign_clusters(connection, tenant_id, family_of)
    seconds.update(clustered.seconds)
    rows = {"write clusters, assignments, days": clustered.assignments + clustered.days}
    notes = [
        f"{clustered.wordings} distinct wordings embedded ({clustered.space}), leader "
        f"clustering at cosine >= {clustered.threshold:.2f} per bot: {clustered.clusters} "
        f"clusters, {clustered.assignments:,} assignments, {clustered.days:,} cluster-days",
        f"bank families: purity {clustered.purity_wordings:.3f} by wording, "
        f"{clustered.purity_messages:.3f} by message; {clustered.kept_together:.1%} of a "
        f"family's messages in its largest cluster",
    ]
    return seconds, rows, notes


@dataclass
class Purged:
    label: str
    rows: dict[str, int]
    seconds: float
    batches: int

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def purge(app_url: Any, tenant_id: Any, now: datetime, retention_days: int) -> Purged:
    """The product's purge of the tenant (conversations whose last message is older than
    `now - retention_days`, with their messages, feedback and events; events without a
    conversation by their own time), on a Database of its own: it runs in a thread while
    the chat is measured on the bench's loop."""
    import asyncio

    from core.db.database import Database
    from core.privacy.retention import DEFAULT_PACE, purge_tenant

    async def run() -> Any:
        db = Database.connect(app_url, pool_size=2)
        try:
            return await purge_tenant(db, tenant_id, retention_days=retention_days, now=now)
        finally:
            await db.dispose()

    purged = asyncio.run(run())
    counts = purged.counts
    rows = {
        "conversations": counts.conversations,
        "messages": counts.messages,
        "feedback": counts.feedback,
        "widget_events": counts.widget_events,
    }
    label = f"product purge (purge_tenant, pace {DEFAULT_PACE:g})"
    return Purged(label, rows, purged.seconds, purged.batches)
