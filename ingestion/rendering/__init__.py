"""Turn products and knowledge documents into the text Shopbot embeds."""

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
    RenderedProduct,
    available_options,
    render_product,
)

__all__ = [
    "CONTENT_TYPES",
    "PRICE_PLACEHOLDER",
    "RENDER_VERSION",
    "ContentType",
    "RenderedProduct",
    "available_options",
    "html_to_text",
    "markdown_to_text",
    "normalize_text",
    "render_knowledge",
    "render_product",
    "scrub_prices",
]
