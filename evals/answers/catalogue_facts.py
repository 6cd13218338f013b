"""The eval tenant's catalogue as the sync left it (`records.Catalogue`): what every answer
is judged against.

Read from the database, not from the catalogue file, on purpose: the facts an answer must
quote are the ones the product holds after the real ingestion path (drafts and private
products never sync, a sale price is the price paid now), so a metric never blames the
answer for a difference the sync made.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from core.db.database import Database
from core.ids import TenantId
from core.models import Product, ProductVariation, Tenant
from evals.answers.records import Catalogue, CatalogueProduct, CatalogueVariant

# WooCommerce's stock statuses, as the suites write them.
STOCK_WORDS = {"instock": "in_stock", "outofstock": "out_of_stock", "onbackorder": "on_backorder"}


def two_decimals(amount: Decimal | None) -> str | None:
    if amount is None:
        return None
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def stock_word(status: str) -> str:
    return STOCK_WORDS.get(status, status)


def _options(attributes: dict[str, Any]) -> dict[str, list[str]]:
    return {
        str(name): [str(v) for v in values] if isinstance(values, list) else [str(values)]
        for name, values in (attributes or {}).items()
    }


def _variant(row: ProductVariation) -> CatalogueVariant:
    chosen = {name: values[0] for name, values in _options(row.attributes).items() if values}
    return CatalogueVariant(
        external_id=row.external_id,
        options=chosen,
        price=two_decimals(row.price),
        stock=stock_word(row.stock_status),
        regular_price=two_decimals(row.regular_price),
    )


async def read_catalogue(db: Database, tenant_id: TenantId) -> Catalogue:
    """Every product of the tenant (each with its variations, in store id order)."""
    async with db.tenant_session(tenant_id) as session:
        tenant = await session.get(Tenant, tenant_id)
        products = (
            await session.scalars(select(Product).where(Product.tenant_id == tenant_id))
        ).all()
        variations = (
            await session.scalars(
                select(ProductVariation).where(ProductVariation.tenant_id == tenant_id)
            )
        ).all()
    by_parent: dict[uuid.UUID, list[ProductVariation]] = {}
    for variation in variations:
        by_parent.setdefault(variation.product_id, []).append(variation)
    facts = {}
    for row in products:
        children = sorted(by_parent.get(row.id, []), key=lambda v: _numeric_first(v.external_id))
        facts[row.external_id] = CatalogueProduct(
            external_id=row.external_id,
            title=row.name,
            price=two_decimals(row.price),
            regular_price=two_decimals(row.regular_price),
            stock=stock_word(row.stock_status),
            categories=list(row.categories),
            attributes=_options(row.attributes),
            variants=[_variant(v) for v in children],
        )
    currency = tenant.currency if tenant is not None else "USD"
    return Catalogue(
        currency=currency,
        products=dict(sorted(facts.items(), key=lambda item: _numeric_first(item[0]))),
        support_email=tenant.support_email if tenant is not None else None,
    )


def _numeric_first(external_id: str) -> tuple[int, str]:
    # WooCommerce ids are numbers: "9" before "10".
    return (int(external_id), "") if external_id.isdigit() else (1 << 62, external_id)
