"""The catalogue products an order holds, as cards: the order's answer shows what it names
with the product's live facts, like any answer that talks about products (the hits are
built by engine.retrieval.hits, the one row → hit code)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Product
from engine.retrieval.hits import load_product_hits
from engine.types import ProductHit


async def ordered_products(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    external_ids: Sequence[str],
) -> list[ProductHit]:
    """The published products with these store ids, in the order given (missing ones left
    out: a product the store no longer sells gets no card)."""
    if store_id is None or not external_ids:
        return []
    rows = (
        await session.execute(
            select(Product.id, Product.external_id).where(
                Product.tenant_id == tenant_id,
                Product.store_id == store_id,
                Product.external_id.in_(list(external_ids)),
                Product.status == "publish",
            )
        )
    ).all()
    by_store_id = {row.external_id: row.id for row in rows}
    ids = [by_store_id[e] for e in dict.fromkeys(external_ids) if e in by_store_id]
    return await load_product_hits(session, tenant_id=tenant_id, product_ids=ids)
