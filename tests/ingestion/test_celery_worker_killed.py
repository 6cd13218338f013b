"""A `shopbot worker` SIGKILLed (with its pool) in the middle of a full sync: the step it
held stays unacknowledged in Redis, a second worker gets it once the visibility timeout
has passed, resumes from the committed checkpoint, and the job completes with no product
lost and none doubled, its status only ever moving forward."""

from __future__ import annotations

import time
from pathlib import Path

import redis
from sqlalchemy.engine import URL

from core.crypto import SecretBox
from core.db.database import Database
from emulators.catalog import generate_catalog
from emulators.openai import FakeOpenAI
from ingestion.sync.jobs import counts_of
from tests.support.celery_worker import (
    assert_chunks_not_doubled,
    broker,
    latest_job,
    own_redis,
    shopbot_worker,
    start_slow_full_sync,
)
from tests.support.sync import assert_parity, jobs_of
from tests.support.woo_store import FakeWooStore

# Far above one slice here (a page of 100 with a slow store: ~2-5 s), as in production.
VISIBILITY_TIMEOUT_S = 12
STATUS_ORDER = ["queued", "running", "succeeded"]


async def test_a_killed_worker_s_step_is_redelivered_and_the_job_completes_exactly(
    owner_url: URL,
    committed_db: Database,
    secret_box: SecretBox,
    fake_openai: FakeOpenAI,
    tmp_path: Path,
) -> None:
    db = committed_db
    with (
        own_redis() as redis_url,
        FakeWooStore(generate_catalog(200, seed=71)) as store,
        broker(redis_url) as connection,
    ):
        sync = await start_slow_full_sync(
            db,
            secret_box,
            store,
            connection,
            owner_url=owner_url,
            broker_url=redis_url,
            openai=fake_openai,
            name="Killed worker",
            SHOPBOT_SYNC_PAGES_PER_TASK="1",
            SHOPBOT_CELERY_VISIBILITY_TIMEOUT_S=str(VISIBILITY_TIMEOUT_S),
        )
        tenant, store_id, env = sync.tenant, sync.store_id, sync.env
        statuses: list[str] = []

        async def watch() -> tuple[str, int]:
            job = await latest_job(db, tenant, store_id)
            state = (job.status, job.processed) if job is not None else ("none", 0)
            if job is not None and (not statuses or statuses[-1] != job.status):
                statuses.append(job.status)
            return state

        client = redis.Redis.from_url(redis_url)
        try:
            with shopbot_worker(env, tmp_path / "first.log") as first:
                first.wait_ready()
                deadline = time.monotonic() + 90
                # Page 1 is committed and the next step (page 2, half a second slow) is
                # delivered and held, none queued. Right after page 1 there are two other
                # moments a kill could land in on a loaded machine: the task that committed
                # it not yet acknowledged with the next step already queued, and nothing
                # held between that acknowledgement and the next step's delivery. So the
                # held step is seen before the kill.
                while (
                    (await watch())[1] < 100
                    or client.hlen("unacked") != 1
                    or client.llen("bulk") != 0
                ):
                    assert time.monotonic() < deadline, first.log_path.read_text()[-3000:]
                    time.sleep(0.02)
                first.kill()
                killed_at = time.monotonic()
            at_kill = await latest_job(db, tenant, store_id)
            assert at_kill is not None and at_kill.status == "running"
            # The step the dead worker held is neither acknowledged nor back in a queue.
            assert client.hlen("unacked") == 1
            assert client.llen("bulk") == 0
        finally:
            client.close()

        with shopbot_worker(env, tmp_path / "second.log") as second:
            second.wait_ready()
            deadline = time.monotonic() + 90
            resumed_after: float | None = None
            while True:
                state = await watch()
                if resumed_after is None and state[1] > at_kill.processed:
                    resumed_after = time.monotonic() - killed_at
                if state[0] == "succeeded":
                    break
                assert state[0] == "running", state
                assert time.monotonic() < deadline, second.log_path.read_text()[-3000:]
                time.sleep(0.05)
            # The job is marked succeeded inside the last task; Celery logs the task's
            # success only after it returns (the clean-clone CI read the log in between).
            ran = second.wait_succeeded({"ingestion.sync.start", "ingestion.sync.step"})

    assert resumed_after is not None
    # The task the dead worker held went to the second one, once its visibility timeout
    # had passed since the first delivery (and, with sweeps every second, soon after).
    held_at, held = first.received()[-1]
    [again_at] = [at for at, task_id in second.received() if task_id == held]
    redelivered_after = (again_at - held_at).total_seconds()
    print(
        f"\nkilled at {at_kill.processed} products; redelivered {redelivered_after:.1f} s after "
        f"the first delivery; next page {resumed_after:.1f} s after the kill"
    )
    assert redelivered_after >= VISIBILITY_TIMEOUT_S, redelivered_after
    assert ran

    # One job, never failed, never back: queued/running, then succeeded.
    [job] = await jobs_of(db, tenant, store_id)
    assert job.status == "succeeded" and job.error is None
    assert statuses == [s for s in STATUS_ORDER if s in statuses] and statuses[-1] == "succeeded"
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    indexed = await assert_parity(db, tenant, store_id, store)
    chunks = await assert_chunks_not_doubled(db, tenant, store_id)
    assert counts_of(job.counts).created == len(indexed)  # each product created exactly once
    assert chunks >= len(indexed)
