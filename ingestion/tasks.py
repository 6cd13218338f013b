"""Celery tasks of ingestion, and the beat schedule.

Queues (`core.background.queues`): webhook applies go to `webhooks`; a sync's start and
steps to `sync` when incremental, `bulk` when full or reconcile (the mode travels with
every step); the schedule's fan-outs to `sync`.

- `ingestion.sync.start` (tenant): create or take over the store's job, run a slice.
- `ingestion.sync.step` (tenant): run the next slice (`SYNC_PAGES_PER_TASK` pages) of a job
  and, if pages remain, enqueue the next step at the back of the queue. One long sync is
  thus many short tasks interleaved with other tenants' work (workers prefetch one task
  and acknowledge late, see core.background.celery_app), and a killed worker loses at most
  one slice: the checkpoint is committed with every page, and the step redelivered after
  the visibility timeout (same job, same owner) resumes from it. A step that raises marks
  its job failed with a reason the merchant can read (`job_failure_reason`).
- `ingestion.webhooks.apply` (tenant): apply a recorded webhook event.
- `ingestion.schedule.incremental` / `.reconcile` (no tenant): fan out one start task per
  active store (`app_active_stores()`), every 15 minutes and nightly; a store is started
  only when due by its plan's sync frequency and not suspended (`ingestion.schedule`).
- `ingestion.vector_indexes.sweep` (no tenant, nightly, `bulk`): the per-tenant vector
  indexes of erased or shrunken tenants dropped (`ingestion.indexing.vector_index_sweep`).

Without `REDIS_URL` Celery runs tasks eagerly in-process; a step then runs the whole job
in one go instead of re-enqueueing itself (an eager task cannot enqueue from inside the
event loop it runs on). In-process callers with a `Database` at hand (the API in embedded
mode, tests) use `webhook_dispatcher(..., inline=True)` instead of a task.

Every enqueue goes through `core.background.queue`: a job is sent only once the
transactions it depends on have committed.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from celery.schedules import crontab

from core.background.celery_app import celery_app, tenant_task
from core.background.queue import AfterCommitJobs, Send, celery_send
from core.background.queues import TaskQueue
from core.crypto import SecretBox
from core.db.database import Database
from core.errors import Conflict
from core.ids import TenantId
from core.models.sync import SyncJobStatus, SyncMode
from core.runtime import open_runtime
from core.secrets import load_process_secrets
from core.settings import get_settings
from engine.embeddings import Embedder, embedder_from_settings
from ingestion import schedule
from ingestion.failures import job_failure_reason
from ingestion.indexing.vector_index_sweep import sweep_vector_indexes
from ingestion.sync import jobs, steps
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
    "ingestion-vector-index-sweep": {
        "task": "ingestion.vector_indexes.sweep",
        "schedule": crontab(hour=4, minute=47),
    },
}


def install_beat_schedule(app: Any = celery_app) -> None:
    app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}


install_beat_schedule()


def _worker_embedder() -> Embedder:
    """Built for each task, never kept: a task runs in an event loop of its own
    (`asyncio.run`), and an HTTP embedder's pooled connections belong to the loop that
    opened them (the next task's loop would find them closed). The local model is shared
    per process by `shared_local_embedder` anyway."""
    return embedder_from_settings(get_settings())


@asynccontextmanager
async def _task_embedder() -> AsyncIterator[Embedder]:
    embedder = _worker_embedder()
    try:
        yield embedder
    finally:
        close = getattr(embedder, "aclose", None)
        if close is not None:
            await close()


def _secret_box() -> SecretBox:
    return load_process_secrets(get_settings()).secret_box


def runs_in_process() -> bool:
    return bool(celery_app.conf.task_always_eager) or get_settings().redis_url is None


# --- sync ---------------------------------------------------------------------------------
def pages_per_task() -> int:
    return get_settings().sync_pages_per_task or SYNC_PAGES_PER_TASK


@dataclass(frozen=True)
class StepRun:
    """One step task's hold on a job: which job and owner, the mode (its queue), and for
    fenced steps (`ingestion.sync.steps`) the step number and the Celery task id."""

    job_id: uuid.UUID
    owner: str
    mode: str | None
    number: int | None = None
    task_id: str | None = None

    @property
    def fenced(self) -> bool:
        return self.number is not None and self.task_id is not None and not runs_in_process()

    def next_sender(self, tenant_id: TenantId) -> Send:
        following = None if self.number is None else self.number + 1
        return sync_step_sender(tenant_id, self.job_id, self.owner, mode=self.mode, step=following)


async def _continue_job(db: Database, tenant_id: TenantId, run: StepRun) -> str:
    try:
        return await _run_slice(db, tenant_id, run)
    except Exception as exc:
        # The runner records a failure of the pipeline itself; this is everything around
        # it (the store row, the credentials, the database, queueing the next step).
        log.warning("sync step of job %s failed", run.job_id, exc_info=True)
        await _mark_failed(db, tenant_id, run.job_id, run.owner, job_failure_reason(exc))
        raise


async def _run_slice(db: Database, tenant_id: TenantId, run: StepRun) -> str:
    in_process = runs_in_process()
    next_step = AfterCommitJobs()
    if run.fenced:
        assert run.number is not None and run.task_id is not None
        async with db.tenant_session(tenant_id) as session:
            decision = await steps.claim_step(
                session, tenant_id, run.job_id, run.owner, step=run.number, task_id=run.task_id
            )
        if decision == steps.StepDecision.STALE:
            log.info("sync job %s: step %s is stale, stopped", run.job_id, run.number)
            return "stale"
        if decision == steps.StepDecision.RESEND:
            await run.next_sender(tenant_id)()
            return "running"
    # Each page's transaction (with its checkpoint) commits inside run_sync_steps, so the
    # next step is sent after all of them: it can never run ahead of the pages.
    async with _task_embedder() as embedder:
        result = await run_sync_steps(
            db,
            tenant_id,
            run.job_id,
            run.owner,
            secret_box=_secret_box(),
            embedder=embedder,
            max_pages=None if in_process else pages_per_task(),
        )
    if not result.done and not in_process:
        if run.fenced:
            assert run.number is not None
            async with db.tenant_session(tenant_id) as session:
                done = await steps.mark_step_done(
                    session, tenant_id, run.job_id, run.owner, step=run.number
                )
            if not done:
                return "stale"
        next_step.enqueue("ingestion.sync.step", run.next_sender(tenant_id))
    await next_step.send_all()
    return result.status


async def _mark_failed(
    db: Database, tenant_id: TenantId, job_id: uuid.UUID, owner: str, reason: str
) -> None:
    """Owner-guarded: a job another process took over, or that already ended, is left."""
    try:
        async with db.tenant_session(tenant_id) as session:
            await jobs.finish_job(
                session, tenant_id, job_id, owner, status=SyncJobStatus.FAILED, error=reason
            )
    except Exception:
        # The database itself may be what failed; the job then turns stale and the next
        # scheduled start takes it over from its checkpoint.
        log.warning("could not mark sync job %s failed", job_id, exc_info=True)


def sync_step_sender(
    tenant_id: TenantId,
    job_id: uuid.UUID,
    owner: str,
    *,
    mode: str | None = None,
    step: int | None = 0,
) -> Send:
    """How a committed, claimed job is handed to a worker: the `ingestion.sync.step` task,
    on its mode's queue; a new job's first step is step 0 of its fence."""
    return celery_send(
        sync_step_task,
        tenant_id=str(tenant_id),
        job_id=str(job_id),
        owner=owner,
        mode=mode,
        step=step,
    )


@tenant_task("ingestion.sync.start", queue_by_sync_mode=True, with_task_id=True)
async def start_sync_task(
    db: Database,
    tenant_id: TenantId,
    *,
    store_id: str,
    mode: str = "incremental",
    trigger: str = "schedule",
    task_id: str | None = None,
) -> str:
    try:
        claim = await start_sync(
            db, tenant_id, uuid.UUID(store_id), mode=mode, trigger=trigger, task_id=task_id
        )
    except Conflict:
        # A redelivered start (its worker died) finds the job it created by its task id
        # (written with the job: `steps.started_by`).
        async with db.tenant_session(tenant_id) as session:
            own = (
                await steps.step_of_task(session, tenant_id, uuid.UUID(store_id), task_id)
                if task_id is not None
                else None
            )
        if own is None:
            log.info("store %s is already syncing; %s sync skipped", store_id, mode)
            return "skipped"
        return await _continue_job(db, tenant_id, StepRun(*own, mode, 0, task_id))
    return await _continue_job(db, tenant_id, StepRun(claim.job.id, claim.owner, mode, 0, task_id))


@tenant_task("ingestion.sync.step", queue_by_sync_mode=True, with_task_id=True)
async def sync_step_task(
    db: Database,
    tenant_id: TenantId,
    *,
    job_id: str,
    owner: str,
    mode: str | None = None,
    step: int | None = None,
    task_id: str | None = None,
) -> str:
    # `step` None: a message from before steps were fenced, run unfenced.
    return await _continue_job(
        db, tenant_id, StepRun(uuid.UUID(job_id), owner, mode, step, task_id)
    )


# --- webhooks -----------------------------------------------------------------------------
@tenant_task("ingestion.webhooks.apply", routed_to=TaskQueue.WEBHOOKS)
async def apply_webhook_task(db: Database, tenant_id: TenantId, *, event_id: str) -> str:
    async with _task_embedder() as embedder:
        return await apply_webhook_event(
            db, tenant_id, uuid.UUID(event_id), secret_box=_secret_box(), embedder=embedder
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
        if apply_inline and embedder is not None:
            await apply_webhook_event(
                db,
                tenant_id,
                event_id,
                secret_box=secret_box,
                embedder=embedder,
                source_factory=source_factory,
            )
        elif apply_inline:
            async with _task_embedder() as built:
                await apply_webhook_event(
                    db,
                    tenant_id,
                    event_id,
                    secret_box=secret_box,
                    embedder=built,
                    source_factory=source_factory,
                )
        else:
            # The event's row is committed: receive_woocommerce_webhook is its unit of work.
            await celery_send(
                apply_webhook_task, tenant_id=str(tenant_id), event_id=str(event_id)
            )()

    return dispatch


# --- the schedule (no tenant: it reads store ids, then hands each to a tenant task) ------
async def active_stores(db: Database | None = None) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(tenant, store) of every store not disconnected, via the SECURITY DEFINER lookup."""
    if db is None:
        async with open_runtime(get_settings()) as runtime:
            return await active_stores(runtime.db)
    return [(s.tenant_id, s.store_id) for s in await schedule.active_stores(db)]


def _fan_out(mode: str) -> int:
    return asyncio.run(_start_syncs_of_active_stores(mode))


async def _start_syncs_of_active_stores(mode: str, db: Database | None = None) -> int:
    """Enqueue a start task per store due for a scheduled `mode` sync (`ingestion.schedule`
    decides: the plan's sync frequency, suspended stores skipped); how many were started."""
    if db is None:
        async with open_runtime(get_settings()) as runtime:
            return await _start_syncs_of_active_stores(mode, runtime.db)
    starts = AfterCommitJobs()
    stores = await schedule.stores_to_start(
        db,
        await schedule.active_stores(db),
        mode=SyncMode(mode),
        every=timedelta(seconds=INCREMENTAL_EVERY_S),
        now=datetime.now(UTC),
    )
    for store in stores:
        starts.enqueue(
            "ingestion.sync.start",
            celery_send(
                start_sync_task,
                tenant_id=str(store.tenant_id),
                store_id=str(store.store_id),
                mode=mode,
                trigger="schedule",
            ),
        )
    await starts.send_all()
    return len(stores)


@celery_app.task(name="ingestion.schedule.incremental", acks_late=True, routed_to=TaskQueue.SYNC)
def schedule_incremental_syncs() -> int:
    return _fan_out("incremental")


@celery_app.task(name="ingestion.schedule.reconcile", acks_late=True, routed_to=TaskQueue.SYNC)
def schedule_reconciles() -> int:
    return _fan_out("reconcile")


@celery_app.task(name="ingestion.vector_indexes.sweep", acks_late=True, routed_to=TaskQueue.BULK)
def sweep_vector_indexes_task() -> int:
    """How many indexes the sweep dropped (idempotent: a second run finds none to drop)."""
    upkeeps = asyncio.run(sweep_vector_indexes())
    return sum(1 for upkeep in upkeeps if upkeep.change == "dropped")
