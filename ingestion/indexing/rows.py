"""What indexing writes: one product row (+ its variations) and its chunks.

These are plain values, decoupled from the WooCommerce mapping, so the repository's SQL
depends on nothing but the table shapes. The live facts travel as one `LiveFacts` value,
whose fields are exactly the tables' live-fact columns (`core.models.product`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from core.models.product import LIVE_FACT_NAMES
from ingestion.rendering import html_to_text

# The product's own columns besides its live facts and descriptions.
LISTING_COLUMNS = (
    "external_id",
    "type",
    "status",
    "name",
    "slug",
    "currency",
    "categories",
    "tags",
    "average_rating",
    "rating_count",
    "weight",
    "dimensions",
)
# What decides "unchanged": every column but the descriptions, whose text is already
# covered by the content hash (rendering them again for every unchanged product would
# double the cost of a no-change resync).
COMPARED_COLUMNS = (*LISTING_COLUMNS, *LIVE_FACT_NAMES)
PRODUCT_COLUMNS = (*COMPARED_COLUMNS, "short_description", "description")
VARIATION_COLUMNS = ("external_id", "status", *LIVE_FACT_NAMES)


@dataclass(frozen=True)
class LiveFacts:
    """A product's or a variation's live facts, one field per live-fact column."""

    sku: str | None = None
    permalink: str | None = None
    price: Decimal | None = None
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    on_sale: bool = False
    stock_status: str = "instock"
    stock_quantity: int | None = None
    image_url: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    source_modified_at: datetime | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in LIVE_FACT_NAMES}


@dataclass(frozen=True)
class VariationRow:
    external_id: str
    status: str = "publish"
    facts: LiveFacts = field(default_factory=LiveFacts)

    def values(self) -> dict[str, Any]:
        return {"external_id": self.external_id, "status": self.status, **self.facts.values()}


@dataclass(frozen=True)
class ProductRow:
    external_id: str
    name: str
    type: str = "simple"
    status: str = "publish"
    slug: str | None = None
    currency: str = "USD"
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    short_description_html: str = ""
    description_html: str = ""
    average_rating: Decimal | None = None
    rating_count: int = 0
    weight: str | None = None
    dimensions: dict[str, str] = field(default_factory=dict)
    facts: LiveFacts = field(default_factory=LiveFacts)
    variations: tuple[VariationRow, ...] = ()

    def compared_values(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in LISTING_COLUMNS}
        out["categories"] = list(self.categories)
        out["tags"] = list(self.tags)
        return out | self.facts.values()

    def values(self) -> dict[str, Any]:
        """Every column, descriptions as plain text (computed here: only rows being written)."""
        out = self.compared_values()
        out["short_description"] = html_to_text(self.short_description_html) or None
        out["description"] = html_to_text(self.description_html) or None
        return out


@dataclass(frozen=True)
class ChunkText:
    """One chunk's text before embedding."""

    ordinal: int
    title: str
    attributes_text: str
    body: str
    token_count: int

    def embedding_input(self) -> str:
        # The body already starts with the title line (see ingestion.chunking).
        return self.body
