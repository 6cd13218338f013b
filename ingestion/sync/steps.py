"""Which Celery step of a sync may run: a fence in the job's checkpoint against duplicates.

A step task is acknowledged only when it ends (`acks_late`), so a step can arrive twice:
redelivered after its worker died (mid-slice, or after it sent the next step but before
its acknowledgement), or sent again by a redelivered predecessor. Running a slice twice
at once could interleave two writes of the same page, and a step that ran twice would
send two successors, a second chain walking the same job. The fence keeps one chain:

- the job's checkpoint holds `{"owner", "step", "task", "done"}`: the step number last
  claimed, the Celery task id that claimed it, and the last step whose slice finished;
- step n+1 runs when step n is done (`done == step == n`): the next step, as sent;
- step n runs again only as the same task (same id: a redelivery of that message):
  resuming its slice from the committed checkpoint if it was cut short, or, if its slice
  was done, sending step n+1 once more (it may never have been sent); of two copies of
  step n+1 the second finds the fence moved on and stops;
- anything else is stale and stops without touching the job.

The claim takes the job's row lock, so two copies arriving together are decided one after
the other. A new run or a takeover has a new owner, which starts the fence again at 0.
Two deliveries of one message running at the same moment happen only when a slice
outlives the visibility timeout; the timeout is set far above a slice for that reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import SyncJob
from core.models.sync import ACTIVE_JOB_STATUSES

FENCE_KEY = "step_fence"


class StepDecision(StrEnum):
    RUN = "run"  # run a slice (the next step, or this step's redelivery resuming)
    RESEND = "resend"  # this step's slice was done: send the next step again
    STALE = "stale"  # another copy or chain owns the job: stop


async def _locked(session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID) -> SyncJob | None:
    return await session.scalar(
        select(SyncJob)
        .where(SyncJob.tenant_id == tenant_id, SyncJob.id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _fence(job: SyncJob, owner: str) -> dict[str, Any]:
    fence = dict((job.checkpoint or {}).get(FENCE_KEY) or {})
    if fence.get("owner") != owner:
        return {"owner": owner, "step": -1, "task": None, "done": -1}
    return fence


async def _write(session: AsyncSession, job: SyncJob, fence: dict[str, Any]) -> None:
    await session.execute(
        update(SyncJob)
        .where(SyncJob.id == job.id)
        .values(checkpoint={**(job.checkpoint or {}), FENCE_KEY: fence})
        .execution_options(synchronize_session=False)
    )


def started_by(task_id: str) -> Callable[[str], dict[str, Any]]:
    """The fence a start task writes with the job it creates or takes over (`jobs.create_job`'s
    `fence`), in that transaction: step 0 is then the task's from the moment the job exists,
    so a start redelivered after its worker died before claiming step 0 still finds its own
    job (`step_of_task`) and runs it, instead of taking it for another's and leaving it to
    go stale."""

    def fence(owner: str) -> dict[str, Any]:
        return {FENCE_KEY: {"owner": owner, "step": -1, "task": task_id, "done": -1}}

    return fence


async def claim_step(
    session: AsyncSession,
    tenant_id: TenantId,
    job_id: uuid.UUID,
    owner: str,
    *,
    step: int,
    task_id: str,
) -> StepDecision:
    job = await _locked(session, tenant_id, job_id)
    if job is None or job.status not in ACTIVE_JOB_STATUSES:
        return StepDecision.STALE
    if (job.checkpoint or {}).get("owner") != owner:
        return StepDecision.STALE
    fence = _fence(job, owner)
    if step == fence["step"] + 1 and fence["done"] == fence["step"]:
        decision = StepDecision.RUN
    elif step == fence["step"] and fence["task"] == task_id:
        decision = StepDecision.RUN if fence["done"] < step else StepDecision.RESEND
    else:
        return StepDecision.STALE
    await _write(session, job, {**fence, "step": step, "task": task_id})
    return decision


async def mark_step_done(
    session: AsyncSession, tenant_id: TenantId, job_id: uuid.UUID, owner: str, *, step: int
) -> bool:
    """The slice of `step` is committed: its successor may now claim. False if the fence
    moved on meanwhile (then no successor is sent)."""
    job = await _locked(session, tenant_id, job_id)
    if job is None or job.status not in ACTIVE_JOB_STATUSES:
        return False
    fence = _fence(job, owner)
    if fence["step"] != step:
        return False
    await _write(session, job, {**fence, "done": step})
    return True


async def step_of_task(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, task_id: str
) -> tuple[uuid.UUID, str] | None:
    """(job, owner) of the store's active job if `task_id` claimed its current step: a
    redelivered start task finds the job it created."""
    job = await session.scalar(
        select(SyncJob).where(
            SyncJob.tenant_id == tenant_id,
            SyncJob.store_id == store_id,
            SyncJob.status.in_(ACTIVE_JOB_STATUSES),
        )
    )
    if job is None:
        return None
    fence = (job.checkpoint or {}).get(FENCE_KEY) or {}
    owner = (job.checkpoint or {}).get("owner")
    if fence.get("task") != task_id or fence.get("owner") != owner or owner is None:
        return None
    return job.id, str(owner)
