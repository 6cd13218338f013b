"""The Celery application and the tenant task wrapper.

Background work is always tenant-scoped: a task takes `tenant_id` as a required keyword,
opens a tenant session, and commits at the end (the task is the edge). A missing tenant
is an error, never a default. Without `REDIS_URL` (the embedded default) tasks run
in-process, eagerly.

Fairness: workers prefetch one task at a time and acknowledge late, so one tenant's huge
sync (split into page-sized tasks by ingestion) cannot hold every worker slot; and a
worker takes from its queues in priority order (`core.background.queues`), so a webhook
waits at most for the slices the worker's processes are in.

Redelivery: a task is acknowledged when it has finished (`acks_late`), so one whose worker
died (even SIGKILLed with all its processes) is handed out again once the visibility
timeout (`SHOPBOT_CELERY_VISIBILITY_TIMEOUT_S`) has passed; every task is idempotent.
Told to stop (SIGTERM: Celery's warm shutdown), a worker finishes the slice it holds, sends
the next step and exits: the job goes on at once on another worker, nothing waits for the
timeout (measured: ~5 s for a 3-page slice of a slow store).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from celery import Celery

from core.background.queues import TaskQueue, route_task
from core.db.database import Database
from core.errors import MissingTenant
from core.event_loop import run_loop
from core.ids import TenantId, parse_uuid
from core.runtime import open_runtime
from core.settings import Settings, get_settings

P = ParamSpec("P")
R = TypeVar("R")

celery_app = Celery("shopbot")


def configure_celery(settings: Settings) -> Celery:
    celery_app.conf.update(
        broker_url=settings.redis_url or "memory://",
        task_always_eager=settings.redis_url is None,
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        timezone="UTC",
        task_routes=(route_task,),
        task_default_queue=str(TaskQueue.BULK),
        broker_transport_options=broker_transport_options(settings),
    )
    return celery_app


def broker_transport_options(settings: Settings) -> dict[str, Any]:
    timeout = settings.celery_visibility_timeout_s
    return {
        # Always the first non-empty queue of the worker's list (kombu's default rotates
        # through them, which would put a webhook behind a bulk step half of the time).
        "queue_order_strategy": "priority",
        "visibility_timeout": timeout,
        # How often a worker looks for unacknowledged tasks past the timeout (kombu's
        # default looks every 100 s): a tenth of the timeout, at most every 10 s.
        "unacked_restore_interval": max(1, min(10, timeout // 10)),
        "unacked_restore_throttle": 1,
    }


def tenant_id_from_task_argument(value: Any) -> TenantId:
    parsed = parse_uuid(value) if value is not None else None
    if parsed is None:
        raise MissingTenant(f"background task needs a tenant_id, got {value!r}")
    return TenantId(parsed)


TenantJob = Callable[..., Awaitable[R]]


def run_tenant_job(job: TenantJob[R], tenant_id: Any, **kwargs: Any) -> R:
    """Run an async `job(db, tenant_id, **kwargs)` in its own event loop and runtime."""
    tenant = tenant_id_from_task_argument(tenant_id)

    async def _run() -> R:
        async with open_runtime(get_settings()) as runtime:
            return await job(runtime.db, tenant, **kwargs)

    return run_loop(_run, get_settings().event_loop)  # SHOPBOT_EVENT_LOOP (core.event_loop)


def tenant_task(
    name: str, *, with_task_id: bool = False, **options: Any
) -> Callable[[TenantJob[R]], Any]:
    """Register `async def job(db: Database, tenant_id: TenantId, **kwargs)` as a Celery task
    callable as `task.delay(tenant_id=..., **kwargs)`. `routed_to=` (a `TaskQueue`) or
    `queue_by_sync_mode=True` says where it is routed (`core.background.queues`).
    `with_task_id`: the job also gets `task_id=` (the Celery task id, which a redelivered
    message keeps), to tell its own redelivery from another copy."""

    def decorate(job: TenantJob[R]) -> Any:
        @celery_app.task(name=name, acks_late=True, bind=True, **options)
        @functools.wraps(job)
        def task(self: Any, *, tenant_id: Any = None, **kwargs: Any) -> R:
            if with_task_id:
                kwargs["task_id"] = self.request.id
            return run_tenant_job(job, tenant_id, **kwargs)

        task.job = job  # the undecorated coroutine, for in-process callers
        return task

    return decorate


async def run_in_tenant(
    db: Database, tenant_id: TenantId | None, job: TenantJob[R], **kwargs: Any
) -> R:
    """In-process equivalent (tests, the embedded demo): same tenant check, caller's db."""
    return await job(db, tenant_id_from_task_argument(tenant_id), **kwargs)


# Every process that imports tasks talks to the broker its settings name (eager without one).
configure_celery(get_settings())
