"""The store flows that talk to the store over the network: connect, test the stored keys,
replace them, start a sync.

`StoreConnectionFlows` is an orchestrator, not a request-scoped service: it takes the
`Database` and opens its own short transactions, because none may stay open across a
request to a store (seconds, up to the outbound timeout). Connecting tests first and
stores only what passed (through `ingestion.stores`, which encrypts the keys with the
SecretBox); the audit entry and the answer are read in one transaction after that. Every
request to a store passes the outbound guard with the runtime's policy.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from core.background.queue import JobNotSent, Send, jobs_of, sending_jobs_after_commit
from core.crypto import SecretBox
from core.db.database import Database
from core.errors import ServiceUnavailable
from core.ids import TenantId
from core.models import StoreConnection
from core.outbound import OutboundPolicy, OutboundRefused
from dashboard_api.audit_log import service as audit
from dashboard_api.auth.context import MerchantContext
from dashboard_api.dependencies import RuntimeDep
from dashboard_api.stores import repository, service
from dashboard_api.stores.schemas import (
    StoreConnect,
    StoreCredentials,
    StoreInfoOut,
    StoreOut,
    StoreTestResult,
    SyncJobOut,
    TestProblem,
)
from ingestion.stores import ClientFactory, RegisteredStore, register_store, test_store_connection
from ingestion.sync import jobs
from ingestion.sync.service import store_credentials
from ingestion.woocommerce.errors import WooCommerceError
from web.client import ClientInfo

# (tenant, job, owner, mode): the mode picks the Celery queue (core.background.queues).
SyncSender = Callable[[TenantId, uuid.UUID, str, str], Send]


@dataclass(frozen=True)
class StoreConnectionFlows:
    db: Database
    secret_box: SecretBox
    public_api_url: str | None
    client_factory: ClientFactory | None
    outbound: OutboundPolicy
    # How a committed sync job is handed over (DashboardRuntime.sync_sender).
    sync_sender: SyncSender

    async def connect(
        self, context: MerchantContext, body: StoreConnect, client: ClientInfo
    ) -> tuple[StoreOut, bool]:
        """Test, then store (encrypted). A failed test stores nothing and answers the
        store's typed error (4xx for what the merchant fixes, 502 for a failing store).
        The plan's room is checked first, so a tenant at its limit gets the 402 without a
        request to the store. The check and the insert (ingestion.stores) are separate
        transactions, since none may stay open across the connection test: two connects
        racing at the limit can both pass; the next plan reconcile suspends the newest."""
        async with self.db.tenant_session(context.tenant_id) as session:
            await service.require_room_to_connect(session, context.tenant_id, body.url)
        registered = await self._register(
            context.tenant_id,
            url=body.url,
            consumer_key=body.consumer_key.get_secret_value(),
            consumer_secret=body.consumer_secret.get_secret_value(),
            webhook_secret=body.webhook_secret.get_secret_value() if body.webhook_secret else None,
            name=body.name,
        )
        action = "store.connected" if registered.created else "store.credentials_replaced"
        return await self._audited(context, registered, action, client), registered.created

    async def replace_credentials(
        self,
        context: MerchantContext,
        store_id: uuid.UUID,
        body: StoreCredentials,
        client: ClientInfo,
    ) -> StoreOut:
        store = await self._load(context.tenant_id, store_id)
        webhook_secret = body.webhook_secret.get_secret_value() if body.webhook_secret else None
        if webhook_secret is None and store.webhook_secret_ciphertext:
            # Keep the secret the store's existing webhooks sign with.
            webhook_secret = self.secret_box.decrypt(store.webhook_secret_ciphertext)
        registered = await self._register(
            context.tenant_id,
            url=store.base_url,
            consumer_key=body.consumer_key.get_secret_value(),
            consumer_secret=body.consumer_secret.get_secret_value(),
            webhook_secret=webhook_secret,
        )
        return await self._audited(context, registered, "store.credentials_replaced", client)

    async def test_connection(
        self, context: MerchantContext, store_id: uuid.UUID
    ) -> StoreTestResult:
        """Tests the stored credentials; the outcome is the answer (and the store's status)."""
        store = await self._load(context.tenant_id, store_id)
        key, secret = store_credentials(store, self.secret_box)
        last_error: str | None
        try:
            info = await test_store_connection(
                store.base_url,
                key,
                secret,
                client_factory=self.client_factory,
                outbound=self.outbound,
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
        async with self.db.tenant_session(context.tenant_id) as session:
            await repository.set_status(
                session, context.tenant_id, store_id, status=status, last_error=last_error
            )
        return result

    async def start_sync(
        self, context: MerchantContext, store_id: uuid.UUID, mode: str, client: ClientInfo
    ) -> SyncJobOut:
        """The job and its audit entry commit together; the job is handed to its runner
        after that commit (503, and the job cancelled, if it cannot be); the answer is the
        job as it stands after the hand-over."""
        tenant_id = context.tenant_id
        try:
            async with sending_jobs_after_commit(self.db.tenant_session(tenant_id)) as session:
                store = await service.require_store(session, tenant_id, store_id)
                await service.refuse_if_suspended(session, tenant_id, store)
                claim = await jobs.create_job(
                    session, tenant_id, store_id, mode=mode, trigger="manual"
                )
                await audit.record_by(
                    session,
                    context,
                    "store.sync_started",
                    client=client,
                    target_type="store",
                    target_id=store_id,
                    details={"mode": mode, "job_id": str(claim.job.id)},
                )
                jobs_of(session).enqueue(
                    f"sync job {claim.job.id}",
                    self.sync_sender(tenant_id, claim.job.id, claim.owner, mode),
                    if_not_sent=self._canceller(tenant_id, claim.job.id),
                )
        except JobNotSent as error:
            raise ServiceUnavailable(
                "The sync could not be queued; try again in a moment."
            ) from error
        async with self.db.tenant_session(tenant_id) as session:
            job = await repository.get_job(session, tenant_id, store_id, claim.job.id)
        return service.job_out(job if job is not None else claim.job)

    def _canceller(self, tenant_id: TenantId, job_id: uuid.UUID) -> Send:
        async def cancel() -> None:
            async with self.db.tenant_session(tenant_id) as session:
                await jobs.cancel_job(session, tenant_id, job_id)

        return cancel

    async def _load(self, tenant_id: TenantId, store_id: uuid.UUID) -> StoreConnection:
        async with self.db.tenant_session(tenant_id) as session:
            return await service.require_store(session, tenant_id, store_id)

    async def _register(
        self,
        tenant_id: TenantId,
        *,
        url: str,
        consumer_key: str,
        consumer_secret: str,
        webhook_secret: str | None,
        name: str | None = None,
    ) -> RegisteredStore:
        return await register_store(
            self.db,
            self.secret_box,
            tenant_id,
            url=url,
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            webhook_secret=webhook_secret,
            name=name,
            public_api_url=self.public_api_url,
            client_factory=self.client_factory,
            outbound=self.outbound,
        )

    async def _audited(
        self,
        context: MerchantContext,
        registered: RegisteredStore,
        action: str,
        client: ClientInfo,
    ) -> StoreOut:
        async with self.db.tenant_session(context.tenant_id) as session:
            await audit.record_by(
                session,
                context,
                action,
                client=client,
                target_type="store",
                target_id=registered.store_id,
                details={"base_url": registered.base_url},
            )
            return await service.get_store(session, context, registered.store_id)


def store_connection_flows(runtime: RuntimeDep) -> StoreConnectionFlows:
    return StoreConnectionFlows(
        db=runtime.db,
        secret_box=runtime.deps.secret_box,
        public_api_url=runtime.deps.settings.public_api_url,
        client_factory=runtime.deps.store_client_factory,
        outbound=runtime.outbound_policy(),
        sync_sender=runtime.sync_sender,
    )


StoreFlowsDep = Annotated[StoreConnectionFlows, Depends(store_connection_flows)]
