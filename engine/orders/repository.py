"""The catalogue products an order holds, as cards: the order's answer shows what it names
with the product's live facts, like any answer that talks about products."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Product
from engine.retrieval.search import IN_STOCK_STATUSES
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
            select(Product).where(
                Product.tenant_id == tenant_id,
                Product.store_id == store_id,
                Product.external_id.in_(list(external_ids)),
                Product.status == "publish",
            )
        )
    ).scalars()
    by_id = {row.external_id: row for row in rows}
    return [_hit(by_id[e]) for e in dict.fromkeys(external_ids) if e in by_id]


def _hit(row: Product) -> ProductHit:
    return ProductHit(
        product_id=row.id,
        external_id=row.external_id,
        sku=row.sku,
        title=row.name,
        url=row.permalink,
        price=row.price,
        regular_price=row.regular_price,
        sale_price=row.sale_price,
        currency=row.currency,
        on_sale=row.on_sale,
        in_stock=row.stock_status in IN_STOCK_STATUSES,
        stock_status=row.stock_status,
        stock_quantity=row.stock_quantity,
        image_url=row.image_url,
    )
