"""Store connections, through the ingestion services (connection tests, registration,
syncs): this module adds the tenant wall, the audit log and the API shapes.

Credentials are encrypted by `ingestion.stores` with the SecretBox before they reach the
database; they never appear in a response, a log line or an audit entry. Every request to a
store passes the outbound guard with the runtime's policy (`runtime.outbound_policy()`).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import ServiceUnavailable
from core.models import StoreConnection
from core.outbound import OutboundRefused
from dashboard_api import audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.dependencies import ClientInfo, DashboardRuntime
from dashboard_api.errors import ResourceNotFound
from dashboard_api.stores import repository
from dashboard_api.stores.schemas import (
    StoreConnect,
    StoreCredentials,
    StoreInfoOut,
    StoreOut,
    StoreTestResult,
    SyncJobOut,
    TestProblem,
    WebhookState,
)
from ingestion.stores import register_store, test_store_connection
from ingestion.sync import jobs
from ingestion.sync.service import start_sync, store_credentials
from ingestion.woocommerce.errors import WooCommerceError

log = logging.getLogger(__name__)


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
        created_at=store.created_at,
        updated_at=store.updated_at,
    )


async def _store_with_count(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID
) -> StoreOut:
    store = await repository.get_store(session, context.tenant_id, store_id)
    if store is None:
        raise ResourceNotFound("store")
    counts = await repository.product_counts(session, context.tenant_id, [store.id])
    return store_out(store, counts.get(store.id, 0))


async def get_store(
    runtime: DashboardRuntime, context: MerchantContext, store_id: uuid.UUID
) -> StoreOut:
    async with runtime.db.tenant_session(context.tenant_id) as session:
        return await _store_with_count(session, context, store_id)


async def _load(
    runtime: DashboardRuntime, context: MerchantContext, store_id: uuid.UUID
) -> StoreConnection:
    async with runtime.db.tenant_session(context.tenant_id) as session:
        store = await repository.get_store(session, context.tenant_id, store_id)
    if store is None:
        raise ResourceNotFound("store")
    return store


async def connect(
    runtime: DashboardRuntime, context: MerchantContext, body: StoreConnect, client: ClientInfo
) -> tuple[StoreOut, bool]:
    """Test, then store (encrypted). A failed test stores nothing and answers the
    store's typed error (4xx for what the merchant fixes, 502 for a failing store)."""
    registered = await register_store(
        runtime.db,
        runtime.deps.secret_box,
        context.tenant_id,
        url=body.url,
        consumer_key=body.consumer_key.get_secret_value(),
        consumer_secret=body.consumer_secret.get_secret_value(),
        webhook_secret=body.webhook_secret.get_secret_value() if body.webhook_secret else None,
        name=body.name,
        public_api_url=runtime.deps.settings.public_api_url,
        client_factory=runtime.deps.store_client_factory,
        outbound=runtime.outbound_policy(),
    )
    async with runtime.db.tenant_session(context.tenant_id) as session:
        await audit.record_by(
            session,
            context,
            "store.connected" if registered.created else "store.credentials_replaced",
            client=client,
            target_type="store",
            target_id=registered.store_id,
            details={"base_url": registered.base_url},
        )
        return await _store_with_count(session, context, registered.store_id), registered.created


async def replace_credentials(
    runtime: DashboardRuntime,
    context: MerchantContext,
    store_id: uuid.UUID,
    body: StoreCredentials,
    client: ClientInfo,
) -> StoreOut:
    store = await _load(runtime, context, store_id)
    webhook_secret = body.webhook_secret.get_secret_value() if body.webhook_secret else None
    if webhook_secret is None and store.webhook_secret_ciphertext:
        # Keep the secret the store's existing webhooks sign with.
        webhook_secret = runtime.deps.secret_box.decrypt(store.webhook_secret_ciphertext)
    registered = await register_store(
        runtime.db,
        runtime.deps.secret_box,
        context.tenant_id,
        url=store.base_url,
        consumer_key=body.consumer_key.get_secret_value(),
        consumer_secret=body.consumer_secret.get_secret_value(),
        webhook_secret=webhook_secret,
        public_api_url=runtime.deps.settings.public_api_url,
        client_factory=runtime.deps.store_client_factory,
        outbound=runtime.outbound_policy(),
    )
    async with runtime.db.tenant_session(context.tenant_id) as session:
        await audit.record_by(
            session,
            context,
            "store.credentials_replaced",
            client=client,
            target_type="store",
            target_id=registered.store_id,
            details={"base_url": registered.base_url},
        )
        return await _store_with_count(session, context, registered.store_id)


async def test_connection(
    runtime: DashboardRuntime, context: MerchantContext, store_id: uuid.UUID
) -> StoreTestResult:
    """Tests the stored credentials; the outcome is the answer (and the store's status)."""
    store = await _load(runtime, context, store_id)
    key, secret = store_credentials(store, runtime.deps.secret_box)
    try:
        info = await test_store_connection(
            store.base_url,
            key,
            secret,
            client_factory=runtime.deps.store_client_factory,
            outbound=runtime.outbound_policy(),
        )
    except (WooCommerceError, OutboundRefused) as error:
        result = StoreTestResult(
            ok=False, error=TestProblem(code=error.code, title=error.title, detail=error.detail)
        )
        status, last_error = "error", error.detail
    else:
        result = StoreTestResult(
            ok=True,
            store=StoreInfoOut(
                home_url=info.home_url,
                woocommerce_version=info.woocommerce_version,
                wordpress_version=info.wordpress_version,
                currency=info.currency,
                product_count=info.product_count,
                auth_mode=info.auth_mode,
            ),
        )
        status, last_error = "active", None
    async with runtime.db.tenant_session(context.tenant_id) as session:
        await repository.set_status(
            session, context.tenant_id, store_id, status=status, last_error=last_error
        )
    return result


async def start(
    runtime: DashboardRuntime,
    context: MerchantContext,
    store_id: uuid.UUID,
    mode: str,
    client: ClientInfo,
) -> SyncJobOut:
    await _load(runtime, context, store_id)
    claim = await start_sync(
        runtime.db, context.tenant_id, store_id, mode=mode, trigger="manual"
    )  # committed
    async with runtime.db.tenant_session(context.tenant_id) as session:
        await audit.record_by(
            session,
            context,
            "store.sync_started",
            client=client,
            target_type="store",
            target_id=store_id,
            details={"mode": mode, "job_id": str(claim.job.id)},
        )
    try:
        await runtime.launch_sync(context.tenant_id, claim.job.id, claim.owner)
    except Exception as exc:
        log.exception("could not hand sync job %s to a runner", claim.job.id)
        async with runtime.db.tenant_session(context.tenant_id) as session:
            await jobs.cancel_job(session, context.tenant_id, claim.job.id)
        raise ServiceUnavailable("The sync could not be queued; try again in a moment.") from exc
    async with runtime.db.tenant_session(context.tenant_id) as session:
        job = await repository.get_job(session, context.tenant_id, store_id, claim.job.id)
        return job_out(job if job is not None else claim.job)


def job_out(job: Any) -> SyncJobOut:
    return SyncJobOut.from_record(jobs.job_record(job))


async def cancel_job(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID, job_id: uuid.UUID
) -> SyncJobOut:
    job = await repository.get_job(session, context.tenant_id, store_id, job_id)
    if job is None:
        raise ResourceNotFound("sync job")
    await jobs.cancel_job(session, context.tenant_id, job_id)
    return job_out(await repository.get_job(session, context.tenant_id, store_id, job_id))


async def disconnect(
    session: AsyncSession, context: MerchantContext, store_id: uuid.UUID, client: ClientInfo
) -> None:
    store = await repository.get_store(session, context.tenant_id, store_id)
    if store is None:
        raise ResourceNotFound("store")
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
