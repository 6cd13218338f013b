"""The after-commit job queue: jobs are sent once the unit of work committed, in order,
never for one that rolled back; a job that cannot be sent is compensated and reported."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.background.queue import JobNotSent, jobs_of, sending_jobs_after_commit


class Transaction:
    """Stands in for `Database.tenant_session`: records what happened, in order."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        session = AsyncSession()
        try:
            yield session
        except BaseException:
            self.log.append("rolled back")
            raise
        self.log.append("committed")


def recorder(log: list[str], name: str):
    async def send() -> None:
        log.append(name)

    return send


async def test_jobs_are_sent_after_the_commit_in_the_order_they_were_asked_for() -> None:
    log: list[str] = []
    async with sending_jobs_after_commit(Transaction(log)()) as session:
        jobs_of(session).enqueue("first", recorder(log, "sent first"))
        jobs_of(session).enqueue("second", recorder(log, "sent second"))
        assert jobs_of(session).pending == ("first", "second")
        assert log == []
    assert log == ["committed", "sent first", "sent second"]


async def test_nothing_is_sent_when_the_unit_of_work_rolls_back() -> None:
    log: list[str] = []
    with pytest.raises(ValueError):
        async with sending_jobs_after_commit(Transaction(log)()) as session:
            jobs_of(session).enqueue("never", recorder(log, "sent"))
            raise ValueError("the request failed")
    assert log == ["rolled back"]


async def test_a_job_that_cannot_be_sent_is_compensated_and_reported() -> None:
    log: list[str] = []

    async def broken() -> None:
        raise RuntimeError("broker down")

    with pytest.raises(JobNotSent) as raised:
        async with sending_jobs_after_commit(Transaction(log)()) as session:
            jobs_of(session).enqueue("run", broken, if_not_sent=recorder(log, "cancelled"))
            jobs_of(session).enqueue("email", recorder(log, "sent email"))
    assert raised.value.name == "run" and isinstance(raised.value.__cause__, RuntimeError)
    assert log == ["committed", "sent email", "cancelled"]


def test_a_session_outside_a_unit_of_work_refuses_jobs() -> None:
    with pytest.raises(RuntimeError):
        jobs_of(AsyncSession())
