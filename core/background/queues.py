"""The three Celery queues, in the order a worker takes from them, and where tasks go.

A worker that consumes several queues asks Redis for the first non-empty one in a fixed
order (`queue_order_strategy='priority'`, set in `core.background.celery_app`), so:

1. `webhooks`: short tasks a person is waiting for (a product a webhook changed, the
   hand-off reply email). Never behind a sync.
2. `sync`: scheduled incremental syncs (what changed since the cursor: a few pages) and
   the schedule's fan-outs, which only enqueue.
3. `bulk`: full syncs and reconciles (the whole catalogue, many page-sized steps) and
   maintenance sweeps (retention purge, payment grace).

A task declares its queue (`routed_to=TaskQueue.X` on the decorator; Celery's own `queue`
attribute is deprecated in favour of `task_routes`, which is what `route_task` is); a sync
task is routed by the mode it carries instead (`queue_by_sync_mode=True`), so every step
of a full sync goes to `bulk` and every step of an incremental one to `sync`. A task sent
by name from a process that does not import it names its queue itself.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from core.models.sync import SyncMode


class TaskQueue(StrEnum):
    WEBHOOKS = "webhooks"
    SYNC = "sync"
    BULK = "bulk"


# Highest priority first: the order `shopbot worker` consumes in by default.
PRIORITY_ORDER: tuple[TaskQueue, ...] = (TaskQueue.WEBHOOKS, TaskQueue.SYNC, TaskQueue.BULK)


def queue_for_sync_mode(mode: str | None) -> TaskQueue:
    """An incremental sync is small and scheduled; anything else (full, reconcile, or a
    message from before modes were sent) walks the whole catalogue."""
    return TaskQueue.SYNC if mode == SyncMode.INCREMENTAL else TaskQueue.BULK


def parse_queues(text: str) -> tuple[TaskQueue, ...]:
    """`webhooks,sync` → the queues named, in the order given; ValueError names a wrong one."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise ValueError("name at least one queue")
    known = {queue.value for queue in TaskQueue}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown queue {unknown[0]!r}: choose from {', '.join(sorted(known))}")
    return tuple(dict.fromkeys(TaskQueue(name) for name in names))


def route_task(
    name: str,
    args: Any,
    kwargs: dict[str, Any] | None,
    options: dict[str, Any],
    task: Any = None,
    **_: Any,
) -> dict[str, str]:
    """Celery's `task_routes` router: every task lands on one of the three queues."""
    if getattr(task, "queue_by_sync_mode", False):
        return {"queue": queue_for_sync_mode((kwargs or {}).get("mode"))}
    declared = getattr(task, "routed_to", None)
    # A task that declares nothing (sent by name from elsewhere) waits at the back.
    return {"queue": str(TaskQueue(declared)) if declared else str(TaskQueue.BULK)}
