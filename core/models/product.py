"""Products and variations with their live facts in columns.

Price and stock are answered from these columns at answer time, never from chunk text.
`LiveFactColumns` is the one definition of those facts: indexing writes them
(`ingestion.indexing.rows.LiveFacts` holds exactly these fields, a test checks it) and
retrieval selects them (`PRODUCT_LIVE_FACTS`), both from the column lists below.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Computed,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, TenantScoped, Timestamps, UUIDPrimaryKey, tenant_foreign_key

Money = Numeric(12, 2)
# products.name_head (migration 0015 holds its own copy).
NAME_HEAD_SQL = "lower(split_part(name, ' ', 1))"


class LiveFactColumns:
    """The facts a product and each of its variations keep current in columns (refreshed on
    every sync, read when a question is answered)."""

    sku: Mapped[str | None] = mapped_column(String(100))
    permalink: Mapped[str | None] = mapped_column(String(1000))
    price: Mapped[Decimal | None] = mapped_column(Money)
    regular_price: Mapped[Decimal | None] = mapped_column(Money)
    sale_price: Mapped[Decimal | None] = mapped_column(Money)
    on_sale: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    stock_status: Mapped[str] = mapped_column(String(32), nullable=False, server_default="instock")
    stock_quantity: Mapped[int | None] = mapped_column(Integer)
    image_url: Mapped[str | None] = mapped_column(String(1000))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default="{}")
    source_modified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Product(UUIDPrimaryKey, TenantScoped, Timestamps, LiveFactColumns, Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("tenant_id", "store_id", "external_id"),  # the sync's upsert target
        Index("ix_products_tenant_id_price", "tenant_id", "price"),
        Index("ix_products_tenant_id_name_head", "tenant_id", "name_head"),
        tenant_foreign_key("products", "store_id", "store_connections", ondelete="CASCADE"),
    )

    store_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    external_id: Mapped[str] = mapped_column(String(64), nullable=False)
    type: Mapped[str] = mapped_column(String(32), nullable=False, server_default="simple")
    status: Mapped[str] = mapped_column(String(32), nullable=False, server_default="publish")
    name: Mapped[str] = mapped_column(String(500), nullable=False)
    # The name's first word, lower-cased: what a question that names the product must
    # contain, as an index key usable under row-level security (migration 0015).
    name_head: Mapped[str | None] = mapped_column(Text, Computed(NAME_HEAD_SQL, persisted=True))
    slug: Mapped[str | None] = mapped_column(String(500))
    currency: Mapped[str] = mapped_column(String(3), nullable=False, server_default="USD")
    categories: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    short_description: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    average_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    rating_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    # Shipping facts as the store sends them: strings in its weight and dimension units
    # (WooCommerce's `weight`, and `dimensions` with length/width/height; empty ones left out).
    weight: Mapped[str | None] = mapped_column(String(32))
    dimensions: Mapped[dict[str, str]] = mapped_column(JSONB, nullable=False, server_default="{}")
    # sha256 of everything indexable: an unchanged hash means no re-render, no re-embed.
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    indexed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProductVariation(UUIDPrimaryKey, TenantScoped, Timestamps, LiveFactColumns, Base):
    __tablename__ = "product_variations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id", "external_id"),  # the sync's upsert target
        tenant_foreign_key("product_variations", "product_id", "products", ondelete="CASCADE"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    external_id: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(32), nullable=False, server_default="publish")


def _live_fact_columns(model: type[Base]) -> tuple[Column[Any], ...]:
    columns = inspect(model).columns
    return tuple(columns[name] for name in LiveFactColumns.__annotations__)


# The live-fact columns of each table, in declaration order; their keys are the names of
# the facts wherever they travel as values.
PRODUCT_LIVE_FACTS = _live_fact_columns(Product)
VARIATION_LIVE_FACTS = _live_fact_columns(ProductVariation)
LIVE_FACT_NAMES: tuple[str, ...] = tuple(column.key for column in PRODUCT_LIVE_FACTS)
