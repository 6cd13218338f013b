"""`/v1/stores/...`: connect a WooCommerce store, test it, sync it, follow the sync,
replace its keys, disconnect it. Credentials go in, never out."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status

from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.errors import ResourceNotFound
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, page_of, parse_sort
from dashboard_api.stores import repository, service
from dashboard_api.stores.schemas import (
    StoreConnect,
    StoreCredentials,
    StoreOut,
    StoreTestResult,
    SyncJobOut,
    SyncRequest,
)
from web.client import ClientDep

router = APIRouter(prefix="/stores", tags=["stores"])


@router.get("", operation_id="stores_list")
async def list_stores(
    context: MerchantRead,
    session: TenantSession,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    sort: Literal["created_at", "-created_at"] = "created_at",
    status: Literal["active", "error", "disconnected"] | None = None,
) -> Page[StoreOut]:
    order = parse_sort(sort, repository.STORE_SORTS)
    rows = await repository.list_stores(
        session, context.tenant_id, sort=order, cursor=cursor, limit=limit, status=status
    )
    kept, next_cursor = page_of(rows, order, limit, key=lambda s: (s.created_at, s.id))
    counts = await repository.product_counts(session, context.tenant_id, [s.id for s in kept])
    return Page(
        items=[service.store_out(s, counts.get(s.id, 0)) for s in kept], next_cursor=next_cursor
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="stores_connect",
    responses={
        200: {
            "description": "The store was connected already: its keys were replaced",
            "model": StoreOut,
        }
    },
)
async def connect_store(
    body: StoreConnect,
    context: MerchantWrite,
    runtime: RuntimeDep,
    client: ClientDep,
    response: Response,
) -> StoreOut:
    """Tests the connection first; a failing test stores nothing (4xx: fix the URL or keys;
    502: the store is failing). Connecting the same URL again replaces its keys."""
    store, created = await service.connect(runtime, context, body, client)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return store


@router.get("/{store_id}", operation_id="stores_get")
async def get_store(store_id: uuid.UUID, context: MerchantRead, runtime: RuntimeDep) -> StoreOut:
    return await service.get_store(runtime, context, store_id)


@router.delete(
    "/{store_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="stores_disconnect"
)
async def disconnect_store(
    store_id: uuid.UUID, context: MerchantWrite, session: TenantSession, client: ClientDep
) -> Response:
    """Removes the store with its products, chunks and sync history."""
    await service.disconnect(session, context, store_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{store_id}/test", operation_id="stores_test")
async def test_store(
    store_id: uuid.UUID, context: MerchantWrite, runtime: RuntimeDep
) -> StoreTestResult:
    """Tests the stored keys now; `ok: false` carries the store's problem, and the store's
    status follows the outcome."""
    return await service.test_connection(runtime, context, store_id)


@router.post("/{store_id}/credentials", operation_id="stores_replace_credentials")
async def replace_credentials(
    store_id: uuid.UUID,
    body: StoreCredentials,
    context: MerchantWrite,
    runtime: RuntimeDep,
    client: ClientDep,
) -> StoreOut:
    """Tests the new keys, then replaces the stored ones (the old keys stay if the test fails)."""
    return await service.replace_credentials(runtime, context, store_id, body, client)


@router.post("/{store_id}/sync", status_code=status.HTTP_202_ACCEPTED, operation_id="stores_sync")
async def start_sync(
    store_id: uuid.UUID,
    context: MerchantWrite,
    runtime: RuntimeDep,
    client: ClientDep,
    body: SyncRequest | None = None,
) -> SyncJobOut:
    """Queues a sync (409 while another one runs for this store); poll its progress with
    `GET /v1/stores/{store_id}/sync-jobs/{job_id}`."""
    return await service.start(runtime, context, store_id, (body or SyncRequest()).mode, client)


@router.get("/{store_id}/sync-jobs", operation_id="stores_sync_jobs_list")
async def list_sync_jobs(
    store_id: uuid.UUID,
    context: MerchantRead,
    session: TenantSession,
    limit: LimitQuery = 20,
    cursor: CursorQuery = None,
    sort: Literal["created_at", "-created_at"] = "-created_at",
    status: Literal["queued", "running", "succeeded", "failed", "cancelled"] | None = None,
) -> Page[SyncJobOut]:
    if await repository.get_store(session, context.tenant_id, store_id) is None:
        raise ResourceNotFound("store")
    order = parse_sort(sort, repository.JOB_SORTS)
    rows = await repository.list_jobs(
        session, context.tenant_id, store_id, sort=order, cursor=cursor, limit=limit, status=status
    )
    kept, next_cursor = page_of(rows, order, limit, key=lambda j: (j.created_at, j.id))
    return Page(items=[service.job_out(j) for j in kept], next_cursor=next_cursor)


@router.get("/{store_id}/sync-jobs/{job_id}", operation_id="stores_sync_jobs_get")
async def get_sync_job(
    store_id: uuid.UUID, job_id: uuid.UUID, context: MerchantRead, session: TenantSession
) -> SyncJobOut:
    job = await repository.get_job(session, context.tenant_id, store_id, job_id)
    if job is None:
        raise ResourceNotFound("sync job")
    return service.job_out(job)


@router.post("/{store_id}/sync-jobs/{job_id}/cancel", operation_id="stores_sync_jobs_cancel")
async def cancel_sync_job(
    store_id: uuid.UUID, job_id: uuid.UUID, context: MerchantWrite, session: TenantSession
) -> SyncJobOut:
    """A running sync stops at its next page; a finished one is left as it is."""
    return await service.cancel_job(session, context, store_id, job_id)
