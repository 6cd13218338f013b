"""Stores through the ingestion services, against the fake WooCommerce store over real
HTTP: connect (tested first), test, sync with progress, replace keys, disconnect."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from core.ids import TenantId
from core.models import Bot, Chunk, Product
from emulators.catalog import generate_catalog
from ingestion.sync.service import run_sync_steps
from tests.dashboard_api.harness import build_app, client_for, register
from tests.dashboard_api.support import HashingEmbedder
from tests.support.woo_store import FakeWooStore


@pytest.fixture
def woo() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(12, seed=5)) as store:
        yield store


def _connect_body(store: FakeWooStore, **overrides: str) -> dict:
    return {
        "url": store.url,
        "consumer_key": store.consumer_key,
        "consumer_secret": store.consumer_secret,
        **overrides,
    }


async def _count(db, tenant_id: TenantId, model, store_id: uuid.UUID | None = None) -> int:
    async with db.tenant_session(tenant_id) as session:
        statement = select(func.count()).select_from(model).where(model.tenant_id == tenant_id)
        return int(await session.scalar(statement) or 0)


async def test_a_failed_connection_test_stores_nothing(db, redis, woo: FakeWooStore) -> None:
    app = build_app(db, redis=redis, outbound_policy=woo.outbound_policy)
    async with client_for(app) as client:
        merchant = await register(client)
        wrong = await client.post(
            "/v1/stores",
            headers=merchant.headers,
            json=_connect_body(woo, consumer_secret="cs_wrong"),
        )
        assert wrong.status_code == 400, wrong.text
        assert wrong.json()["code"] == "woocommerce_credentials_rejected"
        assert "cs_wrong" not in wrong.text
        assert (await client.get("/v1/stores", headers=merchant.headers)).json()["items"] == []


async def test_connect_test_sync_replace_and_disconnect(
    committed_db, redis, woo: FakeWooStore
) -> None:
    embedder = HashingEmbedder()

    async def run_inline(tenant_id, job_id, owner) -> None:
        await run_sync_steps(
            committed_db,
            tenant_id,
            job_id,
            owner,
            secret_box=box,
            embedder=embedder,
            outbound=woo.outbound_policy,
        )

    app = build_app(
        committed_db,
        redis=redis,
        embedder=embedder,
        sync_launcher=run_inline,
        outbound_policy=woo.outbound_policy,
    )
    box = app.state.shopbot_dashboard_runtime.deps.secret_box
    async with client_for(app) as client:
        merchant = await register(client)
        connected = await client.post(
            "/v1/stores", headers=merchant.headers, json=_connect_body(woo, name="Main")
        )
        assert connected.status_code == 201, connected.text
        store = connected.json()
        assert store["status"] == "active" and store["name"] == "Main"
        assert woo.consumer_secret not in connected.text and woo.consumer_key not in connected.text
        store_id = store["id"]
        again = await client.post("/v1/stores", headers=merchant.headers, json=_connect_body(woo))
        assert again.status_code == 200 and again.json()["id"] == store_id

        tested = await client.post(f"/v1/stores/{store_id}/test", headers=merchant.headers)
        assert tested.status_code == 200 and tested.json()["ok"] is True
        assert tested.json()["store"]["product_count"] > 0

        started = await client.post(
            f"/v1/stores/{store_id}/sync", headers=merchant.headers, json={"mode": "full"}
        )
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["mode"] == "full" and job["status"] == "succeeded" and job["progress"] == 1.0
        jobs = (
            await client.get(f"/v1/stores/{store_id}/sync-jobs", headers=merchant.headers)
        ).json()["items"]
        assert [j["id"] for j in jobs] == [job["id"]]
        one = await client.get(
            f"/v1/stores/{store_id}/sync-jobs/{job['id']}", headers=merchant.headers
        )
        assert one.json()["counts"]["created"] == len(woo.publicly_visible_ids())
        listed = (await client.get("/v1/stores", headers=merchant.headers)).json()["items"]
        assert listed[0]["product_count"] == len(woo.publicly_visible_ids())
        assert await _count(committed_db, merchant.tenant_id, Chunk) > 0

        # Replacing keys: a wrong pair keeps the old one; a right pair replaces it.
        bad = await client.post(
            f"/v1/stores/{store_id}/credentials",
            headers=merchant.headers,
            json={"consumer_key": "ck_nope", "consumer_secret": "cs_nope"},
        )
        assert bad.status_code == 400
        woo.add_api_key("ck_second", "cs_second", "read")
        good = await client.post(
            f"/v1/stores/{store_id}/credentials",
            headers=merchant.headers,
            json={"consumer_key": "ck_second", "consumer_secret": "cs_second"},
        )
        assert good.status_code == 200 and good.json()["id"] == store_id
        assert (await client.post(f"/v1/stores/{store_id}/test", headers=merchant.headers)).json()[
            "ok"
        ] is True

        # A bot pinned to the store falls back to every store when it goes.
        pinned = await client.patch(
            f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json={"store_id": store_id}
        )
        assert pinned.json()["store_id"] == store_id
        assert (
            await client.delete(f"/v1/stores/{store_id}", headers=merchant.headers)
        ).status_code == 204
        assert await _count(committed_db, merchant.tenant_id, Product) == 0
        assert await _count(committed_db, merchant.tenant_id, Chunk) == 0
        async with committed_db.tenant_session(merchant.tenant_id) as session:
            assert (await session.get(Bot, merchant.bot_id)).store_id is None
        assert (
            await client.get(f"/v1/stores/{store_id}", headers=merchant.headers)
        ).status_code == 404

        actions = [
            e["action"]
            for e in (await client.get("/v1/audit-log", headers=merchant.headers)).json()["items"]
        ]
        for action in (
            "store.connected",
            "store.credentials_replaced",
            "store.sync_started",
            "store.disconnected",
        ):
            assert action in actions


async def test_a_second_sync_while_one_is_queued_is_a_409(db, redis, woo: FakeWooStore) -> None:
    launched: list = []

    async def park(tenant_id, job_id, owner) -> None:
        launched.append(job_id)

    app = build_app(db, redis=redis, sync_launcher=park, outbound_policy=woo.outbound_policy)
    async with client_for(app) as client:
        merchant = await register(client)
        store_id = (
            await client.post("/v1/stores", headers=merchant.headers, json=_connect_body(woo))
        ).json()["id"]
        first = await client.post(f"/v1/stores/{store_id}/sync", headers=merchant.headers)
        assert (
            first.status_code == 202
            and first.json()["status"] == "queued"
            and first.json()["mode"] == "incremental"
        )
        busy = await client.post(
            f"/v1/stores/{store_id}/sync", headers=merchant.headers, json={"mode": "full"}
        )
        assert busy.status_code == 409
        cancelled = await client.post(
            f"/v1/stores/{store_id}/sync-jobs/{first.json()['id']}/cancel", headers=merchant.headers
        )
        assert cancelled.json()["status"] == "cancelled"
        assert (
            await client.post(f"/v1/stores/{store_id}/sync", headers=merchant.headers)
        ).status_code == 202
        assert len(launched) == 2


async def test_a_sync_that_cannot_be_handed_over_is_a_503_and_is_cancelled(
    db, redis, woo: FakeWooStore
) -> None:
    """The job and its audit entry are committed before the hand-over (after-commit queue);
    when the hand-over fails the job is cancelled, so the store is not left locked."""

    async def broken(tenant_id, job_id, owner) -> None:
        raise RuntimeError("broker down")

    app = build_app(db, redis=redis, sync_launcher=broken, outbound_policy=woo.outbound_policy)
    async with client_for(app) as client:
        merchant = await register(client)
        store_id = (
            await client.post("/v1/stores", headers=merchant.headers, json=_connect_body(woo))
        ).json()["id"]
        failed = await client.post(f"/v1/stores/{store_id}/sync", headers=merchant.headers)
        assert failed.status_code == 503, failed.text
        [job] = (
            await client.get(f"/v1/stores/{store_id}/sync-jobs", headers=merchant.headers)
        ).json()["items"]
        assert job["status"] == "cancelled"
        actions = [
            e["action"]
            for e in (await client.get("/v1/audit-log", headers=merchant.headers)).json()["items"]
        ]
        assert "store.sync_started" in actions
