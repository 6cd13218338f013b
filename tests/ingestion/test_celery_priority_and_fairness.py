"""A real `shopbot worker` on a Redis of its own, three stores on the WooCommerce emulator:
the worker takes webhooks before incremental syncs before full syncs; two full syncs take
turns slice by slice; a webhook sent in the middle of a big full sync is applied after at
most the slice the worker is in; every store ends with exactly its catalogue."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from emulators.catalog import generate_catalog
from emulators.openai import FakeOpenAI
from ingestion import tasks
from tests.support.celery_worker import (
    assert_chunks_not_doubled,
    broker,
    event_row,
    latest_job,
    own_redis,
    queue_lengths,
    record_delivery,
    shopbot_worker,
    worker_env,
)
from tests.support.plans import put_on_plan
from tests.support.sync import assert_parity, connect_store, new_tenant
from tests.support.woo_store import FakeWooStore

PER_PAGE = 100  # the runner's page size
WEBHOOK_ENDPOINT = "http://shopbot.test"  # where the emulator addresses its deliveries


@dataclass
class Shop:
    store: FakeWooStore
    tenant: TenantId
    store_id: uuid.UUID


async def _shop(db: Database, box: SecretBox, store: FakeWooStore, name: str) -> Shop:
    tenant = await new_tenant(db, name)
    await put_on_plan(db, tenant, "growth")  # room for the big catalogue
    store_id = await connect_store(db, box, tenant, store, public_api_url=WEBHOOK_ENDPOINT)
    return Shop(store, tenant, store_id)


def _start(shop: Shop, mode: str, connection: Any) -> None:
    tasks.start_sync_task.apply_async(
        kwargs={
            "tenant_id": str(shop.tenant),
            "store_id": str(shop.store_id),
            "mode": mode,
            "trigger": "schedule",
        },
        connection=connection,
    )


def _apply(tenant: TenantId, event_id: uuid.UUID, connection: Any) -> None:
    tasks.apply_webhook_task.apply_async(
        kwargs={"tenant_id": str(tenant), "event_id": str(event_id)}, connection=connection
    )


async def _processed(db: Database, shop: Shop) -> tuple[str, int]:
    job = await latest_job(db, shop.tenant, shop.store_id)
    return (job.status, job.processed) if job is not None else ("none", 0)


async def test_queues_by_priority_bulk_syncs_take_turns_and_a_webhook_waits_one_slice(
    owner_url: URL,
    committed_db: Database,
    secret_box: SecretBox,
    fake_openai: FakeOpenAI,
    tmp_path: Path,
) -> None:
    db, box = committed_db, secret_box
    began = time.monotonic()
    with (
        own_redis() as redis_url,
        FakeWooStore(generate_catalog(500, seed=91)) as big_store,
        FakeWooStore(generate_catalog(200, seed=92)) as other_store,
        FakeWooStore(generate_catalog(20, seed=93)) as small_store,
        broker(redis_url) as connection,
    ):
        big = await _shop(db, box, big_store, "Big catalogue")
        other = await _shop(db, box, other_store, "Second catalogue")
        small = await _shop(db, box, small_store, "Small shop")
        hooked = min(small_store.publicly_visible_ids())
        small_store.set_price(hooked, "17.50")

        # Queued before a worker runs, lowest priority first.
        _start(big, "full", connection)
        _start(other, "full", connection)
        _start(small, "incremental", connection)
        first_tenant, first_event = await record_delivery(
            db, box, small_store, small.store_id, hooked
        )
        _apply(first_tenant, first_event, connection)
        assert queue_lengths(redis_url, ("webhooks", "sync", "bulk")) == {
            "webhooks": 1,
            "sync": 1,
            "bulk": 2,
        }

        env = worker_env(
            owner_url,
            redis_url,
            fake_openai,
            (big_store, other_store, small_store),
            SHOPBOT_SYNC_PAGES_PER_TASK="1",
        )
        with shopbot_worker(env, tmp_path / "worker.log") as worker:
            worker.wait_ready()
            print(f"\nworker ready after {time.monotonic() - began:.1f} s")
            other_started_at_big: int | None = None
            other_done_at_big: int | None = None
            latency: float | None = None
            big_at_webhook: tuple[str, int] | None = None
            second_event: uuid.UUID | None = None
            sent_at = 0.0
            deadline = time.monotonic() + 120
            while (state := await _processed(db, big))[0] != "succeeded":
                assert time.monotonic() < deadline, worker.log_path.read_text()[-3000:]
                other_state = await _processed(db, other)
                if other_started_at_big is None and other_state[1] > 0:
                    other_started_at_big = state[1]
                if other_done_at_big is None and other_state[0] == "succeeded":
                    other_done_at_big = state[1]
                if second_event is None and other_done_at_big is not None:
                    # Mid-sync, with only the big sync's steps left: another shop's webhook.
                    small_store.set_price(hooked, "21.00")
                    _, second_event = await record_delivery(
                        db, box, small_store, small.store_id, hooked
                    )
                    sent_at = time.monotonic()
                    _apply(small.tenant, second_event, connection)
                if second_event is not None and latency is None:
                    event = await event_row(db, small.tenant, second_event)
                    if event.status == "processed":
                        latency = time.monotonic() - sent_at
                        big_at_webhook = state
                time.sleep(0.05)
            ran = worker.succeeded()

    # 1. Priority: the webhook, then the incremental sync, then the full syncs.
    first = await event_row(db, small.tenant, first_event)
    small_job, big_job, other_job = [
        await latest_job(db, s.tenant, s.store_id) for s in (small, big, other)
    ]
    assert small_job and big_job and other_job
    assert first.processed_at and small_job.started_at and small_job.finished_at
    assert big_job.started_at and other_job.started_at
    assert first.processed_at < small_job.started_at
    assert small_job.finished_at < big_job.started_at < other_job.started_at

    # 2. Turns (each step re-enqueued at the back of `bulk`): the second full sync started
    # after the big one's first slice and ended after its second, not after its last.
    assert other_started_at_big is not None and other_done_at_big is not None
    assert other_started_at_big <= PER_PAGE, other_started_at_big
    assert other_done_at_big <= 3 * PER_PAGE, other_done_at_big

    # 3. The bound: a webhook waits at most for the slice the worker is in, then runs.
    steps = [s for name, s in ran if name in {"ingestion.sync.step", "ingestion.sync.start"}]
    applies = [s for name, s in ran if name == "ingestion.webhooks.apply"]
    assert latency is not None and big_at_webhook is not None and steps and applies
    bound = max(steps) + max(applies) + 1.0  # + the broker hop and this loop's polling
    print(
        f"\nslices: {len(steps)}, slice s max {max(steps):.2f} mean "
        f"{sum(steps) / len(steps):.2f}; webhook apply s max {max(applies):.2f}; "
        f"webhook latency mid-sync {latency:.2f} s (bound {bound:.2f} s); "
        f"big sync at {big_at_webhook[1]}/{len(big_store.publicly_visible_ids())}"
    )
    assert latency <= bound, (latency, bound)
    assert big_at_webhook[0] == "running"  # it did not wait for the big sync to end

    # 4. Every store holds exactly its catalogue, the webhook's price included.
    for shop in (big, other, small):
        job = await latest_job(db, shop.tenant, shop.store_id)
        assert job is not None and job.status == "succeeded" and job.error is None
        indexed = await assert_parity(db, shop.tenant, shop.store_id, shop.store)
        assert len(indexed) == len(shop.store.publicly_visible_ids())
        await assert_chunks_not_doubled(db, shop.tenant, shop.store_id)
    assert second_event is not None
    assert (await event_row(db, small.tenant, second_event)).status == "processed"
