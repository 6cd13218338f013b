"""The Celery side: page-sized steps re-enqueued at the back of the queue, the beat
schedule, the fan-out over active stores, and the reconcile shortcut for live facts."""

from __future__ import annotations

from typing import Any

import pytest

from core.background.celery_app import celery_app
from core.crypto import SecretBox
from core.db.database import Database
from ingestion import tasks
from ingestion.sync.service import run_sync
from tests.support.sync import (
    MemoEmbedder,
    assert_parity,
    connect_store,
    indexed_state,
    jobs_of,
    new_tenant,
)
from tests.support.woo_store import FakeWooStore


async def test_a_sync_runs_as_page_sized_tasks_each_enqueued_after_the_last(
    committed_db: Database,
    secret_box: SecretBox,
    embedder: MemoEmbedder,
    fake_store: FakeWooStore,
    fake_store_allowed_by_settings: FakeWooStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    queue: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks, "SYNC_PAGES_PER_TASK", 1)
    monkeypatch.setattr(tasks, "runs_in_process", lambda: False)
    monkeypatch.setattr(tasks, "_worker_embedder", lambda: embedder)
    monkeypatch.setattr(tasks.sync_step_task, "apply_async", lambda kwargs: queue.append(kwargs))

    status = await tasks.start_sync_task.job(
        committed_db, tenant, store_id=str(store_id), mode="full", trigger="manual"
    )
    steps = 1
    while queue:
        assert status == "running"
        step = queue.pop(0)
        assert step["tenant_id"] == str(tenant)  # every step carries its tenant
        status = await tasks.sync_step_task.job(
            committed_db, tenant, job_id=step["job_id"], owner=step["owner"]
        )
        steps += 1
    assert status == "succeeded"
    assert steps == 2  # 160 products, 100 a page, one page a task
    [job] = await jobs_of(committed_db, tenant, store_id)
    assert job.status == "succeeded" and job.trigger == "manual"
    await assert_parity(committed_db, tenant, store_id, fake_store)

    # A second start while nothing runs is fine; while one runs it is skipped, not an error.
    monkeypatch.setattr(tasks.sync_step_task, "apply_async", lambda kwargs: None)
    first = await tasks.start_sync_task.job(
        committed_db, tenant, store_id=str(store_id), mode="full"
    )
    assert first == "running"  # one page done, the rest would be queued
    assert (
        await tasks.start_sync_task.job(committed_db, tenant, store_id=str(store_id), mode="full")
        == "skipped"
    )


def test_beat_schedule_has_the_incremental_and_nightly_reconcile() -> None:
    schedule = celery_app.conf.beat_schedule
    assert schedule["ingestion-incremental-sync"]["task"] == "ingestion.schedule.incremental"
    assert schedule["ingestion-incremental-sync"]["schedule"] == 15 * 60
    assert schedule["ingestion-nightly-reconcile"]["task"] == "ingestion.schedule.reconcile"
    for name in (
        "ingestion.sync.start",
        "ingestion.sync.step",
        "ingestion.webhooks.apply",
        "ingestion.schedule.incremental",
        "ingestion.schedule.reconcile",
    ):
        assert celery_app.tasks[name].acks_late


async def test_active_stores_come_from_the_security_definer_lookup(
    committed_db: Database, secret_box: SecretBox, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    assert (tenant, store_id) in await tasks.active_stores(committed_db)


async def test_the_schedule_fans_out_one_tenant_task_per_store_due(
    committed_db: Database,
    secret_box: SecretBox,
    fake_store: FakeWooStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tenants = [await new_tenant(committed_db, f"Fan out {n}") for n in range(2)]
    stores = [await connect_store(committed_db, secret_box, t, fake_store) for t in tenants]
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks.start_sync_task, "apply_async", lambda kwargs: sent.append(kwargs))
    assert await tasks._start_syncs_of_active_stores("reconcile", committed_db) >= 2
    assert await tasks._start_syncs_of_active_stores("incremental", committed_db) >= 2
    ours = [s for s in sent if s["store_id"] in {str(i) for i in stores}]
    assert {
        "tenant_id": str(tenants[0]),
        "store_id": str(stores[0]),
        "mode": "reconcile",
        "trigger": "schedule",
    } in ours
    # Never synced: both are due for both modes, each start carrying its own tenant.
    assert sorted((s["mode"], s["tenant_id"]) for s in ours) == sorted(
        (mode, str(t)) for mode in ("reconcile", "incremental") for t in tenants
    )


async def test_reconcile_refreshes_stock_that_changed_without_a_new_modified_date(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    """Orders change stock without touching `date_modified`: reconcile still sees it."""
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    assert (
        await run_sync(
            committed_db,
            tenant,
            store_id,
            mode="full",
            secret_box=secret_box,
            embedder=embedder,
            outbound=fake_store.outbound_policy,
        )
    ).status == "succeeded"
    product_id = min(
        i for i in fake_store.publicly_visible_ids() if fake_store.product(i)["type"] == "simple"
    )
    fake_store.set_stock_by_order(
        product_id, "outofstock", 0
    )  # stock meta only, no save of the product

    fake_store.reset_request_log()
    record = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="reconcile",
        secret_box=secret_box,
        embedder=embedder,
        outbound=fake_store.outbound_policy,
    )
    assert record.status == "succeeded"
    assert record.counts.updated == 1 and record.counts.unchanged == record.counts.seen - 1
    assert not any("/variations" in r.route or "reviews" in r.route for r in fake_store.requests)
    indexed = await indexed_state(committed_db, tenant, store_id)
    assert indexed[str(product_id)]["stock_status"] == "outofstock"
    await assert_parity(committed_db, tenant, store_id, fake_store)
