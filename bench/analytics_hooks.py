"""Where the analytics bench meets the parts of issue 16 built alongside it: the rollups
(triggers and a rebuild), the question clusters and the retention purge. Each hook says
what it does until its part is merged, and what it must do after; nothing else in the
bench needs to change when they land (new analytics reads are listed in
bench/analytics_calls.py and measured as soon as the API answers them).

- `bulk_load` / `after_bulk_load`: around the loader's statements (bench/analytics_data.py),
  in its transaction, on the owner's connection. Rollups: switch their triggers off for the
  bulk load and rebuild the tenant's rollups once after it (what an operator does after a
  restore). Clusters: assign each stored shopper question its cluster in bulk; the year
  has ~2M messages but only the bank's few hundred distinct wordings, so embedding each
  wording once and writing the assignment with one UPDATE ... FROM is enough.
- `purge`: the retention purge measured on the one-year set (bench/analytics_retention.py).
  Until the product's purge lands this is the bench's REFERENCE purge below, a plain
  batched DELETE: what a batched purge costs on this data (the number the product's purge
  is held to, from a run before it landed; one load can be purged only once). The short
  probe before the purge always uses the reference purge, on the schema as migrated.
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

PURGE_BATCH = 5000


def as_tenant(connection: Connection, tenant_id: Any) -> None:
    """The transaction acts for `tenant_id` under row-level security (FORCED, so the
    owner's statements pass the same policy as the application's)."""
    connection.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})


@contextlib.contextmanager
def bulk_load(connection: Connection) -> Iterator[None]:
    """Today: nothing to switch off (no analytics triggers exist yet)."""
    yield


def after_bulk_load(connection: Connection, tenant_id: Any, wordings: list[str]) -> None:
    """Today: nothing to rebuild and no clusters to assign (the analytics read the raw
    tables; top questions group by normalised words)."""


@dataclass
class Purged:
    label: str
    rows: dict[str, int]
    seconds: float
    batches: int

    @property
    def total(self) -> int:
        return sum(self.rows.values())


# The reference purge: one short transaction per batch of conversations (their messages
# and feedback go with them by ON DELETE CASCADE), then the events, so no lock is held
# for long and chat traffic never waits behind a year's delete.
_REFERENCE_BATCHES = (
    (
        "conversations",
        """
        WITH gone AS (
            DELETE FROM conversations WHERE id IN (
                SELECT id FROM conversations
                WHERE tenant_id = :tenant AND created_at < :cutoff LIMIT :batch)
            RETURNING id
        ), gone_messages AS (
            SELECT count(*) AS n FROM messages WHERE conversation_id IN (SELECT id FROM gone)
        ), gone_ratings AS (
            SELECT count(*) AS n FROM feedback f JOIN messages m ON m.id = f.message_id
            WHERE m.conversation_id IN (SELECT id FROM gone)
        )
        SELECT (SELECT count(*) FROM gone), (SELECT n FROM gone_messages),
               (SELECT n FROM gone_ratings)
        """,
    ),
    (
        "widget_events",
        """
        WITH gone AS (
            DELETE FROM widget_events WHERE id IN (
                SELECT id FROM widget_events
                WHERE tenant_id = :tenant AND created_at < :cutoff LIMIT :batch)
            RETURNING 1
        )
        SELECT count(*), 0, 0 FROM gone
        """,
    ),
)


def purge(owner_engine: Any, tenant_id: Any, cutoff: datetime) -> Purged:
    """Deletes the tenant's conversations (with their messages and feedback) and widget
    events older than `cutoff`. Today: the reference purge (see the module docstring);
    the product's purge replaces this body, keeping the signature and the `Purged`."""
    return reference_purge(owner_engine, tenant_id, cutoff)


def reference_purge(
    owner_engine: Any,
    tenant_id: Any,
    cutoff: datetime,
    *,
    batch: int = PURGE_BATCH,
    max_batches: int | None = None,
) -> Purged:
    """The bench's own batched purge; `max_batches` stops early (a probe)."""
    rows = {"conversations": 0, "messages": 0, "feedback": 0, "widget_events": 0}
    batches = 0
    began = time.perf_counter()
    for table, sql in _REFERENCE_BATCHES:
        while True:
            with owner_engine.begin() as connection:
                as_tenant(connection, tenant_id)
                first, messages, ratings = connection.execute(
                    text(sql), {"tenant": tenant_id, "cutoff": cutoff, "batch": batch}
                ).one()
            batches += 1
            if table == "conversations":
                rows["conversations"] += first
                rows["messages"] += messages
                rows["feedback"] += ratings
            else:
                rows[table] += first
            if first < batch or (max_batches is not None and batches >= max_batches):
                break
    return Purged("reference purge (bench SQL)", rows, time.perf_counter() - began, batches)
