"""A product (with variations and reviews) → the text we embed plus the facts we store.

The split is the point: `body` is what retrieval reads and never states a price, a sale or
a stock level, because chunk text is only re-embedded when it changes and would otherwise
keep quoting yesterday's price. Those volatile values travel in `facts`, which the database
keeps in columns refreshed on every sync and which answers read live.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from ingestion.rendering.html_text import html_to_text, one_line
from ingestion.rendering.prices import scrub_prices
from ingestion.woocommerce.mapping import ProductRecord, ReviewRecord

# Bump when the rendered text changes shape, so every product is re-embedded once.
RENDER_VERSION = 1
REVIEW_EXCERPT_CHARS = 220


@dataclass(frozen=True, slots=True)
class VariationFacts:
    external_id: int
    sku: str
    options: tuple[tuple[str, str], ...]  # (attribute, chosen option)
    price: Decimal | None
    regular_price: Decimal | None
    sale_price: Decimal | None
    on_sale: bool
    stock_status: str
    stock_quantity: int | None
    permalink: str
    image_url: str | None


@dataclass(frozen=True, slots=True)
class ProductFacts:
    price: Decimal | None
    regular_price: Decimal | None
    sale_price: Decimal | None
    on_sale: bool
    currency: str
    min_price: Decimal | None
    max_price: Decimal | None
    stock_status: str
    stock_quantity: int | None
    in_stock: bool
    permalink: str
    image_url: str | None
    variations: tuple[VariationFacts, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (Decimals as strings, so "9.90" and "9.9" stay distinct prices)."""
        as_json: dict[str, Any] = _jsonable(self)
        return as_json


@dataclass(frozen=True, slots=True)
class RenderedProduct:
    title: str
    attributes_text: str
    body: str
    facts: ProductFacts
    content_hash: str


def render_product(
    product: ProductRecord, reviews: Sequence[ReviewRecord] = (), *, max_review_excerpts: int = 3
) -> RenderedProduct:
    title = one_line(product.name) or f"Product {product.external_id}"
    axes = available_options(product)
    attributes_text = "; ".join(
        f"{name}: {', '.join(values)}" for name, values in product.attributes if values
    )
    lines = [title]
    if product.categories:
        label = "Category" if len(product.categories) == 1 else "Categories"
        lines.append(f"{label}: {', '.join(product.categories)}")
    if product.tags:
        lines.append(f"Tags: {', '.join(product.tags)}")
    if product.sku:
        lines.append(f"SKU: {product.sku}")
    for name, values in product.attributes:
        if values and name not in product.variation_attribute_names:
            lines.append(f"{name}: {', '.join(values)}")
    if axes:
        lines.append(
            "Available in: " + "; ".join(f"{name} {', '.join(values)}" for name, values in axes)
        )
    sections = ["\n".join(lines)]
    for html in (product.short_description_html, product.description_html):
        text = scrub_prices(html_to_text(html))
        if text and text not in sections:
            sections.append(text)
    summary = review_summary(product, reviews, max_review_excerpts)
    if summary:
        sections.append(summary)
    body = "\n\n".join(sections)
    facts = product_facts(product)
    return RenderedProduct(
        title, attributes_text, body, facts, content_hash(title, attributes_text, body, facts)
    )


def available_options(product: ProductRecord) -> list[tuple[str, list[str]]]:
    """Options shoppers can pick, per variation attribute, in the parent's option order.

    Taken from published variations when we have them (a disabled variation's colour is not
    on offer); a variation with an empty option means "any", i.e. all of the parent's options.
    Stock is deliberately not considered: it changes hourly, the text would go stale.
    """
    declared = {name: values for name, values in product.attributes}
    live = [v for v in product.variations if v.status == "publish"]
    axes: list[tuple[str, list[str]]] = []
    for name in product.variation_attribute_names:
        if not live:
            offered = set(declared.get(name, ()))
        else:
            offered = set()
            for variation in live:
                chosen = dict(variation.attributes).get(name)
                offered.update(chosen if chosen else declared.get(name, ()))
        ordered = [o for o in declared.get(name, ()) if o in offered]
        ordered += sorted(offered.difference(ordered))
        if ordered:
            axes.append((name, ordered))
    return axes


def review_summary(
    product: ProductRecord, reviews: Sequence[ReviewRecord], max_excerpts: int
) -> str:
    approved = [
        r
        for r in reviews
        if r.status == "approved" and r.product_external_id == product.external_id
    ]
    if product.rating_count <= 0 and not approved:
        return ""
    lines = []
    if product.rating_count > 0:
        noun = "rating" if product.rating_count == 1 else "ratings"
        lines.append(
            f"Customer reviews: rated {product.average_rating:.1f} out of 5 from {product.rating_count} {noun}."
        )
    else:
        lines.append("Customer reviews:")
    newest_first = sorted(approved, key=lambda r: (r.date_created_gmt, r.external_id), reverse=True)
    for review in newest_first[:max_excerpts]:
        text = scrub_prices(one_line(html_to_text(review.review_html)))
        if not text:
            continue
        if len(text) > REVIEW_EXCERPT_CHARS:
            text = text[:REVIEW_EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
        stars = f", {review.rating}/5" if review.rating else ""
        lines.append(f'- "{text}" ({one_line(review.reviewer) or "a customer"}{stars})')
    return "\n".join(lines)


def product_facts(product: ProductRecord) -> ProductFacts:
    live = sorted(
        (v for v in product.variations if v.status == "publish"), key=lambda v: v.external_id
    )
    prices = [v.price for v in live if v.price is not None] or (
        [product.price] if product.price is not None else []
    )
    in_stock = (
        any(v.stock_status != "outofstock" for v in live)
        if live
        else product.stock_status != "outofstock"
    )
    return ProductFacts(
        price=product.price,
        regular_price=product.regular_price,
        sale_price=product.sale_price,
        on_sale=product.on_sale,
        currency=product.currency,
        min_price=min(prices) if prices else None,
        max_price=max(prices) if prices else None,
        stock_status=product.stock_status,
        stock_quantity=product.stock_quantity,
        in_stock=in_stock,
        permalink=product.permalink,
        image_url=product.image_url,
        variations=tuple(
            VariationFacts(
                external_id=v.external_id,
                sku=v.sku,
                options=tuple((name, values[0]) for name, values in v.attributes if values),
                price=v.price,
                regular_price=v.regular_price,
                sale_price=v.sale_price,
                on_sale=v.on_sale,
                stock_status=v.stock_status,
                stock_quantity=v.stock_quantity,
                permalink=v.permalink,
                image_url=v.image_url,
            )
            for v in live
        ),
    )


def content_hash(title: str, attributes_text: str, body: str, facts: ProductFacts) -> str:
    """sha256 over everything indexable, facts included, independent of dict key order.

    Facts are in the hash so a price-only change is still noticed (the sync then updates the
    columns without re-embedding, since the text did not change).
    """
    canonical = json.dumps(
        {
            "v": RENDER_VERSION,
            "title": title,
            "attributes": attributes_text,
            "body": body,
            "facts": facts.as_dict(),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def text_hash(rendered: RenderedProduct) -> str:
    """Hash of the embedded text only: unchanged means the existing embeddings still hold."""
    return hashlib.sha256(
        f"{RENDER_VERSION}\x00{rendered.title}\x00{rendered.body}".encode()
    ).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (ProductFacts, VariationFacts)):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    return value
