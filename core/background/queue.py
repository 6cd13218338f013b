"""Background jobs are sent only after the unit of work that asked for them has committed.

A service that wants work done in the background (run a sync job it created, run the next
step of a sync) does not talk to Celery or start a task itself: it adds the job to the
`AfterCommitJobs` of the unit of work it runs in (`jobs_of(session).enqueue(...)`). The
edge that owns the transaction opens it with `sending_jobs_after_commit`, which sends the
collected jobs once the commit succeeded and drops them when the transaction rolls back.
So a worker never looks for a row that is not committed yet, and no job is sent for a
change that was never kept (polar's JobQueueManager follows the same rule).

Sending is what the job's `send` does: hand it to Celery (`celery_send`), or run it in
this process when there is no broker (the caller decides; see `runs_in_process`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)

Send = Callable[[], Awaitable[None]]

# Where a session opened by `sending_jobs_after_commit` keeps its queue (`session.info`).
JOBS_KEY = "shopbot_after_commit_jobs"


class JobNotSent(Exception):
    """A job could not be handed over after its unit of work committed."""

    def __init__(self, name: str) -> None:
        super().__init__(f"background job {name!r} could not be sent")
        self.name = name


@dataclass(frozen=True)
class PendingJob:
    name: str
    send: Send
    # Runs (in its own transaction) when `send` failed: undo what waits for the job.
    if_not_sent: Send | None = None


class AfterCommitJobs:
    """The jobs one unit of work asked for, in the order it asked."""

    def __init__(self) -> None:
        self._pending: list[PendingJob] = []

    def enqueue(self, name: str, send: Send, *, if_not_sent: Send | None = None) -> None:
        self._pending.append(PendingJob(name, send, if_not_sent))

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(job.name for job in self._pending)

    def discard(self) -> None:
        """The unit of work rolled back: nothing it asked for may run."""
        self._pending.clear()

    async def send_all(self) -> None:
        """Send every pending job (the unit of work has committed). A job that fails is
        logged and compensated; the others are still sent; then `JobNotSent` names the
        first that failed."""
        pending, self._pending = self._pending, []
        failed: list[tuple[PendingJob, Exception]] = []
        for job in pending:
            try:
                await job.send()
            except Exception as error:
                log.exception("could not send background job %s", job.name)
                failed.append((job, error))
        for failed_job, _ in failed:
            if failed_job.if_not_sent is not None:
                await failed_job.if_not_sent()
        if failed:
            first_job, first_error = failed[0]
            raise JobNotSent(first_job.name) from first_error


def jobs_of(session: AsyncSession) -> AfterCommitJobs:
    """The queue of the unit of work `session` belongs to."""
    jobs = session.info.get(JOBS_KEY)
    if not isinstance(jobs, AfterCommitJobs):
        # Refused rather than sent at once: nothing would wait for the commit.
        raise RuntimeError("this session was not opened with sending_jobs_after_commit")
    return jobs


@asynccontextmanager
async def sending_jobs_after_commit(
    transaction: AbstractAsyncContextManager[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """Run `transaction` (e.g. `db.tenant_session(tenant_id)`, which commits on a clean
    exit) as a unit of work whose jobs are sent after it committed, or dropped."""
    jobs = AfterCommitJobs()
    async with transaction as session:
        session.info[JOBS_KEY] = jobs
        try:
            yield session
        except BaseException:
            jobs.discard()
            raise
        finally:
            session.info.pop(JOBS_KEY, None)
    await jobs.send_all()


def celery_send(task: Any, **kwargs: Any) -> Send:
    """A `send` that queues `task` with keyword arguments on the broker (off the event
    loop: the broker client blocks)."""

    async def send() -> None:
        await asyncio.to_thread(task.apply_async, kwargs=kwargs)

    return send
