"""The eval tenant: an isolated tenant holding the suite's catalogue, synced through the real
ingestion path exactly as `shopbot demo` syncs its store (register_store tests the connection
and stores the encrypted key, then run_sync fetches every page over HTTP, renders, chunks,
embeds and writes it).

Its id is a uuid5 of what the index depends on: the catalogue file's fingerprint, the chunk
size and overlap, the embedding space and `BUILD_VERSION`. A later run with the same inputs
reuses it when its last sync succeeded; `--rebuild` (or an incomplete earlier build)
replaces it. Each chunk configuration of a sweep is therefore a tenant of its own.

The store emulator runs on a free 127.0.0.1 port only while the sync runs; the outbound
policy allows that host and port and nothing else. Afterwards the store connection is
marked disconnected, so no scheduled sync ever tries to reach it again.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cli.eval_answers.catalogues import EvalCatalogue
from cli.sync_commands import RichSyncProgress
from core.billing.plan_changes import set_plan_manually
from core.billing.plans import offered_plan
from core.ids import TenantId
from core.models import Bot, StoreConnection, SyncJob, Tenant
from core.models.store import StoreStatus
from core.models.sync import SyncJobStatus
from core.outbound import OutboundPolicy
from core.provisioning import ProvisionedTenant, add_tenant_with_bot
from core.runtime import Runtime
from dashboard_api.privacy import repository as erasure
from engine.embeddings import Embedder
from ingestion.indexing.chunks import CHUNKING_OVERRIDE
from ingestion.stores import register_store
from ingestion.sync.jobs import SyncJobRecord
from ingestion.sync.service import run_sync

# Bump when what a build writes changes, so older eval tenants are not reused.
BUILD_VERSION = 1
NAMESPACE = uuid.UUID("5b0f4f0e-7a4c-4d55-9a43-6e1f3c0a9e17")
# The origin the runner's requests come from; the bot allows it.
EVAL_ORIGIN = "https://eval-shop.example.com"
# The eval tenant is on Scale: its product count fits (Free holds 500) and its rate-limit
# ceilings are the highest of the plans (see cli.eval_answers.app for the limits).
EVAL_PLAN = "scale"


@dataclass(frozen=True, slots=True)
class EvalTenantRef:
    tenant_id: TenantId
    bot_id: uuid.UUID
    widget_key: str
    reused: bool
    sync_seconds: float | None = None  # set when this run built it
    products: int | None = None
    chunks: int | None = None


def eval_marker(catalogue: EvalCatalogue, chunking: tuple[int, int], space: str) -> dict:
    size, overlap = chunking
    return {
        "catalogue": catalogue.name,
        "fingerprint": catalogue.fingerprint,
        "chunk_size": size,
        "chunk_overlap": overlap,
        "embedding_space": space,
        "build": BUILD_VERSION,
    }


def eval_tenant_id(marker: dict) -> TenantId:
    return TenantId(uuid.uuid5(NAMESPACE, json.dumps(marker, sort_keys=True)))


async def ensure_eval_tenant(
    runtime: Runtime,
    embedder: Embedder,
    catalogue: EvalCatalogue,
    chunking: tuple[int, int],
    *,
    rebuild: bool = False,
) -> EvalTenantRef:
    marker = eval_marker(catalogue, chunking, embedder.space.name)
    tenant_id = eval_tenant_id(marker)
    if not rebuild:
        found = await find_eval_tenant(runtime, tenant_id, marker)
        if found is not None:
            return found
    return await build_eval_tenant(runtime, embedder, catalogue, chunking, tenant_id, marker)


async def find_eval_tenant(
    runtime: Runtime, tenant_id: TenantId, marker: dict
) -> EvalTenantRef | None:
    """The tenant when it exists, is this build and its last sync succeeded."""
    async with runtime.db.tenant_session(tenant_id) as session:
        tenant = await session.get(Tenant, tenant_id)
        if tenant is None or (tenant.profile or {}).get("answer_eval") != marker:
            return None
        last_sync = await session.scalar(
            select(SyncJob.status)
            .where(SyncJob.tenant_id == tenant_id)
            .order_by(SyncJob.created_at.desc())
            .limit(1)
        )
        bot = await session.scalar(select(Bot).where(Bot.tenant_id == tenant_id))
    if last_sync != SyncJobStatus.SUCCEEDED.value or bot is None:
        return None
    return EvalTenantRef(tenant_id, bot.id, bot.widget_key, reused=True)


async def build_eval_tenant(
    runtime: Runtime,
    embedder: Embedder,
    catalogue: EvalCatalogue,
    chunking: tuple[int, int],
    tenant_id: TenantId,
    marker: dict,
) -> EvalTenantRef:
    created = await _create_tenant(runtime, catalogue, tenant_id, marker)
    started = time.perf_counter()
    record = await _sync_catalogue(runtime, embedder, catalogue, chunking, tenant_id)
    if record.status != SyncJobStatus.SUCCEEDED:
        raise RuntimeError(f"the eval store's sync {record.status}: {record.error or ''}".strip())
    return EvalTenantRef(
        tenant_id,
        created.bot_id,
        created.widget_key,
        reused=False,
        sync_seconds=time.perf_counter() - started,
        products=record.counts.seen,
        chunks=record.counts.chunks_written,
    )


async def _create_tenant(
    runtime: Runtime, catalogue: EvalCatalogue, tenant_id: TenantId, marker: dict
) -> ProvisionedTenant:
    """The tenant (an older one of the same id replaced), its bot, policies and plan."""
    policies = catalogue.policies
    async with runtime.db.tenant_session(tenant_id) as session:
        if await session.get(Tenant, tenant_id) is not None:
            await _erase(session, tenant_id)  # incomplete, or --rebuild: start over
        created = await add_tenant_with_bot(
            session,
            tenant_id,
            name=f"shopbot answer eval: {catalogue.name} ({marker['fingerprint'][:8]})",
            allowed_origins=[EVAL_ORIGIN],
        )
        await session.execute(
            update(Tenant)
            .where(Tenant.id == tenant_id)
            .values(
                website=policies.website,
                support_email=policies.support_email,
                shipping_policy=policies.shipping_policy,
                returns_policy=policies.returns_policy,
                profile={"answer_eval": marker},
            )
        )
        await set_plan_manually(session, tenant_id, await offered_plan(session, EVAL_PLAN))
    return created


REBUILD_STATEMENT_TIMEOUT_S = 600


async def _erase(session: AsyncSession, tenant_id: TenantId) -> None:
    """Every row of the tenant, children before parents, as a business's erasure does: a
    cascade from the tenant row would fire the question clusters' triggers on messages
    after their tenant is gone (a foreign key violation)."""
    # Each run keeps its conversations: a long-reused tenant's DELETEs outgrow the pool's
    # request-sized statement timeout, as a big business's erasure does.
    await erasure.allow_long_statements(session, REBUILD_STATEMENT_TIMEOUT_S)
    tables = await erasure.tenant_tables(session)
    for table in await erasure.deletion_order(session, tables):
        await erasure.delete_rows(session, tenant_id, table)
    await erasure.delete_rows(session, tenant_id, erasure.TENANTS_TABLE)


async def _sync_catalogue(
    runtime: Runtime,
    embedder: Embedder,
    catalogue: EvalCatalogue,
    chunking: tuple[int, int],
    tenant_id: TenantId,
) -> SyncJobRecord:
    """The store emulator up for as long as the sync runs; its connection left
    disconnected."""
    db = runtime.db
    with catalogue.store() as store:
        outbound = OutboundPolicy(
            allow_http=True,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({store.port}),
        )
        registered = await register_store(
            db,
            runtime.secrets.secret_box,
            tenant_id,
            url=store.url,
            consumer_key=store.consumer_key,
            consumer_secret=store.consumer_secret,
            name=f"{catalogue.name} eval store",
            outbound=outbound,
        )
        token = CHUNKING_OVERRIDE.set(chunking)
        try:
            with RichSyncProgress() as bar:
                record = await run_sync(
                    db,
                    tenant_id,
                    registered.store_id,
                    mode="full",
                    secret_box=runtime.secrets.secret_box,
                    embedder=embedder,
                    progress=bar,
                    outbound=outbound,
                )
        finally:
            CHUNKING_OVERRIDE.reset(token)
    async with db.tenant_session(tenant_id) as session:
        await session.execute(
            update(StoreConnection)
            .where(StoreConnection.id == registered.store_id)
            .values(status=StoreStatus.DISCONNECTED.value)
        )
    return record
