"""Sync entry points: start a job (the per-store lock), run it in the foreground, or run
it a few pages at a time (Celery steps).

    claim = await start_sync(db, tenant_id, store_id, mode="full")  # Conflict if busy
    # start + run to the end; the job's final SyncJobRecord
    record = await run_sync(db, tenant_id, store_id, mode="incremental",
                            secret_box=box, embedder=embedder, progress=bar)
    result = await run_sync_steps(db, tenant_id, job_id, owner, ..., max_pages=5)  # a slice
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from core import search_vocabulary
from core.crypto import SecretBox
from core.db.database import Database
from core.db.rows import tenant_row
from core.ids import TenantId
from core.models import StoreConnection
from core.models.sync import SyncTrigger
from core.outbound import OutboundPolicy
from engine.embeddings import Embedder
from ingestion.indexing.service import IndexingService
from ingestion.indexing.vector_indexes import VectorIndexPolicy, maintain_after_sync
from ingestion.sync import jobs, steps
from ingestion.sync.progress import RunOutcome, SyncProgress
from ingestion.sync.runner import (
    DEFAULT_OVERLAP,
    DEFAULT_PER_PAGE,
    AfterPage,
    RunResult,
    SyncRunner,
)
from ingestion.sync.source import CatalogSource
from ingestion.sync.woo_source import WooCatalogSource

SourceFactory = Callable[[StoreConnection, SecretBox], CatalogSource]


def store_credentials(store: StoreConnection, secret_box: SecretBox) -> tuple[str, str]:
    values = secret_box.decrypt_json(store.credentials_ciphertext)
    return str(values["consumer_key"]), str(values["consumer_secret"])


def woo_source_for(
    store: StoreConnection, secret_box: SecretBox, **options: Any
) -> WooCatalogSource:
    key, secret = store_credentials(store, secret_box)
    return WooCatalogSource(store.base_url, key, secret, currency=store.currency, **options)


async def load_store(db: Database, tenant_id: TenantId, store_id: uuid.UUID) -> StoreConnection:
    async with db.tenant_session(tenant_id) as session:
        return await tenant_row(
            session, StoreConnection, tenant_id, store_id, missing="store not found"
        )


async def start_sync(
    db: Database,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    mode: str,
    trigger: str = SyncTrigger.MANUAL,
    stale_after: timedelta = jobs.DEFAULT_STALE_AFTER,
    task_id: str | None = None,
) -> jobs.JobClaim:
    """Create the store's sync job (committed), or take over a stale one; `Conflict` if a
    live job holds the store. `task_id`: the Celery start task's, whose step 0 it is."""
    await load_store(db, tenant_id, store_id)  # NotFound for another tenant's store
    async with db.tenant_session(tenant_id) as session:
        return await jobs.create_job(
            session,
            tenant_id,
            store_id,
            mode=mode,
            trigger=trigger,
            stale_after=stale_after,
            fence=steps.started_by(task_id) if task_id is not None else None,
        )


async def run_sync_steps(
    db: Database,
    tenant_id: TenantId,
    job_id: uuid.UUID,
    owner: str,
    *,
    secret_box: SecretBox,
    embedder: Embedder,
    max_pages: int | None = None,
    progress: SyncProgress | None = None,
    source_factory: SourceFactory | None = None,
    per_page: int = DEFAULT_PER_PAGE,
    overlap: timedelta = DEFAULT_OVERLAP,
    after_page: AfterPage | None = None,
    outbound: OutboundPolicy | None = None,
    vector_indexes: VectorIndexPolicy | None = None,
) -> RunResult:
    """Run an already claimed job for at most `max_pages` pages (None: to the end).

    `outbound`: the guard's policy for the store's URL (None: the process's configured
    one); a given `source_factory` brings its own. Once the job has succeeded, the
    tenant's search vocabulary is recomputed (core.search_vocabulary), and its vector
    index is created or dropped if its chunk count crossed a threshold
    (`ingestion.indexing.vector_indexes`; `vector_indexes`: the owner's URL and the
    thresholds, None: the process's configured ones)."""
    async with db.tenant_session(tenant_id) as session:
        job = await jobs.get_job(session, tenant_id, job_id)
    store = await load_store(db, tenant_id, job.store_id)
    source = (
        source_factory(store, secret_box)
        if source_factory
        else woo_source_for(store, secret_box, outbound=outbound)
    )
    try:
        runner = SyncRunner(
            db,
            tenant_id,
            store_id=store.id,
            source=source,
            indexer=IndexingService(db, tenant_id, embedder),
            per_page=per_page,
            overlap=overlap,
            progress=progress,
            after_page=after_page,
        )
        claim = jobs.JobClaim(job=job, owner=owner)
        result = await runner.run(claim, max_pages=max_pages)
    finally:
        await source.aclose()
    if result.done and result.status is RunOutcome.SUCCEEDED:
        # The run's batches only added to the tenant's search vocabulary: what its updates
        # and deletions took away goes now, with the chunk count of the products it
        # deleted (core.search_vocabulary). A transaction of its own, after the job's: the
        # catalogue-wide read never holds the last page's locks.
        async with db.tenant_session(tenant_id) as session:
            await search_vocabulary.recompute(session, tenant_id)
        # After the job is recorded as done: the merchant never waits for a graph build.
        await maintain_after_sync(tenant_id, vector_indexes)
    return result


async def run_sync(
    db: Database,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    mode: str = "incremental",
    secret_box: SecretBox,
    embedder: Embedder,
    trigger: str = SyncTrigger.MANUAL,
    progress: SyncProgress | None = None,
    source_factory: SourceFactory | None = None,
    per_page: int = DEFAULT_PER_PAGE,
    overlap: timedelta = DEFAULT_OVERLAP,
    stale_after: timedelta = jobs.DEFAULT_STALE_AFTER,
    after_page: AfterPage | None = None,
    outbound: OutboundPolicy | None = None,
    vector_indexes: VectorIndexPolicy | None = None,
) -> jobs.SyncJobRecord:
    """Start (or take over) the store's sync and run it to the end in this process.

    Returns the final job record: status succeeded or failed, with the counts. Raises
    `Conflict` when another live sync holds the store.
    """
    claim = await start_sync(
        db, tenant_id, store_id, mode=mode, trigger=trigger, stale_after=stale_after
    )
    await run_sync_steps(
        db,
        tenant_id,
        claim.job.id,
        claim.owner,
        secret_box=secret_box,
        embedder=embedder,
        progress=progress,
        source_factory=source_factory,
        per_page=per_page,
        overlap=overlap,
        after_page=after_page,
        outbound=outbound,
        vector_indexes=vector_indexes,
    )
    return await load_job_record(db, tenant_id, claim.job.id)


async def load_job_record(
    db: Database, tenant_id: TenantId, job_id: uuid.UUID
) -> jobs.SyncJobRecord:
    async with db.tenant_session(tenant_id) as session:
        return jobs.job_record(await jobs.get_job(session, tenant_id, job_id))
