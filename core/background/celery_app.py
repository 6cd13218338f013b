"""The Celery application and the tenant task wrapper.

Background work is always tenant-scoped: a task takes `tenant_id` as a required keyword,
opens a tenant session, and commits at the end (the task is the edge). A missing tenant
is an error, never a default. Without `REDIS_URL` (the embedded default) tasks run
in-process, eagerly.

Fairness: workers prefetch one task at a time and acknowledge late, so one tenant's huge
sync (split into page-sized tasks by ingestion) cannot hold every worker slot.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from celery import Celery

from core.db.database import Database
from core.errors import MissingTenant
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
    )
    return celery_app


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

    return asyncio.run(_run())


def tenant_task(name: str, **options: Any) -> Callable[[TenantJob[R]], Any]:
    """Register `async def job(db: Database, tenant_id: TenantId, **kwargs)` as a Celery task
    callable as `task.delay(tenant_id=..., **kwargs)`."""

    def decorate(job: TenantJob[R]) -> Any:
        @celery_app.task(name=name, acks_late=True, **options)
        @functools.wraps(job)
        def task(*, tenant_id: Any = None, **kwargs: Any) -> R:
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
