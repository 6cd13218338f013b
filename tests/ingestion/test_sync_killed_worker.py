"""A sync process killed with SIGKILL in the middle: the previously indexed catalogue stays
searchable, and a rerun takes over the dead job and finishes without duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select
from sqlalchemy.engine import URL

from core.db.database import Database
from core.models import Chunk, Product, SyncJob
from emulators.catalog import generate_catalog
from emulators.woocommerce import Fault
from ingestion.sync.service import run_sync
from tests.support.sync import (
    MemoEmbedder,
    assert_parity,
    connect_store,
    new_tenant,
    outbound_env,
)
from tests.support.woo_store import FakeWooStore


def _sync_process(owner_url: URL, store: FakeWooStore, store_id, *extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        **outbound_env(store),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli.main",
            "sync",
            str(store_id),
            "--mode",
            "full",
            "--json",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


async def _processed(db: Database, tenant, store_id) -> int:
    async with db.tenant_session(tenant) as session:
        job = await session.scalar(
            select(SyncJob)
            .where(SyncJob.store_id == store_id)
            .order_by(SyncJob.created_at.desc())
            .limit(1)
        )
        return job.processed if job is not None and job.status == "running" else 0


async def test_killed_sync_keeps_the_old_index_and_a_rerun_completes(
    owner_url: URL, committed_db: Database, secret_box, embedder: MemoEmbedder
) -> None:
    with FakeWooStore(generate_catalog(200, seed=41)) as store:
        tenant = await new_tenant(committed_db, "Killed Sync")
        store_id = await connect_store(committed_db, secret_box, tenant, store)
        first = await run_sync(
            committed_db,
            tenant,
            store_id,
            mode="full",
            secret_box=secret_box,
            embedder=embedder,
            outbound=store.outbound_policy,
        )
        assert first.status == "succeeded"
        before = await assert_parity(committed_db, tenant, store_id, store)

        # Every product changes, and pages come slowly, so the kill lands mid-run.
        for product_id in store.publicly_visible_ids():
            store.update_product(product_id, name=f"{store.product(product_id)['name']} Mk II")
        store.faults.add(Fault("slow", route=r"^/wc/v3/products$", delay_s=0.8))
        process = _sync_process(owner_url, store, store_id)
        deadline = time.monotonic() + 180
        while await _processed(committed_db, tenant, store_id) < 60:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the sync never got going"
            time.sleep(0.3)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

        async with committed_db.tenant_session(tenant) as session:
            products = await session.scalar(
                select(func.count()).select_from(Product).where(Product.store_id == store_id)
            )
            orphans = await session.scalar(
                select(func.count())
                .select_from(Product)
                .where(
                    Product.store_id == store_id,
                    ~Product.id.in_(select(Chunk.product_id).where(Chunk.product_id.is_not(None))),
                )
            )
        # Nothing half-written is visible: every product still has its chunks.
        assert products == len(before) and orphans == 0

        store.faults.clear()
        rerun = _sync_process(owner_url, store, store_id, "--stale-minutes", "0")
        out, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        record = json.loads(out)
        assert record["status"] == "succeeded" and record["counts"]["errors"] == 0
        after = await assert_parity(committed_db, tenant, store_id, store)
        assert set(after) == set(before)  # same products, no duplicates
        assert all(state["name"].endswith("Mk II") for state in after.values())
