"""`/v1/stores/...`: connect a WooCommerce store, test it, sync it, follow the sync,
replace its keys, disconnect it. Credentials go in, never out."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Response, status

from dashboard_api.auth.context import MerchantRead, MerchantWrite, TenantSession
from dashboard_api.openapi import QUOTA_RESPONSES
from dashboard_api.pagination import CursorQuery, LimitQuery, Page, PageRequest
from dashboard_api.stores import service
from dashboard_api.stores.connection_flows import StoreFlowsDep
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
    return await service.list_stores(
        session, context, PageRequest(sort, cursor, limit), status=status
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="stores_connect",
    responses={
        **QUOTA_RESPONSES,
        200: {
            "description": "The store was connected already: its keys were replaced",
            "model": StoreOut,
        },
    },
)
async def connect_store(
    body: StoreConnect,
    context: MerchantWrite,
    flows: StoreFlowsDep,
    client: ClientDep,
    response: Response,
) -> StoreOut:
    """Tests the connection first; a failing test stores nothing (4xx: fix the URL or keys;
    502: the store is failing). Connecting the same URL again replaces its keys."""
    store, created = await flows.connect(context, body, client)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return store


@router.get("/{store_id}", operation_id="stores_get")
async def get_store(store_id: uuid.UUID, context: MerchantRead, session: TenantSession) -> StoreOut:
    return await service.get_store(session, context, store_id)


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
    store_id: uuid.UUID, context: MerchantWrite, flows: StoreFlowsDep
) -> StoreTestResult:
    """Tests the stored keys now; `ok: false` carries the store's problem, and the store's
    status follows the outcome."""
    return await flows.test_connection(context, store_id)


@router.post("/{store_id}/credentials", operation_id="stores_replace_credentials")
async def replace_credentials(
    store_id: uuid.UUID,
    body: StoreCredentials,
    context: MerchantWrite,
    flows: StoreFlowsDep,
    client: ClientDep,
) -> StoreOut:
    """Tests the new keys, then replaces the stored ones (the old keys stay if the test fails)."""
    return await flows.replace_credentials(context, store_id, body, client)


@router.post(
    "/{store_id}/sync",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="stores_sync",
    responses=QUOTA_RESPONSES,
)
async def start_sync(
    store_id: uuid.UUID,
    context: MerchantWrite,
    flows: StoreFlowsDep,
    client: ClientDep,
    body: SyncRequest | None = None,
) -> SyncJobOut:
    """Queues a sync (409 while another one runs for this store); poll its progress with
    `GET /v1/stores/{store_id}/sync-jobs/{job_id}`."""
    return await flows.start_sync(context, store_id, (body or SyncRequest()).mode, client)


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
    return await service.list_sync_jobs(
        session, context, store_id, PageRequest(sort, cursor, limit), status=status
    )


@router.get("/{store_id}/sync-jobs/{job_id}", operation_id="stores_sync_jobs_get")
async def get_sync_job(
    store_id: uuid.UUID, job_id: uuid.UUID, context: MerchantRead, session: TenantSession
) -> SyncJobOut:
    return await service.get_sync_job(session, context, store_id, job_id)


@router.post("/{store_id}/sync-jobs/{job_id}/cancel", operation_id="stores_sync_jobs_cancel")
async def cancel_sync_job(
    store_id: uuid.UUID, job_id: uuid.UUID, context: MerchantWrite, session: TenantSession
) -> SyncJobOut:
    """A running sync stops at its next page; a finished one is left as it is."""
    return await service.cancel_job(session, context, store_id, job_id)
