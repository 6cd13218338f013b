"""One sync per store, checkpoints per page, and resuming after a crash."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from core.crypto import SecretBox
from core.db.database import Database
from core.errors import Conflict
from core.models import SyncJob
from ingestion.sync.service import run_sync, start_sync
from tests.support.sync import (
    MemoEmbedder,
    assert_parity,
    connect_store,
    indexed_state,
    jobs_of,
    new_tenant,
)
from tests.support.woo_store import FakeWooStore


class InjectedCrash(Exception):
    pass


async def _nearest_products(
    db: Database, tenant_id, embedder: MemoEmbedder, question: str
) -> list[str]:
    vector = await embedder.embed_query(question)
    literal = "[" + ",".join(f"{x:.7g}" for x in vector) + "]"
    async with db.tenant_session(tenant_id) as session:
        rows = await session.execute(
            text(
                "SELECT p.external_id FROM chunk_vectors c JOIN products p ON p.id = c.product_id "
                "ORDER BY c.embedding <=> CAST(:v AS halfvec) LIMIT 5"
            ),
            {"v": literal},
        )
        return [r.external_id for r in rows]


async def test_a_crash_after_a_page_keeps_the_index_searchable_and_a_rerun_resumes(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)

    async def crash_after_second_page(page: int) -> None:
        if page == 2:
            raise InjectedCrash("worker killed")

    crashed = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        per_page=50,
        after_page=crash_after_second_page,
        outbound=fake_store.outbound_policy,
    )
    assert crashed.status == "failed" and crashed.error is not None
    # Not an AppError: the merchant reads its kind, never its text (logged instead).
    assert "InjectedCrash" in crashed.error and "worker killed" not in crashed.error
    partial = await indexed_state(committed_db, tenant, store_id)
    assert 0 < len(partial) < len(fake_store.publicly_visible_ids())
    assert all(p["chunks"] >= 1 for p in partial.values())
    assert await _nearest_products(committed_db, tenant, embedder, "a warm jacket") != []
    failed_job = (await jobs_of(committed_db, tenant, store_id))[-1]
    assert failed_job.checkpoint["next_page"] == 3

    fake_store.reset_request_log()
    resumed = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        per_page=50,
        outbound=fake_store.outbound_policy,
    )
    assert resumed.status == "succeeded", resumed
    listed_pages = [
        int(r.query["page"])
        for r in fake_store.requests
        if r.route == "/wc/v3/products" and "page" in r.query and "include" not in r.query
    ]
    assert min(listed_pages) == 3  # pages 1-2 were not fetched again
    await assert_parity(committed_db, tenant, store_id, fake_store)
    # Counts carry over: every product was created exactly once across the two runs.
    assert resumed.counts.created == len(fake_store.publicly_visible_ids())


async def test_a_second_sync_of_the_same_store_is_a_conflict(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    conflicts: list[Conflict] = []

    async def try_a_second_sync(page: int) -> None:
        if page != 1:
            return  # after the last page the job is already finished
        with pytest.raises(Conflict) as raised:
            await run_sync(
                committed_db,
                tenant,
                store_id,
                mode="incremental",
                secret_box=secret_box,
                embedder=embedder,
                outbound=fake_store.outbound_policy,
            )
        conflicts.append(raised.value)

    first = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        per_page=50,
        after_page=try_a_second_sync,
        outbound=fake_store.outbound_policy,
    )
    assert first.status == "succeeded"
    assert conflicts and conflicts[0].status_code == 409
    assert conflicts[0].extra["job_id"] == str(first.id)
    assert len(await jobs_of(committed_db, tenant, store_id)) == 1


async def test_a_stale_running_job_is_taken_over_and_resumed(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    tenant = await new_tenant(committed_db)
    store_id = await connect_store(committed_db, secret_box, tenant, fake_store)
    claim = await start_sync(committed_db, tenant, store_id, mode="full")
    with pytest.raises(Conflict):
        await start_sync(committed_db, tenant, store_id, mode="full")
    # The process that held it died an hour ago, right after its second page of 50.
    async with committed_db.tenant_session(tenant) as session:
        now = await session.scalar(text("SELECT now()"))
        await session.execute(
            update(SyncJob)
            .where(SyncJob.id == claim.job.id)
            .values(
                status="running",
                heartbeat_at=now - timedelta(hours=1),
                checkpoint={
                    "owner": claim.owner,
                    "next_page": 1,
                    "run_started_at": now.isoformat(),
                },
            )
        )
    record = await run_sync(
        committed_db,
        tenant,
        store_id,
        mode="full",
        secret_box=secret_box,
        embedder=embedder,
        stale_after=timedelta(minutes=10),
        outbound=fake_store.outbound_policy,
    )
    assert record.id == claim.job.id  # the same job, now finished by its new owner
    assert record.status == "succeeded"
    await assert_parity(committed_db, tenant, store_id, fake_store)


async def test_another_tenants_store_cannot_be_synced(
    committed_db: Database, secret_box: SecretBox, embedder: MemoEmbedder, fake_store: FakeWooStore
) -> None:
    owner = await new_tenant(committed_db, "Owner")
    intruder = await new_tenant(committed_db, "Intruder")
    store_id = await connect_store(committed_db, secret_box, owner, fake_store)
    from core.errors import NotFound

    with pytest.raises(NotFound):
        await start_sync(committed_db, intruder, store_id, mode="full")
    with pytest.raises(NotFound):
        await start_sync(committed_db, owner, uuid.uuid4(), mode="full")
