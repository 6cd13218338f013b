"""A hand-written catalogue straight into the index, for engine tests that must not depend on
the WooCommerce sync path (`evals.seeded_index`, which the widget bench shares), and price
changes made behind the sync's back."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import update

from core.db.database import Database
from core.ids import TenantId
from core.models import Product
from evals.seeded_index import SeedProduct, seed_store

__all__ = ["SeedProduct", "seed_store", "set_price"]


async def set_price(db: Database, tenant_id: TenantId, product_id: uuid.UUID, price: str) -> None:
    async with db.tenant_session(tenant_id) as session:
        await session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(price=Decimal(price), regular_price=Decimal(price))
        )
