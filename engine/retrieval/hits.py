"""Product rows → `ProductHit`s: the one place a hit is built from the database.

Retrieval builds its hits here, and so does anything else that shows products by id (the
products of an earlier turn, a comparison's named products): every hit carries the same
live facts, read from the rows when the question is answered, never from chunk text. Two
statements for any number of products: their rows, then all their published variations.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.retrieval import repository
from engine.retrieval.cart_link import add_to_cart_url
from engine.types import ProductHit, VariationFact

IN_STOCK_STATUSES = frozenset({"instock", "onbackorder"})
DIMENSION_ORDER = ("length", "width", "height")


async def load_product_hits(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    product_ids: Sequence[uuid.UUID],
    snippets: Mapping[uuid.UUID, Sequence[str]] | None = None,
    scores: Mapping[uuid.UUID, float] | None = None,
) -> list[ProductHit]:
    """Hits for the given products in the given order, with their live facts and published
    variations; products that are gone or no longer published are left out. `snippets` and
    `scores` are what retrieval found for each (none: no excerpts, score 0)."""
    ids = list(dict.fromkeys(product_ids))
    rows = await repository.live_facts(session, tenant_id=tenant_id, product_ids=ids)
    variable = [pid for pid in ids if pid in rows and rows[pid].type == "variable"]
    variations = await repository.published_variations(
        session, tenant_id=tenant_id, product_ids=variable
    )
    return [
        product_hit(
            rows[pid],
            variations=variations.get(pid, ()),
            snippets=(snippets or {}).get(pid, ()),
            score=(scores or {}).get(pid, 0.0),
        )
        for pid in ids
        if pid in rows
    ]


def product_hit(
    row: Row[Any],
    *,
    variations: Sequence[Row[Any]] = (),
    snippets: Sequence[str] = (),
    score: float = 0.0,
) -> ProductHit:
    """A hit from a `repository.live_facts` row and its `published_variations` rows."""
    attributes = {
        str(name): tuple(str(v) for v in values) if isinstance(values, list) else (str(values),)
        for name, values in (row.attributes or {}).items()
    }
    return ProductHit(
        product_id=row.id,
        external_id=str(row.external_id),
        sku=row.sku,
        title=row.name,
        url=row.permalink,
        price=repository.price_or_none(row.price),
        regular_price=repository.price_or_none(row.regular_price),
        sale_price=repository.price_or_none(row.sale_price),
        currency=row.currency,
        on_sale=bool(row.on_sale),
        in_stock=row.stock_status in IN_STOCK_STATUSES,
        stock_status=row.stock_status,
        stock_quantity=row.stock_quantity,
        image_url=row.image_url,
        add_to_cart_url=add_to_cart_url(
            base_url=row.base_url,
            external_id=str(row.external_id),
            product_type=row.type,
            status=row.status,
            price=row.price,
            stock_status=row.stock_status,
        ),
        categories=tuple(row.categories or ()),
        attributes=attributes,
        snippets=tuple(snippets),
        score=score,
        variations=tuple(variation_fact(v) for v in variations),
        weight=row.weight or None,
        dimensions=_dimensions(row.dimensions),
        average_rating=_rating(row.average_rating, row.rating_count),
        rating_count=int(row.rating_count or 0),
    )


def variation_fact(row: Row[Any]) -> VariationFact:
    # A variation's attributes are {"Colour": ["Sky Blue"]}; an empty option means "any".
    options = {
        str(name): str(values[0]) if isinstance(values, list) else str(values)
        for name, values in (row.attributes or {}).items()
        if values
    }
    return VariationFact(
        external_id=str(row.external_id),
        options=options,
        sku=row.sku,
        price=repository.price_or_none(row.price),
        regular_price=repository.price_or_none(row.regular_price),
        sale_price=repository.price_or_none(row.sale_price),
        on_sale=bool(row.on_sale),
        in_stock=row.stock_status in IN_STOCK_STATUSES,
        stock_status=row.stock_status,
        stock_quantity=row.stock_quantity,
        image_url=row.image_url,
    )


def _dimensions(stored: Any) -> dict[str, str]:
    # JSONB keeps keys shortest first; shoppers and WooCommerce read length × width × height.
    sizes = {str(name): str(size) for name, size in (stored or {}).items() if size}
    known = [name for name in DIMENSION_ORDER if name in sizes]
    return {name: sizes[name] for name in known + sorted(sizes.keys() - set(known))}


def _rating(average: Any, count: Any) -> Decimal | None:
    # WooCommerce reports "0.00" for a product nobody rated: that is no rating, not 0 stars.
    if average is None or not count:
        return None
    return Decimal(average)
