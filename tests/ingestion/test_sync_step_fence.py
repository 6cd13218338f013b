"""Sync steps delivered twice (acks_late): the same message redelivered resumes its slice or
re-sends its successor; any other copy stops; one chain of steps walks the job to the end
with exactly the store's catalogue. Steps are run here as a worker runs them, one task at
a time, with the broker replaced by a list (the fence is what is tested, not Redis)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from core.background.celery_app import tenant_id_from_task_argument
from core.crypto import SecretBox
from core.db.database import Database
from ingestion import tasks
from ingestion.sync import steps
from tests.dashboard_api.support import HashingEmbedder
from tests.support.sync import assert_parity, connect_store, jobs_of, new_tenant
from tests.support.woo_store import FakeWooStore


@pytest.fixture
def sent(
    fake_store_allowed_by_settings: FakeWooStore,
    monkeypatch: pytest.MonkeyPatch,
) -> list[dict[str, Any]]:
    queue: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks, "SYNC_PAGES_PER_TASK", 1)
    monkeypatch.setattr(tasks, "runs_in_process", lambda: False)
    # Hashed vectors: the fence is under test, not the model (MiniLM would cost a minute).
    monkeypatch.setattr(tasks, "_worker_embedder", HashingEmbedder)
    monkeypatch.setattr(tasks.sync_step_task, "apply_async", lambda kwargs: queue.append(kwargs))
    return queue


class WorkerDied(Exception):
    pass


async def _worker_dies(*_: object) -> str:
    raise WorkerDied


async def _step(db: Database, message: dict[str, Any], task_id: str) -> str:
    fields = {k: v for k, v in message.items() if k != "tenant_id"}
    tenant = tenant_id_from_task_argument(message["tenant_id"])
    return await tasks.sync_step_task.job(db, tenant, **fields, task_id=task_id)


async def test_a_redelivered_start_resumes_its_own_job_and_a_copy_of_a_step_stops(
    committed_db: Database,
    secret_box: SecretBox,
    fake_store: FakeWooStore,
    sent: list[dict[str, Any]],
) -> None:
    db = committed_db
    tenant = await new_tenant(db)
    store_id = await connect_store(db, secret_box, tenant, fake_store)
    start = {"store_id": str(store_id), "mode": "full", "trigger": "schedule"}

    # The start ran its slice and sent step 1, then its worker died before acknowledging.
    assert await tasks.start_sync_task.job(db, tenant, **start, task_id="start-1") == "running"
    [step_one] = sent
    assert step_one["step"] == 1 and step_one["mode"] == "full"
    # Redelivered: it finds its own job (not "skipped") and, its slice being done, sends
    # step 1 again, since it cannot know whether the first was sent.
    assert await tasks.start_sync_task.job(db, tenant, **start, task_id="start-1") == "running"
    assert sent == [step_one, step_one]
    # Another start (a second schedule tick) is a different task: skipped, nothing sent.
    assert await tasks.start_sync_task.job(db, tenant, **start, task_id="start-2") == "skipped"
    assert len(sent) == 2

    # The two copies of step 1: the first runs the last slice, the second stops.
    assert await _step(db, step_one, "step-1a") == "succeeded"
    assert await _step(db, step_one, "step-1b") == "stale"
    assert len(sent) == 2  # no step 2: the job is done
    [job] = await jobs_of(db, tenant, store_id)
    assert job.status == "succeeded"
    await assert_parity(db, tenant, store_id, fake_store)


async def test_a_start_that_died_before_claiming_its_job_finds_it_when_redelivered(
    committed_db: Database,
    secret_box: SecretBox,
    fake_store: FakeWooStore,
    sent: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = committed_db
    tenant = await new_tenant(db)
    store_id = await connect_store(db, secret_box, tenant, fake_store)
    start = {"store_id": str(store_id), "mode": "full", "trigger": "schedule"}
    # The start created its job (committed) and its worker died before step 0 was claimed:
    # the process ends where the task would go on to claim it.
    with monkeypatch.context() as dying:
        dying.setattr(tasks, "_continue_job", _worker_dies)
        with pytest.raises(WorkerDied):
            await tasks.start_sync_task.job(db, tenant, **start, task_id="start-1")
    [created] = await jobs_of(db, tenant, store_id)
    assert created.status == "queued" and sent == []

    # Another start meanwhile is another task: the job is not its own, it is skipped.
    assert await tasks.start_sync_task.job(db, tenant, **start, task_id="start-2") == "skipped"
    # The redelivered start runs the job it created (before: "skipped", and the job waited
    # to go stale), then its steps walk it to the end.
    assert await tasks.start_sync_task.job(db, tenant, **start, task_id="start-1") == "running"
    outcome, number = "running", 0
    while outcome == "running":
        number += 1
        [message] = sent[number - 1 :]
        assert message["step"] == number and message["job_id"] == str(created.id)
        outcome = await _step(db, message, f"step-{number}")
    assert outcome == "succeeded"
    [job] = await jobs_of(db, tenant, store_id)
    assert job.id == created.id and job.status == "succeeded"
    await assert_parity(db, tenant, store_id, fake_store)


async def test_a_step_redelivered_mid_slice_resumes_and_a_stale_copy_changes_nothing(
    committed_db: Database,
    secret_box: SecretBox,
    fake_store: FakeWooStore,
    sent: list[dict[str, Any]],
) -> None:
    db = committed_db
    tenant = await new_tenant(db)
    store_id = await connect_store(db, secret_box, tenant, fake_store)
    start = {"store_id": str(store_id), "mode": "full", "trigger": "schedule"}
    await tasks.start_sync_task.job(db, tenant, **start, task_id="start")
    [step_one] = sent
    [before] = await jobs_of(db, tenant, store_id)
    # A step that claimed and then died before its slice finished (its fence says so):
    # the redelivered message (same task id) runs the slice; a copy sent by someone else
    # while it is claimed stops without writing.
    async with db.tenant_session(tenant) as session:
        decision = await steps.claim_step(
            session, tenant, uuid.UUID(step_one["job_id"]), step_one["owner"], step=1, task_id="s1"
        )
    assert decision == steps.StepDecision.RUN
    assert await _step(db, step_one, "someone-else") == "stale"
    [job] = await jobs_of(db, tenant, store_id)
    # The copy wrote nothing: same progress, same page to go on from.
    assert job.status == "running" and 0 < job.processed == before.processed
    assert job.checkpoint["next_page"] == before.checkpoint["next_page"] == 2
    assert await _step(db, step_one, "s1") == "succeeded"
    [job] = await jobs_of(db, tenant, store_id)
    assert job.status == "succeeded"
    await assert_parity(db, tenant, store_id, fake_store)
