"""The `sync_jobs` table: the per-store lock, progress a dashboard polls, and checkpoints.

One row per run. The partial unique index on `store_id` (status queued or running) is the
lock: a second start is a `Conflict`, unless the active row is *stale* (no heartbeat for
`stale_after`), in which case the caller takes it over and resumes from its checkpoint.
Every write that belongs to a run is guarded by the run's `owner` token, so a process that
lost its job to a takeover notices at its next heartbeat and stops instead of racing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer
from sqlalchemy import cast, func, select, text, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.rows import tenant_row
from core.errors import Conflict
from core.ids import TenantId
from core.models import SyncJob
from core.models.sync import (
    ACTIVE_JOB_PREDICATE,
    ACTIVE_JOB_STATUSES,
    SyncJobStatus,
    SyncMode,
    SyncTrigger,
)
from ingestion.indexing.service import BatchCounts

DEFAULT_STALE_AFTER = timedelta(minutes=10)
# A failed run younger than this is resumed from its checkpoint by the next run of its mode.
RESUME_WINDOW = timedelta(hours=24)

# `datetime.isoformat()` ("+00:00"), as the CLI's `--json` has always printed it; pydantic's
# own JSON form would write "Z".
IsoDatetime = Annotated[datetime, PlainSerializer(datetime.isoformat, when_used="json")]


_COUNT_NAMES = frozenset(asdict(BatchCounts()))


def counts_of(stored: dict[str, int] | None) -> BatchCounts:
    """A job's running totals from its JSONB column (keys it lacks count zero)."""
    known = {name: int(value) for name, value in (stored or {}).items() if name in _COUNT_NAMES}
    return BatchCounts(**known)


class SyncJobRecord(BaseModel):
    """The public shape of a job: `shopbot sync --json` prints it, the dashboard's
    `SyncJobOut` is built from it. Field order is the JSON's key order."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    store_id: uuid.UUID
    mode: SyncMode
    trigger: SyncTrigger
    status: SyncJobStatus
    total: int | None
    processed: int
    counts: BatchCounts
    error: str | None
    # What the run could not do without failing, e.g. products the plan's product quota
    # left out: [{"code": "product_quota", "detail", "limit", "skipped", "plan"}].
    warnings: list[dict[str, Any]]
    created_at: IsoDatetime | None
    started_at: IsoDatetime | None
    heartbeat_at: IsoDatetime | None
    finished_at: IsoDatetime | None


def job_record(job: SyncJob) -> SyncJobRecord:
    return SyncJobRecord(
        id=job.id,
        store_id=job.store_id,
        mode=SyncMode(job.mode),
        trigger=SyncTrigger(job.trigger),
        status=SyncJobStatus(job.status),
        total=job.total,
        processed=job.processed,
        counts=counts_of(job.counts),
        error=job.error,
        warnings=list(job.warnings or []),
        created_at=job.created_at,
        started_at=job.started_at,
        heartbeat_at=job.heartbeat_at,
        finished_at=job.finished_at,
    )


@dataclass
class JobClaim:
    """A job this process now runs, and how it came to run it."""

    job: SyncJob
    owner: str
    resumed: bool = False
    checkpoint: dict[str, Any] = field(default_factory=dict)


async def get_job(session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID) -> SyncJob:
    return await tenant_row(session, SyncJob, tenant_id, job_id, missing="sync job not found")


async def active_job(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID
) -> SyncJob | None:
    return await session.scalar(
        select(SyncJob).where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.store_id == store_id,
            SyncJob.status.in_(ACTIVE_JOB_STATUSES),
        )
    )


async def _resumable_checkpoint(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, mode: SyncMode
) -> tuple[dict[str, Any], BatchCounts, int] | None:
    """The checkpoint of the newest run of this store if it failed part-way in `mode`."""
    last = await session.scalar(
        select(SyncJob)
        .where(SyncJob.tenant_id == tenant_id, SyncJob.store_id == store_id)
        .order_by(SyncJob.created_at.desc())
        .limit(1)
    )
    if last is None or last.status != SyncJobStatus.FAILED or last.mode != mode:
        return None
    checkpoint = dict(last.checkpoint or {})
    if not checkpoint.get("next_page") or checkpoint.get("done"):
        return None
    finished = last.finished_at or last.created_at
    now = await session.scalar(select(func.now()))
    if finished is None or now is None or now - finished > RESUME_WINDOW:
        return None
    checkpoint["resumed_from"] = str(last.id)
    return checkpoint, counts_of(last.counts), last.processed


async def create_job(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    mode: str,
    trigger: str = SyncTrigger.MANUAL,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    fence: Callable[[str], dict[str, Any]] | None = None,
) -> JobClaim:
    """Insert a queued job, or take over a stale active one; else `Conflict`.

    `mode` and `trigger` arrive as text from the CLI, the API and task arguments; an
    unknown mode is the caller's `Conflict`, an unknown trigger a bug (ValueError).
    `fence(owner)`: checkpoint entries written with the claim, in its transaction (a start
    task's step fence, `ingestion.sync.steps.started_by`)."""
    try:
        sync_mode = SyncMode(mode)
    except ValueError:
        raise Conflict(f"unknown sync mode {mode!r}") from None
    sync_trigger = SyncTrigger(trigger)
    owner = uuid.uuid4().hex
    resumable = await _resumable_checkpoint(session, tenant_id, store_id, sync_mode)
    checkpoint, counts, processed = resumable or ({}, BatchCounts(), 0)
    checkpoint = {**checkpoint, **(fence(owner) if fence else {}), "owner": owner}
    statement = (
        insert(SyncJob)
        .values(
            id=uuid.uuid4(),
            tenant_id=tenant_id,
            store_id=store_id,
            mode=sync_mode,
            trigger=sync_trigger,
            status=SyncJobStatus.QUEUED,
            processed=processed,
            counts=asdict(counts),
            checkpoint=checkpoint,
        )
        .on_conflict_do_nothing(
            index_elements=["tenant_id", "store_id"], index_where=text(ACTIVE_JOB_PREDICATE)
        )
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    job_id = await session.scalar(statement)
    if job_id is not None:
        job = await get_job(session, tenant_id, job_id)
        return JobClaim(job=job, owner=owner, resumed=resumable is not None, checkpoint=checkpoint)
    taken = await take_over_stale(
        session, tenant_id, store_id, stale_after=stale_after, fence=fence
    )
    if taken is not None:
        return taken
    existing = await active_job(session, tenant_id, store_id)
    raise Conflict(
        "a sync is already running for this store",
        job_id=str(existing.id) if existing else None,
    )


async def _update_job(
    session: AsyncSession,
    tenant_id: TenantId,
    job_id: uuid.UUID,
    *,
    statuses: Iterable[SyncJobStatus],
    owner: str | None,
    values: dict[str, Any],
) -> bool:
    """Update the job if it is in one of `statuses` and (given an `owner`) still this
    owner's; False when it is not, i.e. the job was taken over, cancelled or finished."""
    conditions = [
        SyncJob.tenant_id == tenant_id,
        SyncJob.id == job_id,
        SyncJob.status.in_(tuple(statuses)),
    ]
    if owner is not None:
        conditions.append(SyncJob.checkpoint["owner"].astext == owner)
    updated = await session.scalar(
        update(SyncJob)
        .where(*conditions)
        .values(**values)
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    return updated is not None


async def _reload(session: AsyncSession, job_id: uuid.UUID) -> SyncJob | None:
    """The row as an UPDATE just left it (not the copy the session may hold)."""
    return await session.scalar(
        select(SyncJob).where(SyncJob.id == job_id).execution_options(populate_existing=True)
    )


async def take_over_stale(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    stale_after: timedelta,
    fence: Callable[[str], dict[str, Any]] | None = None,
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
            SyncJob.status.in_(ACTIVE_JOB_STATUSES),
            func.coalesce(SyncJob.heartbeat_at, SyncJob.created_at)
            < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, stale_after.total_seconds()),
        )
        .values(
            checkpoint=SyncJob.checkpoint.op("||")(
                cast({**(fence(owner) if fence else {}), "owner": owner}, JSONB)
            ),
            heartbeat_at=func.now(),
        )
        .returning(SyncJob.id)
        .execution_options(synchronize_session=False)
    )
    if job_id is None:
        return None
    job = await _reload(session, job_id)
    assert job is not None
    return JobClaim(job=job, owner=owner, resumed=True, checkpoint=dict(job.checkpoint))


async def claim_for_run(
    session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID, owner: str
) -> SyncJob | None:
    """Mark the job running (first step of each task); None if someone else owns it now."""
    values = {
        "status": SyncJobStatus.RUNNING,
        "heartbeat_at": func.now(),
        "started_at": func.coalesce(SyncJob.started_at, func.now()),
    }
    if not await _update_job(
        session, tenant_id, job_id, statuses=ACTIVE_JOB_STATUSES, owner=owner, values=values
    ):
        return None
    return await _reload(session, job_id)


async def record_progress(
    session: AsyncSession,
    tenant_id: TenantId,
    job_id: uuid.UUID,
    owner: str,
    *,
    processed: int,
    counts: BatchCounts,
    checkpoint: dict[str, Any],
    total: int | None,
) -> bool:
    """Heartbeat + progress + checkpoint, in the caller's transaction (the page's)."""
    values = {
        "processed": processed,
        "counts": asdict(counts),
        "checkpoint": {**checkpoint, "owner": owner},
        "total": func.coalesce(total, SyncJob.total),
        "heartbeat_at": func.now(),
    }
    return await _update_job(
        session, tenant_id, job_id, statuses=[SyncJobStatus.RUNNING], owner=owner, values=values
    )


async def finish_job(
    session: AsyncSession,
    tenant_id: TenantId,
    job_id: uuid.UUID,
    owner: str,
    *,
    status: SyncJobStatus,
    error: str | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> bool:
    values: dict[str, Any] = {
        "status": status,
        "error": error,
        "finished_at": func.now(),
        "heartbeat_at": func.now(),
    }
    if warnings is not None:
        values["warnings"] = warnings
    return await _update_job(
        session, tenant_id, job_id, statuses=ACTIVE_JOB_STATUSES, owner=owner, values=values
    )


async def cancel_job(session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID) -> bool:
    """Operator/dashboard cancel: the running process stops at its next heartbeat."""
    values = {"status": SyncJobStatus.CANCELLED, "finished_at": func.now()}
    return await _update_job(
        session, tenant_id, job_id, statuses=ACTIVE_JOB_STATUSES, owner=None, values=values
    )
