from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import search_vocabulary
from core.ids import TenantId
from core.models import Product, StoreConnection, SyncJob
from dashboard_api.pagination import Keyset, SortKey

STORE_SORTS = (SortKey("created_at", StoreConnection.created_at, datetime),)
JOB_SORTS = (SortKey("created_at", SyncJob.created_at, datetime),)


async def list_stores(
    session: AsyncSession,
    tenant_id: TenantId,
    keyset: Keyset,
    *,
    status: str | None,
) -> list[StoreConnection]:
    statement = select(StoreConnection).where(StoreConnection.tenant_id == tenant_id)
    if status:
        statement = statement.where(StoreConnection.status == status)
    return list(await session.scalars(keyset.apply(statement, StoreConnection.id)))


async def get_store(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID
) -> StoreConnection | None:
    return await session.scalar(
        select(StoreConnection)
        .where(StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id)
        .execution_options(populate_existing=True)
    )


async def store_id_by_url(
    session: AsyncSession, tenant_id: TenantId, base_url: str
) -> uuid.UUID | None:
    return await session.scalar(
        select(StoreConnection.id).where(
            StoreConnection.tenant_id == tenant_id, StoreConnection.base_url == base_url
        )
    )


async def product_counts(
    session: AsyncSession, tenant_id: TenantId, store_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    if not store_ids:
        return {}
    rows = await session.execute(
        select(Product.store_id, func.count())
        .where(Product.tenant_id == tenant_id, Product.store_id.in_(store_ids))
        .group_by(Product.store_id)
    )
    return {store_id: count for store_id, count in rows.all()}


async def set_status(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    *,
    status: str,
    last_error: str | None,
) -> None:
    await session.execute(
        update(StoreConnection)
        .where(StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id)
        .values(status=status, last_error=last_error)
    )


async def delete_store(session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID) -> bool:
    """Products, variations, chunks, sync jobs and webhook events go with it (ON DELETE
    CASCADE); bots answering from this store fall back to every store (SET NULL)."""
    deleted = await session.scalar(
        delete(StoreConnection)
        .where(StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id)
        .returning(StoreConnection.id)
    )
    if deleted is not None:
        # The store's categories, values and chunks leave the tenant's search vocabulary
        # (no sync of this store will ever recompute it).
        await search_vocabulary.recompute(session, tenant_id)
    return deleted is not None


async def list_jobs(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    keyset: Keyset,
    *,
    status: str | None,
) -> list[SyncJob]:
    statement = select(SyncJob).where(SyncJob.tenant_id == tenant_id, SyncJob.store_id == store_id)
    if status:
        statement = statement.where(SyncJob.status == status)
    return list(await session.scalars(keyset.apply(statement, SyncJob.id)))


async def get_job(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, job_id: uuid.UUID
) -> Any:
    return await session.scalar(
        select(SyncJob)
        .where(SyncJob.tenant_id == tenant_id, SyncJob.store_id == store_id, SyncJob.id == job_id)
        .execution_options(populate_existing=True)
    )
