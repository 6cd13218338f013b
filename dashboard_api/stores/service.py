"""Store connections and their sync jobs as the merchant API shows them, in the request's
unit of work (each function takes the session it works in): lists, reads, cancel and
disconnect, with the tenant wall, the audit log and the API shapes.

What talks to the store over the network (connect, test, replace keys, start a sync) is
in `connection_flows`: no transaction is held open across a request to a store.
Credentials never appear in a response, a log line or an audit entry.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.entitlements import entitlement_for
from core.billing.room import count_usage, quota_error, require_room
from core.ids import TenantId
from core.models import StoreConnection
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.errors import found
from dashboard_api.pagination import Page, PageRequest
from dashboard_api.stores import repository
from dashboard_api.stores.schemas import StoreOut, SyncJobOut, WebhookState
from ingestion.sync import jobs
from ingestion.woocommerce.session import normalise_store_url
from web.client import ClientInfo


def store_out(store: StoreConnection, product_count: int) -> StoreOut:
    webhooks = (store.settings or {}).get("webhooks") or {}
    return StoreOut(
        id=store.id,
        platform=store.platform,
        name=store.name,
        base_url=store.base_url,
        status=store.status,
        last_error=store.last_error,
        currency=store.currency,
        last_synced_at=store.last_synced_at,
        product_count=product_count,
        webhooks=WebhookState(
            topics=list(webhooks.get("topics") or []), error=webhooks.get("error")
        ),
        sync_warning=store.sync_warning,
        suspended_by_plan=store.suspended_by_plan_at is not None,
        created_at=store.created_at,
        updated_at=store.updated_at,
    )


async def require_store(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID
) -> StoreConnection:
    return found(await repository.get_store(session, tenant_id, store_id), "store")


async def require_room_to_connect(session: AsyncSession, tenant_id: TenantId, url: str) -> None:
    """402 unless the plan has room for one more store. Connecting a URL that is connected
    already only replaces its keys: it takes no new slot."""
    base_url = normalise_store_url(url)
    if await repository.store_id_by_url(session, tenant_id, base_url) is None:
        await require_room(session, tenant_id, "stores")


async def refuse_if_suspended(
    session: AsyncSession, tenant_id: TenantId, store: StoreConnection
) -> None:
    """A store the plan suspended (a downgrade) does not sync until the plan has room for it
    again: 402 naming the plan that would."""
    if store.suspended_by_plan_at is None:
        return
    entitlement = await entitlement_for(session, tenant_id)
    usage = await count_usage(session, tenant_id, "stores")
    error = await quota_error(session, entitlement, "stores", usage, usage + 1)
    error.detail = f"This store is suspended by your plan. {error.detail}"
    raise error


async def _require_job(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, job_id: uuid.UUID
) -> Any:
    return found(await repository.get_job(session, tenant_id, store_id, job_id), "sync job")


async def get_store(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID
) -> StoreOut:
    store = await require_store(session, context.tenant_id, store_id)
    counts = await repository.product_counts(session, context.tenant_id, [store.id])
    return store_out(store, counts.get(store.id, 0))


async def list_stores(
    session: AsyncSession,
    context: MerchantContext,
    page: PageRequest,
    *,
    status: str | None,
) -> Page[StoreOut]:
    keyset = page.keyset(repository.STORE_SORTS)
    rows = await repository.list_stores(session, context.tenant_id, keyset, status=status)
    # Counted for every row fetched, the one past the page included: one query either way.
    counts = await repository.product_counts(session, context.tenant_id, [s.id for s in rows])
    return keyset.page(rows, lambda s: store_out(s, counts.get(s.id, 0)))


async def list_sync_jobs(
    session: AsyncSession,
    context: MerchantContext,
    store_id: uuid.UUID,
    page: PageRequest,
    *,
    status: str | None,
) -> Page[SyncJobOut]:
    await require_store(session, context.tenant_id, store_id)
    keyset = page.keyset(repository.JOB_SORTS)
    rows = await repository.list_jobs(session, context.tenant_id, store_id, keyset, status=status)
    return keyset.page(rows, job_out)


async def get_sync_job(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID, job_id: uuid.UUID
) -> SyncJobOut:
    return job_out(await _require_job(session, context.tenant_id, store_id, job_id))


def job_out(job: Any) -> SyncJobOut:
    return SyncJobOut.from_record(jobs.job_record(job))


async def cancel_job(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID, job_id: uuid.UUID
) -> SyncJobOut:
    await _require_job(session, context.tenant_id, store_id, job_id)
    await jobs.cancel_job(session, context.tenant_id, job_id)
    return job_out(await repository.get_job(session, context.tenant_id, store_id, job_id))


async def disconnect(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID, client: ClientInfo
) -> None:
    store = await require_store(session, context.tenant_id, store_id)
    base_url = store.base_url
    await repository.delete_store(session, context.tenant_id, store_id)
    await audit.record_by(
        session,
        context,
        "store.disconnected",
        client=client,
        target_type="store",
        target_id=store_id,
        details={"base_url": base_url},
    )
