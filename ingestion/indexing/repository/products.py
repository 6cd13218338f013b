"""Writing products and their variations: one multi-row INSERT ... ON CONFLICT per table
and page, never going back in time (`source_modified_at`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Table,
    bindparam,
    delete,
    func,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models import Product, ProductVariation
from core.models.product import PRODUCT_LIVE_FACTS
from ingestion.indexing.rows import (
    COMPARED_COLUMNS,
    PRODUCT_COLUMNS,
    VARIATION_COLUMNS,
    ProductRow,
    VariationRow,
)

# Parameters per statement stay far below PostgreSQL's 65535 bind-parameter limit.
_ROWS_PER_STATEMENT = 500


@dataclass
class StoredProduct:
    id: uuid.UUID
    content_hash: str
    values: dict[str, Any]
    variations: dict[str, dict[str, Any]]

    def same_listing_facts(self, row: ProductRow) -> bool:
        return all(self.values[name] == value for name, value in row.facts.values().items())

    def same_facts(self, row: ProductRow) -> bool:
        if self.values != _normalise(row.compared_values()):
            return False
        new_variations = {v.external_id: _normalise(v.values()) for v in row.variations}
        return new_variations == self.variations


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key in ("categories", "tags"):
        if key in out and out[key] is not None:
            out[key] = list(out[key])
    return out


def _batches(items: Sequence[Any], size: int = _ROWS_PER_STATEMENT) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def load_stored(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    external_ids: Sequence[str],
    *,
    with_variations: bool = True,
) -> dict[str, StoredProduct]:
    if not external_ids:
        return {}
    columns = [getattr(Product, name) for name in COMPARED_COLUMNS]
    rows = (
        await session.execute(
            select(Product.id, Product.content_hash, *columns).where(
                Product.tenant_id == tenant_id,
                Product.store_id == store_id,
                Product.external_id.in_(list(external_ids)),
            )
        )
    ).all()
    stored: dict[str, StoredProduct] = {}
    by_id: dict[uuid.UUID, StoredProduct] = {}
    for row in rows:
        mapping = row._mapping
        values = {name: mapping[name] for name in COMPARED_COLUMNS}
        item = StoredProduct(
            id=row.id, content_hash=row.content_hash, values=_normalise(values), variations={}
        )
        stored[values["external_id"]] = item
        by_id[row.id] = item
    if by_id and with_variations:
        vcolumns = [getattr(ProductVariation, name) for name in VARIATION_COLUMNS]
        vrows = (
            await session.execute(
                select(ProductVariation.product_id, *vcolumns).where(
                    ProductVariation.tenant_id == tenant_id,
                    ProductVariation.product_id.in_(list(by_id)),
                )
            )
        ).all()
        for vrow in vrows:
            mapping = vrow._mapping
            values = {name: mapping[name] for name in VARIATION_COLUMNS}
            by_id[vrow.product_id].variations[values["external_id"]] = values
    return stored


async def upsert_products(
    session: AsyncSession,
    tenant_id: TenantId,
    store_id: uuid.UUID,
    items: Sequence[tuple[ProductRow, str, bool]],
) -> dict[str, tuple[uuid.UUID, bool]]:
    """Upsert rows given as (row, content_hash, chunks_rewritten).

    Returns external_id → (product id, inserted?) for the rows written; a row whose stored
    version is newer (`source_modified_at`) is left alone and missing from the result.
    `indexed_at` moves only for products whose chunks are rewritten in this transaction.
    """
    result: dict[str, tuple[uuid.UUID, bool]] = {}
    for batch in _batches(list(items)):
        values = []
        for row, content_hash, rewritten in batch:
            value = row.values()
            value.update(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                store_id=store_id,
                content_hash=content_hash,
                indexed_at=func.now() if rewritten else None,
            )
            values.append(value)
        inserting = insert(Product).values(values)
        excluded = inserting.excluded
        updates = {
            name: getattr(excluded, name) for name in PRODUCT_COLUMNS if name != "external_id"
        }
        updates["content_hash"] = excluded.content_hash
        updates["indexed_at"] = func.coalesce(excluded.indexed_at, Product.indexed_at)
        updates["updated_at"] = func.now()
        statement = inserting.on_conflict_do_update(
            index_elements=[Product.tenant_id, Product.store_id, Product.external_id],
            set_=updates,
            # The tenant check in the update too: a store id is never shared, but a
            # conflicting row of another tenant must never be touched. And never go back in
            # time: a slow sync page must not overwrite what a newer webhook already wrote.
            where=(Product.tenant_id == tenant_id)
            & (
                Product.source_modified_at.is_(None)
                | excluded.source_modified_at.is_(None)
                | (excluded.source_modified_at >= Product.source_modified_at)
            ),
        ).returning(
            Product.id, Product.external_id, literal_column("(xmax = 0)", Boolean).label("inserted")
        )
        for row in (await session.execute(statement)).all():
            result[row.external_id] = (row.id, bool(row.inserted))
    return result


async def replace_variations(
    session: AsyncSession,
    tenant_id: TenantId,
    variations_by_product: dict[uuid.UUID, Sequence[VariationRow]],
) -> None:
    """Make each product's variations exactly the given set (upsert + delete the rest)."""
    if not variations_by_product:
        return
    keep = [
        (product_id, variation.external_id)
        for product_id, variations in variations_by_product.items()
        for variation in variations
    ]
    product_ids = list(variations_by_product)
    stale = delete(ProductVariation).where(
        ProductVariation.tenant_id == tenant_id, ProductVariation.product_id.in_(product_ids)
    )
    if keep:
        stale = stale.where(
            tuple_(ProductVariation.product_id, ProductVariation.external_id).not_in(keep)
        )
    await session.execute(stale)
    rows = [
        {**variation.values(), "id": uuid.uuid4(), "tenant_id": tenant_id, "product_id": product_id}
        for product_id, variations in variations_by_product.items()
        for variation in variations
    ]
    for batch in _batches(rows):
        statement = insert(ProductVariation).values(list(batch))
        excluded = statement.excluded
        updates = {
            name: getattr(excluded, name) for name in VARIATION_COLUMNS if name != "external_id"
        }
        updates["updated_at"] = func.now()
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[
                    ProductVariation.tenant_id,
                    ProductVariation.product_id,
                    ProductVariation.external_id,
                ],
                set_=updates,
                where=ProductVariation.tenant_id == tenant_id,
            )
        )


async def delete_products(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, external_ids: Sequence[str]
) -> list[str]:
    """Delete products (their variations and chunks cascade); returns the ids deleted."""
    if not external_ids:
        return []
    rows = await session.scalars(
        delete(Product)
        .where(
            Product.tenant_id == tenant_id,
            Product.store_id == store_id,
            Product.external_id.in_(list(external_ids)),
        )
        .returning(Product.external_id)
    )
    return list(rows)


async def update_facts(
    session: AsyncSession, tenant_id: TenantId, store_id: uuid.UUID, rows: Sequence[ProductRow]
) -> int:
    """Refresh only the live-fact columns of stored products (one executemany)."""
    if not rows:
        return 0
    # The table, not the mapped class: a list of parameter sets on an ORM update() would
    # switch SQLAlchemy to its bulk-update-by-primary-key mode.
    table = cast(Table, Product.__table__)
    statement = (
        update(table)
        .where(
            table.c.tenant_id == tenant_id,
            table.c.store_id == store_id,
            table.c.external_id == bindparam("p_external_id"),
        )
        .values(
            {column.key: bindparam(f"p_{column.key}") for column in PRODUCT_LIVE_FACTS}
            | {"updated_at": func.now()}
        )
    )
    params = [
        {"p_external_id": row.external_id, **{f"p_{k}": v for k, v in row.facts.values().items()}}
        for row in rows
    ]
    result = cast(CursorResult[Any], await session.execute(statement, params))
    return result.rowcount or 0
