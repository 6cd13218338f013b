"""Turn products and knowledge documents into the text Shopbot embeds (and the facts it stores)."""

from ingestion.rendering.html_text import html_to_text, normalize_text
from ingestion.rendering.knowledge import (
    CONTENT_TYPES,
    ContentType,
    markdown_to_text,
    render_knowledge,
)
from ingestion.rendering.prices import PRICE_PLACEHOLDER, scrub_prices
from ingestion.rendering.products import (
    RENDER_VERSION,
    ProductFacts,
    RenderedProduct,
    VariationFacts,
    available_options,
    content_hash,
    product_facts,
    render_product,
    text_hash,
)

__all__ = [
    "CONTENT_TYPES",
    "PRICE_PLACEHOLDER",
    "RENDER_VERSION",
    "ContentType",
    "ProductFacts",
    "RenderedProduct",
    "VariationFacts",
    "available_options",
    "content_hash",
    "html_to_text",
    "markdown_to_text",
    "normalize_text",
    "product_facts",
    "render_knowledge",
    "render_product",
    "scrub_prices",
    "text_hash",
]
