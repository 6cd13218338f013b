"""The beat's fan-out follows the plan: a store is started when its last sync is older than
max(the deployment's interval, the plan's `sync_interval_minutes`), and a store the plan
suspended is never started by the schedule."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, update

from core.billing.plan_changes import set_plan_manually
from core.billing.plans import offered_plan
from core.crypto import SecretBox
from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from emulators.catalog import generate_catalog
from ingestion import tasks
from tests.support.sync import connect_store, new_tenant
from tests.support.woo_store import FakeWooStore


async def _set_store(db: Database, tenant: TenantId, store_id: uuid.UUID, **values: Any) -> None:
    async with db.tenant_session(tenant) as session:
        await session.execute(
            update(StoreConnection).where(StoreConnection.id == store_id).values(**values)
        )


def _ago(minutes: int) -> Any:
    return func.now() - timedelta(minutes=minutes)


async def _fan_out(db: Database, mode: str, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(tasks.start_sync_task, "apply_async", lambda kwargs: sent.append(kwargs))
    started = await tasks._start_syncs_of_active_stores(mode, db)
    assert started == len(sent)
    assert all(s["mode"] == mode and s["trigger"] == "schedule" for s in sent)
    return {s["store_id"] for s in sent}


async def test_the_plan_decides_how_often_a_store_syncs_and_suspended_stores_never_do(
    committed_db: Database,
    secret_box: SecretBox,
    fake_store: FakeWooStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    free = await new_tenant(committed_db, "Schedule free")
    scale = await new_tenant(committed_db, "Schedule scale")
    async with committed_db.tenant_session(scale) as session:
        await set_plan_manually(session, scale, await offered_plan(session, "scale"))
    free_store = await connect_store(committed_db, secret_box, free, fake_store)
    scale_store = await connect_store(committed_db, secret_box, scale, fake_store)
    with FakeWooStore(generate_catalog(5, seed=5)) as other:  # one store per URL and tenant
        suspended = await connect_store(committed_db, secret_box, scale, other)
    # Free syncs once a day (1,440 minutes): two hours ago is too recent.
    await _set_store(committed_db, free, free_store, last_synced_at=_ago(120))
    # Scale syncs every 15 minutes: twenty minutes ago is due.
    await _set_store(committed_db, scale, scale_store, last_synced_at=_ago(20))
    await _set_store(
        committed_db, scale, suspended, last_synced_at=_ago(20), suspended_by_plan_at=func.now()
    )
    ours = {str(free_store), str(scale_store), str(suspended)}

    assert await _fan_out(committed_db, "incremental", monkeypatch) & ours == {str(scale_store)}
    # The nightly reconcile starts every store, except the one the plan suspended.
    reconciled = await _fan_out(committed_db, "reconcile", monkeypatch) & ours
    assert reconciled == {str(free_store), str(scale_store)}

    # A day and a minute later the Free store is due too; ten minutes after its sync the
    # Scale store is not (the deployment's 15 minutes are the floor for every plan).
    await _set_store(committed_db, free, free_store, last_synced_at=_ago(1441))
    await _set_store(committed_db, scale, scale_store, last_synced_at=_ago(10))
    assert await _fan_out(committed_db, "incremental", monkeypatch) & ours == {str(free_store)}
