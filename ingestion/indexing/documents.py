"""A store product as indexing sees it: its row (live facts in columns), its rendered text,
and the hash that decides whether its embeddings are still good.

`content_hash` (stored in `products.content_hash`) covers exactly what becomes a chunk:
title, attributes text and body, the render and chunking versions, and the embedding
space. It deliberately leaves out the live facts (price, stock, sale): the renderer keeps
those out of the text, the sync updates them in columns on every pass, and a price change
therefore never costs an embedding. Switching the embedding provider changes the space
and so re-embeds everything once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingestion.indexing.chunks import chunk_rendered
from ingestion.indexing.rows import ChunkText, LiveFacts, ProductRow, VariationRow
from ingestion.rendering import RENDER_VERSION, RenderedProduct, render_product
from ingestion.woocommerce.mapping import ProductRecord, ReviewRecord, is_indexable

# Bump when chunk boundaries or the embedded input change shape.
INDEX_FORMAT_VERSION = 1


@dataclass
class ProductDocument:
    row: ProductRow
    indexable: bool
    rendered: RenderedProduct | None = None
    content_hash: str = ""
    chunks: list[ChunkText] | None = None
    vectors: list[list[float]] | None = None
    product_id: uuid.UUID | None = None
    # Reconcile's shortcut: the store says this product has not been modified since we
    # stored it, so only its listing-level facts (price, stock) are compared and refreshed;
    # its text, chunks and variations are left as they are.
    facts_only: bool = False

    @classmethod
    def from_record(
        cls, record: ProductRecord, reviews: Sequence[ReviewRecord] = ()
    ) -> ProductDocument:
        indexable = is_indexable(record)
        rendered = render_product(record, reviews) if indexable else None
        return cls(row=product_row(record), indexable=indexable, rendered=rendered)

    @classmethod
    def facts_from_record(cls, record: ProductRecord) -> ProductDocument:
        return cls(row=product_row(record), indexable=True, facts_only=True)

    def text_hash(self, space: str) -> str:
        assert self.rendered is not None, "only indexable products are hashed"
        digest = hashlib.sha256()
        for part in (
            f"render={RENDER_VERSION};index={INDEX_FORMAT_VERSION};space={space}",
            self.rendered.title,
            self.rendered.attributes_text,
            self.rendered.body,
        ):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()

    def chunk(self, space: str) -> list[ChunkText]:
        assert self.rendered is not None, "only indexable products are chunked"
        return chunk_rendered(
            self.rendered.title, self.rendered.attributes_text, self.rendered.body, space=space
        )


def _clip(value: str | None, limit: int) -> str | None:
    if not value:
        return None
    return value[:limit]


def _rating(value: float) -> Decimal | None:
    if not value:
        return None
    return Decimal(str(round(min(max(value, 0.0), 9.99), 2)))


def _attributes(record: ProductRecord) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, values in record.attributes:
        if name and values:
            out.setdefault(name, [])
            out[name].extend(v for v in values if v not in out[name])
    return out


def live_facts(record: ProductRecord) -> LiveFacts:
    """The record's live facts, clipped to their columns' sizes."""
    return LiveFacts(
        sku=_clip(record.sku, 100),
        permalink=_clip(record.permalink, 1000),
        price=record.price,
        regular_price=record.regular_price,
        sale_price=record.sale_price,
        on_sale=record.on_sale,
        stock_status=record.stock_status[:32],
        stock_quantity=record.stock_quantity,
        image_url=_clip(record.image_url, 1000),
        attributes=_attributes(record),
        source_modified_at=record.date_modified_gmt,
    )


def variation_row(record: ProductRecord) -> VariationRow:
    return VariationRow(
        external_id=str(record.external_id), status=record.status, facts=live_facts(record)
    )


def product_row(record: ProductRecord) -> ProductRow:
    return ProductRow(
        external_id=str(record.external_id),
        name=(record.name or f"Product {record.external_id}")[:500],
        type=record.type[:32],
        status=record.status[:32],
        slug=_clip(record.slug, 500),
        currency=(record.currency or "USD")[:3],
        categories=tuple(record.categories),
        tags=tuple(record.tags),
        short_description_html=record.short_description_html,
        description_html=record.description_html,
        average_rating=_rating(record.average_rating),
        rating_count=record.rating_count,
        weight=record.weight or None,
        dimensions=dict(record.dimensions),
        facts=live_facts(record),
        # Only what a shopper can buy: disabled (private) variations stay out.
        variations=tuple(variation_row(v) for v in record.variations if v.status == "publish"),
    )
