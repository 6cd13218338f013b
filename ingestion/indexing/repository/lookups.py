"""Reads the sync and the webhooks need about what is stored: which products, since when."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Product, ProductVariation, StoreConnection


async def product_by_variation(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, variation_external_id: str
) -> str | None:
    """The external id of the product that owns a variation (webhooks name variations)."""
    return await session.scalar(
        select(Product.external_id)
        .join(ProductVariation, ProductVariation.product_id == Product.id)
        .where(
            Product.tenant_id == tenant_id,
            Product.store_id == store_id,
            ProductVariation.external_id == variation_external_id,
        )
        .limit(1)
    )


async def store_product_ids(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID
) -> list[str]:
    rows = await session.scalars(
        select(Product.external_id).where(
            Product.tenant_id == tenant_id, Product.store_id == store_id
        )
    )
    return list(rows)


async def store_belongs_to(session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(StoreConnection.id).where(
            StoreConnection.tenant_id == tenant_id, StoreConnection.id == store_id
        )
    )
    return found is not None


async def known_modified(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID
) -> dict[int, Any]:
    """external id → `source_modified_at` of every stored product with a numeric id."""
    rows = await session.execute(
        select(Product.external_id, Product.source_modified_at).where(
            Product.tenant_id == tenant_id, Product.store_id == store_id
        )
    )
    return {int(r.external_id): r.source_modified_at for r in rows if r.external_id.isdigit()}
