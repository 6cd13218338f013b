"""Retrieved products and documents rendered as numbered sources.

Live facts (price, sale price, currency, stock) are written from the hit's fields, never
from the embedded text, which may be days old, in the model's wording
(engine.prompts.facts_wording.FOR_MODEL). Products come first, then documents, the same
order as the sources returned to the widget, so "[2]" means the same thing everywhere.
The caller fences the rendered block as a whole (see fencing.py).
"""

from __future__ import annotations

from engine.prompts.facts_wording import FOR_MODEL
from engine.types import DocumentHit, PageContext, ProductHit

SNIPPETS_PER_SOURCE = 2
SNIPPET_CHARS = 600


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def render_product(number: int, hit: ProductHit) -> str:
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
    for snippet in hit.snippets[:SNIPPETS_PER_SOURCE]:
        lines.append(f"    Details: {_clip(snippet)}")
    return "\n".join(lines)


def render_document(number: int, hit: DocumentHit) -> str:
    lines = [f"[{number}] Document: {hit.title}"]
    for snippet in hit.snippets[:SNIPPETS_PER_SOURCE]:
        lines.append(f"    Excerpt: {_clip(snippet)}")
    return "\n".join(lines)


def render_sources(hits: tuple[ProductHit, ...], doc_hits: tuple[DocumentHit, ...]) -> str:
    if not hits and not doc_hits:
        return "(no matching products or documents were found)"
    blocks = [render_product(i, h) for i, h in enumerate(hits, start=1)]
    blocks += [render_document(i, d) for i, d in enumerate(doc_hits, start=len(hits) + 1)]
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
