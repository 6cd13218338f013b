"""The "Add to cart" link a product card may carry: WooCommerce's own `?add-to-cart=<id>`
on the store's origin (and path, for a store under a sub-path), which adds one unit and
shows the cart without any API of ours.

Only a product that link can buy gets one. WooCommerce adds a simple product by that link
when it is purchasable (published, with a price: an empty price means "cannot be bought")
and in stock or on backorder (backorders allowed). Variable products need a variation chosen,
grouped ones a quantity per child and external ones live on another site: their card
links to the product page only. Hidden and password-protected products are never indexed
(`ingestion.woocommerce.mapping.is_indexable`), so they never reach a card at all.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote, urlsplit

PURCHASABLE_STOCK = frozenset({"instock", "onbackorder"})


def add_to_cart_url(
    *,
    base_url: str | None,
    external_id: str,
    product_type: str,
    status: str,
    price: Decimal | None,
    stock_status: str,
) -> str | None:
    """`<store base URL>/?add-to-cart=<woo id>`, or None when the link could not buy it."""
    purchasable = (
        product_type == "simple"
        and status == "publish"
        and price is not None
        and stock_status in PURCHASABLE_STOCK
    )
    if not purchasable or not base_url or not external_id:
        return None
    base = base_url.strip().rstrip("/")
    if urlsplit(base).scheme not in ("http", "https"):
        return None
    return f"{base}/?add-to-cart={quote(external_id, safe='')}"
