"""Celery tasks of ingestion, and the beat schedule.

- `ingestion.sync.start` (tenant): create or take over the store's job, run a slice.
- `ingestion.sync.step` (tenant): run the next slice (`SYNC_PAGES_PER_TASK` pages) of a job
  and, if pages remain, enqueue the next step at the back of the queue. One long sync is
  thus many short tasks interleaved with other tenants' work (workers prefetch one task
  and acknowledge late, see core.jobs), and a killed worker loses at most one slice: the
  checkpoint is committed with every page.
- `ingestion.webhooks.apply` (tenant): apply a recorded webhook event.
- `ingestion.knowledge.index` (tenant): (re)index a knowledge document.
- `ingestion.schedule.incremental` / `.reconcile` (no tenant): fan out one start task per
  active store (`app_active_stores()`), every 15 minutes and nightly.

Without `REDIS_URL` Celery runs tasks eagerly in-process; a step then runs the whole job
in one go instead of re-enqueueing itself (an eager task cannot enqueue from inside the
event loop it runs on). In-process callers with a `Database` at hand (the API in embedded
mode, tests) use `webhook_dispatcher(..., inline=True)` instead of a task.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from celery.schedules import crontab
from sqlalchemy import text

from core.crypto import SecretBox
from core.db.database import Database
from core.errors import Conflict
from core.ids import TenantId
from core.jobs import celery_app, tenant_task
from core.runtime import open_runtime
from core.secrets import load_process_secrets
from core.settings import get_settings
from engine.embeddings import Embedder, embedder_from_settings
from ingestion.knowledge import index_knowledge_document
from ingestion.sync.service import SourceFactory, run_sync_steps, start_sync
from ingestion.webhooks import apply_webhook_event

log = logging.getLogger(__name__)

SYNC_PAGES_PER_TASK = 5
INCREMENTAL_EVERY_S = 15 * 60
BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "ingestion-incremental-sync": {
        "task": "ingestion.schedule.incremental",
        "schedule": INCREMENTAL_EVERY_S,
    },
    "ingestion-nightly-reconcile": {
        "task": "ingestion.schedule.reconcile",
        "schedule": crontab(hour=3, minute=17),
    },
}


def install_beat_schedule(app: Any = celery_app) -> None:
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}


install_beat_schedule()


@lru_cache(maxsize=1)
def _worker_embedder() -> Embedder:
    return embedder_from_settings(get_settings())


def _secret_box() -> SecretBox:
    return load_process_secrets(get_settings()).secret_box


def runs_in_process() -> bool:
    return bool(celery_app.conf.task_always_eager) or get_settings().redis_url is None


# --- sync ---------------------------------------------------------------------------------
async def _continue_job(db: Database, tenant_id: TenantId, job_id: uuid.UUID, owner: str) -> str:
    in_process = runs_in_process()
    result = await run_sync_steps(
        db,
        tenant_id,
        job_id,
        owner,
        secret_box=_secret_box(),
        embedder=_worker_embedder(),
        max_pages=None if in_process else SYNC_PAGES_PER_TASK,
    )
    if not result.done and not in_process:
        # The page transactions are committed: enqueueing now can never run ahead of them.
        sync_step_task.apply_async(
            kwargs={"tenant_id": str(tenant_id), "job_id": str(job_id), "owner": owner}
        )
    return result.status


@tenant_task("ingestion.sync.start")
async def start_sync_task(
    db: Database,
    tenant_id: TenantId,
    *,
    store_id: str,
    mode: str = "incremental",
    trigger: str = "schedule",
) -> str:
    try:
        claim = await start_sync(db, tenant_id, uuid.UUID(store_id), mode=mode, trigger=trigger)
    except Conflict:
        log.info("store %s is already syncing; %s sync skipped", store_id, mode)
        return "skipped"
    return await _continue_job(db, tenant_id, claim.job.id, claim.owner)


@tenant_task("ingestion.sync.step")
async def sync_step_task(db: Database, tenant_id: TenantId, *, job_id: str, owner: str) -> str:
    return await _continue_job(db, tenant_id, uuid.UUID(job_id), owner)


def enqueue_sync(
    tenant_id: TenantId, store_id: uuid.UUID, *, mode: str, trigger: str = "manual"
) -> None:
    """From synchronous code (scheduler, scripts): queue a sync start; the worker creates
    the job (a busy store is skipped)."""
    start_sync_task.delay(
        tenant_id=str(tenant_id), store_id=str(store_id), mode=mode, trigger=trigger
    )


# --- webhooks -----------------------------------------------------------------------------
@tenant_task("ingestion.webhooks.apply")
async def apply_webhook_task(db: Database, tenant_id: TenantId, *, event_id: str) -> str:
    return await apply_webhook_event(
        db, tenant_id, uuid.UUID(event_id), secret_box=_secret_box(), embedder=_worker_embedder()
    )


def webhook_dispatcher(
    db: Database,
    secret_box: SecretBox,
    embedder: Embedder | None = None,
    *,
    inline: bool | None = None,
    source_factory: SourceFactory | None = None,
) -> Callable[[TenantId, uuid.UUID], Awaitable[None]]:
    """What the webhook route does with a newly recorded event: apply it here and now
    (embedded mode, tests) or enqueue `ingestion.webhooks.apply` (workers)."""
    apply_inline = runs_in_process() if inline is None else inline

    async def dispatch(tenant_id: TenantId, event_id: uuid.UUID) -> None:
        if apply_inline:
            await apply_webhook_event(
                db,
                tenant_id,
                event_id,
                secret_box=secret_box,
                embedder=embedder or _worker_embedder(),
                source_factory=source_factory,
            )
        else:
            await asyncio.to_thread(
                apply_webhook_task.delay, tenant_id=str(tenant_id), event_id=str(event_id)
            )

    return dispatch


# --- knowledge ----------------------------------------------------------------------------
@tenant_task("ingestion.knowledge.index")
async def index_knowledge_task(db: Database, tenant_id: TenantId, *, document_id: str) -> str:
    outcome = await index_knowledge_document(
        db, tenant_id, uuid.UUID(document_id), embedder=_worker_embedder()
    )
    return outcome.status


# --- the schedule (no tenant: it only reads store ids, then hands each to a tenant task) --
async def active_stores(db: Database | None = None) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(tenant, store) of every store not disconnected, via the SECURITY DEFINER lookup."""
    if db is None:
        async with open_runtime(get_settings()) as runtime:
            return await active_stores(runtime.db)
    async with db.system_session() as session:
        rows = (
            await session.execute(text("SELECT tenant_id, store_id FROM app_active_stores()"))
        ).all()
    return [(row.tenant_id, row.store_id) for row in rows]


def _fan_out(mode: str) -> int:
    stores = asyncio.run(active_stores())
    for tenant_id, store_id in stores:
        start_sync_task.delay(
            tenant_id=str(tenant_id), store_id=str(store_id), mode=mode, trigger="schedule"
        )
    return len(stores)


@celery_app.task(name="ingestion.schedule.incremental", acks_late=True)
def schedule_incremental_syncs() -> int:
    return _fan_out("incremental")


@celery_app.task(name="ingestion.schedule.reconcile", acks_late=True)
def schedule_reconciles() -> int:
    return _fan_out("reconcile")
