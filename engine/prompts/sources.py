"""Retrieved products and documents rendered as numbered sources.

Live facts (price, sale price, currency, stock) are written from the hit's fields, never
from the embedded text, which may be days old, in the model's wording
(engine.prompts.facts_wording.FOR_MODEL). Products come first, then documents, the same
order as the sources returned to the widget, so "[2]" means the same thing everywhere.
The caller fences the rendered block as a whole (see fencing.py).
"""

from __future__ import annotations

from dataclasses import replace

from engine.prompts.excerpts import excerpt
from engine.prompts.facts_wording import FOR_MODEL
from engine.types import DocumentHit, PageContext, ProductHit, VariationFact

SNIPPETS_PER_SOURCE = 2
SNIPPET_CHARS = 600
# A product with more variations lists this many, those the question names first (the
# model is told how many were left out): a shirt in 6 colours and 6 sizes would otherwise
# fill the prompt on its own and push other sources out of it. A lone source lists more.
VARIATIONS_PER_SOURCE = 6
VARIATIONS_FOR_A_LONE_SOURCE = 24


# A source shown alone (the product on the page a question is about) shows more excerpts:
# the prompt has room, and the answer may be in its third review.
SNIPPETS_FOR_A_LONE_SOURCE = 4


def _clip(text: str, question: str = "") -> str:
    return excerpt(text, question, SNIPPET_CHARS)


def render_product(
    number: int, hit: ProductHit, question: str = "", snippets: int = SNIPPETS_PER_SOURCE
) -> str:
    """`question` chooses the part of each long excerpt shown (engine.prompts.excerpts)."""
    lines = [f"[{number}] Product: {hit.title}"]
    if hit.sku:
        lines.append(f"    SKU: {hit.sku}")
    lines.append(f"    Price: {FOR_MODEL.price(hit)}")
    lines.append(f"    Stock: {FOR_MODEL.stock(hit)}")
    if hit.url:
        lines.append(f"    Link: {hit.url}")
    if hit.categories:
        lines.append(f"    Categories: {', '.join(hit.categories)}")
    for name, values in hit.attributes.items():
        lines.append(f"    {name}: {', '.join(values)}")
    lines.extend(f"    {line}" for line in product_fact_lines(hit, question, snippets))
    for snippet in hit.snippets[:snippets]:
        lines.append(f"    Details: {_clip(snippet, question)}")
    return "\n".join(lines)


def product_fact_lines(
    hit: ProductHit, question: str = "", snippets: int = SNIPPETS_PER_SOURCE
) -> list[str]:
    """The hit's rating, weight, dimensions and variations, from its live facts."""
    lines = []
    if hit.average_rating is not None and hit.rating_count:
        noun = "review" if hit.rating_count == 1 else "reviews"
        lines.append(f"Rating: {hit.average_rating:.1f} out of 5 from {hit.rating_count} {noun}")
    if hit.weight:
        lines.append(f"Weight: {hit.weight} (the store's weight unit)")
    if hit.dimensions:
        sizes = ", ".join(f"{name} {size}" for name, size in hit.dimensions.items())
        lines.append(f"Dimensions: {sizes} (the store's dimension unit)")
    if hit.variations:
        limit = VARIATIONS_PER_SOURCE
        if snippets > SNIPPETS_PER_SOURCE:
            limit = VARIATIONS_FOR_A_LONE_SOURCE
        shown = _named_first(hit.variations, question)[:limit]
        same_price = all(v.price == hit.price and not v.on_sale for v in hit.variations)
        heading = "stock" if same_price else "price; stock"
        lines.append(f"Variations (options: {heading}):")
        lines += [f"  - {variation_line(hit, v, with_price=not same_price)}" for v in shown]
        if len(hit.variations) > len(shown):
            lines.append(f"  - and {len(hit.variations) - len(shown)} more not listed here")
    return lines


def _named_first(variations: tuple[VariationFact, ...], question: str) -> list[VariationFact]:
    """Variations by how many of their options the question names, then the store's order."""
    asked = " " + " ".join(question.lower().replace(",", " ").replace("?", " ").split()) + " "
    named = [sum(f" {o.lower()} " in asked for o in v.options.values()) for v in variations]
    order = sorted(range(len(variations)), key=lambda i: (-named[i], i))
    return [variations[i] for i in order]


def variation_hit(hit: ProductHit, variation: VariationFact) -> ProductHit:
    """The product as this variation sells it: its own price, sale and stock (a variation
    without a price of its own is not sold at the parent's)."""
    return replace(
        hit,
        sku=variation.sku or hit.sku,
        price=variation.price,
        regular_price=variation.regular_price,
        sale_price=variation.sale_price,
        on_sale=variation.on_sale,
        in_stock=variation.in_stock,
        stock_status=variation.stock_status,
        stock_quantity=variation.stock_quantity,
        image_url=variation.image_url or hit.image_url,
        variations=(),
    )


def variation_line(hit: ProductHit, variation: VariationFact, *, with_price: bool = True) -> str:
    options = ", ".join(f"{name} {value}" for name, value in variation.options.items())
    sold = variation_hit(hit, variation)
    price = f"{FOR_MODEL.price(sold)}; " if with_price else ""
    return f"{options or 'any options'}: {price}{FOR_MODEL.stock(sold)}"


def render_document(number: int, hit: DocumentHit, question: str = "") -> str:
    lines = [f"[{number}] Document: {hit.title}"]
    for snippet in hit.snippets[:SNIPPETS_PER_SOURCE]:
        lines.append(f"    Excerpt: {_clip(snippet, question)}")
    return "\n".join(lines)


def render_sources(
    hits: tuple[ProductHit, ...], doc_hits: tuple[DocumentHit, ...], question: str = ""
) -> str:
    if not hits and not doc_hits:
        return "(no matching products or documents were found)"
    per_product = SNIPPETS_FOR_A_LONE_SOURCE if len(hits) == 1 else SNIPPETS_PER_SOURCE
    blocks = [render_product(i, h, question, per_product) for i, h in enumerate(hits, start=1)]
    blocks += [render_document(i, d, question) for i, d in enumerate(doc_hits, start=len(hits) + 1)]
    return "\n".join(blocks)


def render_page(page: PageContext | None, hits: tuple[ProductHit, ...]) -> str | None:
    if page is None or (page.url is None and page.product_id is None):
        return None
    parts = []
    if page.url:
        parts.append(f"URL: {page.url}")
    if page.product_id:
        number = next(
            (
                i
                for i, h in enumerate(hits, start=1)
                if page.product_id in (h.external_id, str(h.product_id))
            ),
            None,
        )
        parts.append(
            f"Product on this page: source [{number}]"
            if number
            else f"Product id on this page: {page.product_id}"
        )
    return "\n".join(parts)
