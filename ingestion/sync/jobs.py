"""The `sync_jobs` table: the per-store lock, progress a dashboard polls, and checkpoints.

One row per run. The partial unique index on `store_id` (status queued or running) is the
lock: a second start is a `Conflict`, unless the active row is *stale* (no heartbeat for
`stale_after`), in which case the caller takes it over and resumes from its checkpoint.
Every write that belongs to a run is guarded by the run's `owner` token, so a process that
lost its job to a takeover notices at its next heartbeat and stops instead of racing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from core.ids import TenantId
from core.models import SyncJob

COUNT_KEYS = ("seen", "created", "updated", "unchanged", "deleted", "chunks_written", "errors")
SYNC_MODES = ("full", "incremental", "reconcile")
DEFAULT_STALE_AFTER = timedelta(minutes=10)
# A failed run younger than this is resumed from its checkpoint by the next run of its mode.
RESUME_WINDOW = timedelta(hours=24)


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(COUNT_KEYS, 0)


@dataclass
class JobClaim:
    """A job this process now runs, and how it came to run it."""

    job: SyncJob
    owner: str
    resumed: bool = False
    checkpoint: dict[str, Any] = field(default_factory=dict)


def job_record(job: SyncJob) -> dict[str, Any]:
    """The public shape of a job (CLI `--json`, dashboard)."""
    return {
        "id": str(job.id),
        "store_id": str(job.store_id),
        "mode": job.mode,
        "trigger": job.trigger,
        "status": job.status,
        "total": job.total,
        "processed": job.processed,
        "counts": {**empty_counts(), **(job.counts or {})},
        "error": job.error,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "heartbeat_at": job.heartbeat_at.isoformat() if job.heartbeat_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


async def get_job(session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID) -> SyncJob:
    job = await session.scalar(
        select(SyncJob).where(SyncJob.tenant_id == tenant_id, SyncJob.id == job_id)
    )
    if job is None:
        raise NotFound("sync job not found")
    return job


async def active_job(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID
) -> SyncJob | None:
    return await session.scalar(
        select(SyncJob).where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.store_id == store_id,
            SyncJob.status.in_(("queued", "running")),
        )
    )


async def latest_jobs(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, limit: int = 20
) -> list[SyncJob]:
    rows = await session.scalars(
        select(SyncJob)
        .where(SyncJob.tenant_id == tenant_id, SyncJob.store_id == store_id)
        .order_by(SyncJob.created_at.desc())
        .limit(limit)
    )
    return list(rows)


async def _resumable_checkpoint(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, mode: str
) -> tuple[dict[str, Any], dict[str, int], int] | None:
    """The checkpoint of the newest run of this store if it failed part-way in `mode`."""
    last = await session.scalar(
        select(SyncJob)
        .where(SyncJob.tenant_id == tenant_id, SyncJob.store_id == store_id)
        .order_by(SyncJob.created_at.desc())
        .limit(1)
    )
    if last is None or last.status != "failed" or last.mode != mode:
        return None
    checkpoint = dict(last.checkpoint or {})
    if not checkpoint.get("next_page") or checkpoint.get("done"):
        return None
    finished = last.finished_at or last.created_at
    now = await session.scalar(select(func.now()))
    if finished is None or now - finished > RESUME_WINDOW:
        return None
    checkpoint["resumed_from"] = str(last.id)
    return checkpoint, {**empty_counts(), **(last.counts or {})}, last.processed


async def create_job(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    mode: str,
    trigger: str = "manual",
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> JobClaim:
    """Insert a queued job, or take over a stale active one; else `Conflict`."""
    if mode not in SYNC_MODES:
        raise Conflict(f"unknown sync mode {mode!r}")
    owner = uuid.uuid4().hex
    resumable = await _resumable_checkpoint(session, tenant_id, store_id, mode)
    checkpoint, counts, processed = resumable or ({}, empty_counts(), 0)
    checkpoint = {**checkpoint, "owner": owner}
    statement = (
        insert(SyncJob)
        .values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            store_id=store_id,
            mode=mode,
            trigger=trigger,
            status="queued",
            processed=processed,
            counts=counts,
            checkpoint=checkpoint,
        )
        .on_conflict_do_nothing(
            index_elements=["store_id"], index_where=text("status IN ('queued', 'running')")
        )
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    job_id = await session.scalar(statement)
    if job_id is not None:
        job = await get_job(session, tenant_id, job_id)
        return JobClaim(job=job, owner=owner, resumed=resumable is not None, checkpoint=checkpoint)
    taken = await take_over_stale(session, tenant_id, store_id, stale_after=stale_after)
    if taken is not None:
        return taken
    existing = await active_job(session, tenant_id, store_id)
    raise Conflict(
        "a sync is already running for this store",
        job_id=str(existing.id) if existing else None,
    )


async def take_over_stale(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, *, stale_after: timedelta
) -> JobClaim | None:
    """Claim the store's active job if its last sign of life is older than `stale_after`.

    The UPDATE re-checks staleness under the row lock, so of two processes racing for the
    same stale job exactly one wins; the other sees a fresh heartbeat and gets nothing.
    """
    owner = uuid.uuid4().hex
    job_id = await session.scalar(
        update(SyncJob)
        .where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.store_id == store_id,
            SyncJob.status.in_(("queued", "running")),
            func.coalesce(SyncJob.heartbeat_at, SyncJob.created_at)
            < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, stale_after.total_seconds()),
        )
        .values(
            checkpoint=SyncJob.checkpoint.op("||")(func.jsonb_build_object("owner", owner)),
            heartbeat_at=func.now(),
        )
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    if job_id is None:
        return None
    job = await session.scalar(
        select(SyncJob).where(SyncJob.id == job_id).execution_options(populate_existing=True)
    )
    assert job is not None
    return JobClaim(job=job, owner=owner, resumed=True, checkpoint=dict(job.checkpoint))


async def claim_for_run(
    session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID, owner: str
) -> SyncJob | None:
    """Mark the job running (first step of each task); None if someone else owns it now."""
    values: dict[str, Any] = {"status": "running", "heartbeat_at": func.now()}
    job_id_out = await session.scalar(
        update(SyncJob)
        .where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.id == job_id,
            SyncJob.status.in_(("queued", "running")),
            SyncJob.checkpoint["owner"].astext == owner,
        )
        .values(**values, started_at=func.coalesce(SyncJob.started_at, func.now()))
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    if job_id_out is None:
        return None
    return await session.scalar(
        select(SyncJob).where(SyncJob.id == job_id).execution_options(populate_existing=True)
    )


async def record_progress(
    session: AsyncSession,
    tenant_id: TenantId,
    job_id: uuid.UUID,
    owner: str,
    *,
    processed: int,
    counts: dict[str, int],
    checkpoint: dict[str, Any],
    total: int | None,
) -> bool:
    """Heartbeat + progress + checkpoint, in the caller's transaction (the page's)."""
    updated = await session.scalar(
        update(SyncJob)
        .where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.id == job_id,
            SyncJob.status == "running",
            SyncJob.checkpoint["owner"].astext == owner,
        )
        .values(
            processed=processed,
            counts=counts,
            checkpoint={**checkpoint, "owner": owner},
            total=func.coalesce(total, SyncJob.total),
            heartbeat_at=func.now(),
        )
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    return updated is not None


async def finish_job(
    session: AsyncSession,
    tenant_id: TenantId,
    job_id: uuid.UUID,
    owner: str,
    *,
    status: str,
    error: str | None = None,
) -> bool:
    updated = await session.scalar(
        update(SyncJob)
        .where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.id == job_id,
            SyncJob.status.in_(("queued", "running")),
            SyncJob.checkpoint["owner"].astext == owner,
        )
        .values(status=status, error=error, finished_at=func.now(), heartbeat_at=func.now())
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    return updated is not None


async def cancel_job(session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID) -> bool:
    """Operator/dashboard cancel: the running process stops at its next heartbeat."""
    updated = await session.scalar(
        update(SyncJob)
        .where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.id == job_id,
            SyncJob.status.in_(("queued", "running")),
        )
        .values(status="cancelled", finished_at=func.now())
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    return updated is not None
