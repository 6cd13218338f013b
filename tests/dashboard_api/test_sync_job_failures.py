"""A sync whose Celery step fails: the job is marked failed with a reason the merchant reads
in the sync history (`GET /v1/stores/{id}/sync-jobs`), one line, no secret, no traceback;
whether the store stayed down past the client's retries, rejected the keys, or something
around the sync itself broke. The step runs as the worker runs it (`ingestion.tasks`),
driven by the merchant's own POST, against the WooCommerce emulator's fault injection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from core.db.database import Database
from core.ids import TenantId
from core.models import StoreConnection
from emulators.catalog import generate_catalog
from emulators.woocommerce import Fault
from ingestion import tasks
from tests.dashboard_api.harness import Merchant, build_app, client_for, register
from tests.dashboard_api.support import HashingEmbedder
from tests.support.sync import operator_allows
from tests.support.woo_store import FakeWooStore


@pytest.fixture
def woo() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(30, seed=19)) as store, operator_allows(store):
        yield store


@pytest.fixture
def raised() -> list[BaseException]:
    return []


@pytest.fixture
def app(
    committed_db: Database,
    woo: FakeWooStore,
    raised: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> FastAPI:
    """The dashboard, handing each sync to the worker's step task (run here, as a worker
    would: the task's exception is what Celery would record)."""
    monkeypatch.setattr(tasks, "_worker_embedder", HashingEmbedder)
    monkeypatch.setattr(tasks.sync_step_task, "apply_async", lambda kwargs: None)

    async def as_a_worker(tenant_id: TenantId, job_id: uuid.UUID, owner: str) -> None:
        try:
            await tasks.sync_step_task.job(
                committed_db,
                tenant_id,
                job_id=str(job_id),
                owner=owner,
                mode="full",
                step=0,
                task_id="step-0",
            )
        except Exception as error:
            raised.append(error)

    return build_app(committed_db, sync_launcher=as_a_worker, outbound_policy=woo.outbound_policy)


async def _failed_job(app: FastAPI, woo: FakeWooStore, break_it: Any) -> tuple[dict, str]:
    async with client_for(app) as client:
        merchant: Merchant = await register(client)
        connected = await client.post(
            "/v1/stores",
            headers=merchant.headers,
            json={
                "url": woo.url,
                "consumer_key": woo.consumer_key,
                "consumer_secret": woo.consumer_secret,
            },
        )
        assert connected.status_code == 201, connected.text
        store_id = connected.json()["id"]
        await break_it(merchant.tenant_id, uuid.UUID(store_id))
        started = await client.post(
            f"/v1/stores/{store_id}/sync", headers=merchant.headers, json={"mode": "full"}
        )
        assert started.status_code == 202, started.text
        listed = await client.get(f"/v1/stores/{store_id}/sync-jobs", headers=merchant.headers)
        assert listed.status_code == 200, listed.text
        [job] = listed.json()["items"]
        return job, listed.text


def _assert_readable(job: dict, text: str, woo: FakeWooStore) -> None:
    assert job["status"] == "failed" and job["error"], job
    assert "\n" not in job["error"] and "Traceback" not in text and 'File "' not in text
    assert woo.consumer_key not in text and woo.consumer_secret not in text


async def test_a_store_down_past_the_retries_fails_the_job_with_its_reason(
    app: FastAPI, woo: FakeWooStore, raised: list[BaseException]
) -> None:
    async def store_goes_down(tenant_id: TenantId, store_id: uuid.UUID) -> None:
        woo.faults.add(Fault("server_error", route=r"^/wc/v3/"))

    job, text = await _failed_job(app, woo, store_goes_down)
    _assert_readable(job, text, woo)
    assert "server error" in job["error"].lower(), job["error"]
    assert raised == []  # the runner recorded it; nothing for Celery to retry


async def test_keys_revoked_in_the_store_fail_the_job_with_its_reason(
    app: FastAPI, woo: FakeWooStore, raised: list[BaseException]
) -> None:
    async def merchant_revokes_the_key(tenant_id: TenantId, store_id: uuid.UUID) -> None:
        with woo.lock:
            del woo.keys[woo.consumer_key]

    job, text = await _failed_job(app, woo, merchant_revokes_the_key)
    _assert_readable(job, text, woo)
    assert "rejected" in job["error"].lower() and "key" in job["error"].lower(), job["error"]


async def test_a_failure_around_the_sync_fails_the_job_instead_of_leaving_it_running(
    app: FastAPI, woo: FakeWooStore, raised: list[BaseException], committed_db: Database
) -> None:
    """The stored credentials cannot be read (a key rotation gone wrong): the step raises
    before the runner starts. Before, the job stayed `running` until it turned stale."""

    async def corrupt_the_credentials(tenant_id: TenantId, store_id: uuid.UUID) -> None:
        async with committed_db.tenant_session(tenant_id) as session:
            await session.execute(
                update(StoreConnection)
                .where(StoreConnection.id == store_id)
                .values(credentials_ciphertext=b"not a fernet token")
            )

    job, text = await _failed_job(app, woo, corrupt_the_credentials)
    _assert_readable(job, text, woo)
    assert "cannot be decrypted" in job["error"], job["error"]  # the error's public detail
    assert len(raised) == 1  # and Celery still records the task as failed
