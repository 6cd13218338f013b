"""A product (with variations and reviews) → the text we embed.

The point is what stays out: `body` is what retrieval reads and never states a price, a
sale or a stock level, because chunk text is only re-embedded when it changes and would
otherwise keep quoting yesterday's price. Those volatile values are live facts
(`ingestion.indexing.rows.LiveFacts`), kept in columns refreshed on every sync and read
when a question is answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.rendering.html_text import html_to_text, one_line
from ingestion.rendering.prices import scrub_prices
from ingestion.woocommerce.mapping import ProductRecord, ReviewRecord

# Bump when the rendered text changes shape, so every product is re-embedded once.
RENDER_VERSION = 2  # 2: weight and dimensions
REVIEW_EXCERPT_CHARS = 220


@dataclass(frozen=True, slots=True)
class RenderedProduct:
    title: str
    attributes_text: str
    body: str


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
    lines.extend(shipping_lines(product))
    sections = ["\n".join(lines)]
    for html in (product.short_description_html, product.description_html):
        text = scrub_prices(html_to_text(html))
        if text and text not in sections:
            sections.append(text)
    summary = review_summary(product, reviews, max_review_excerpts)
    if summary:
        sections.append(summary)
    return RenderedProduct(title, attributes_text, "\n\n".join(sections))


def shipping_lines(product: ProductRecord) -> list[str]:
    """Weight and dimensions, so "how much does it weigh?" and "how big is it?" find the
    product's text; the answer itself quotes the columns (they are not volatile, but one
    shape per fact). Numbers in the store's own units, which the API does not name."""
    lines = []
    if product.weight:
        lines.append(f"Weight: {product.weight}")
    if product.dimensions:
        names = " × ".join(name for name, _ in product.dimensions)
        sizes = " × ".join(size for _, size in product.dimensions)
        lines.append(f"Dimensions ({names}): {sizes}")
    return lines


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
            f"Customer reviews: rated {product.average_rating:.1f} out of 5 "
            f"from {product.rating_count} {noun}."
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
