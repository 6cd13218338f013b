"""A `shopbot worker` told to stop (SIGTERM to its main process, as `docker stop` does) in
the middle of a full sync: it finishes the slice it holds, hands the job on (the next step
is in the queue at once, nothing left unacknowledged for the visibility timeout to find),
and exits cleanly; a second worker finishes the job with exactly the store's catalogue."""

from __future__ import annotations

import signal
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

PER_PAGE = 100
PAGES_PER_TASK = 3
# Far longer than this test: a step it finds again must have been handed back, not
# restored after the timeout.
VISIBILITY_TIMEOUT_S = 600


async def test_a_stopped_worker_finishes_its_slice_and_hands_the_job_on(
    owner_url: URL,
    committed_db: Database,
    secret_box: SecretBox,
    fake_openai: FakeOpenAI,
    tmp_path: Path,
) -> None:
    db = committed_db
    with (
        own_redis() as redis_url,
        FakeWooStore(generate_catalog(700, seed=83)) as store,
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
            name="Stopped worker",
            SHOPBOT_SYNC_PAGES_PER_TASK=str(PAGES_PER_TASK),
            SHOPBOT_CELERY_VISIBILITY_TIMEOUT_S=str(VISIBILITY_TIMEOUT_S),
        )
        tenant, store_id, env = sync.tenant, sync.store_id, sync.env
        client = redis.Redis.from_url(redis_url)
        try:
            with shopbot_worker(env, tmp_path / "first.log") as first:
                first.wait_ready()
                deadline = time.monotonic() + 90
                # Inside the first slice: its first page is committed, its second is not.
                while (job := await latest_job(db, tenant, store_id)) is None or job.processed < 1:
                    assert time.monotonic() < deadline, first.log_path.read_text()[-3000:]
                    time.sleep(0.05)
                processed_at_signal = job.processed
                first.process.send_signal(signal.SIGTERM)  # the main process only
                signalled = time.monotonic()
                exit_code = first.process.wait(timeout=60)
                stopped_after = time.monotonic() - signalled

            at_stop = await latest_job(db, tenant, store_id)
            assert at_stop is not None and at_stop.status == "running"
            # The slice in hand was finished (all its pages), not cut short.
            assert at_stop.processed == PAGES_PER_TASK * PER_PAGE > processed_at_signal
            # Handed on: the next step waits in the queue; nothing is held unacknowledged.
            assert client.llen("bulk") == 1
            assert client.hlen("unacked") == 0
        finally:
            client.close()
        assert exit_code == 0, first.log_path.read_text()[-3000:]
        print(f"\nstopped {stopped_after:.1f} s after SIGTERM at {processed_at_signal} products")

        with shopbot_worker(env, tmp_path / "second.log") as second:
            second.wait_ready()
            deadline = time.monotonic() + 90
            while (job := await latest_job(db, tenant, store_id)) is None or (
                job.status != "succeeded"
            ):
                assert job is None or job.status == "running", job.status if job else None
                assert time.monotonic() < deadline, second.log_path.read_text()[-3000:]
                time.sleep(0.05)

        [job] = await jobs_of(db, tenant, store_id)
        assert job.status == "succeeded" and job.error is None
        indexed = await assert_parity(db, tenant, store_id, store)
        await assert_chunks_not_doubled(db, tenant, store_id)
        assert counts_of(job.counts).created == len(indexed)
