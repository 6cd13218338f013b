"""Builders for WooCommerce wc/v3 JSON objects, field for field as the REST docs print them.

Both the seeded generator and the sample-CSV loader go through these, so every product the
fake store serves has the same complete shape (blank fields present as "" or null, never
omitted, as the docs say WooCommerce does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

JsonDict = dict[str, Any]


@dataclass
class StoreSettings:
    """What WooCommerce → Settings → General and the WordPress install would report."""

    currency: str = "EUR"
    currency_symbol: str = "&euro;"
    wc_version: str = "9.4.2"
    wp_version: str = "6.7.1"
    site_name: str = "Fjord & Field Outfitters"
    # A fixed manual offset (WordPress "UTC+1"), so local `date_*` differ from `*_gmt`.
    gmt_offset_hours: int = 1


def format_price(value: Decimal | None) -> str:
    """Prices travel as strings with two decimals; an unset price is the empty string."""
    return "" if value is None else f"{value:.2f}"


def wc_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def date_pair(prefix: str, gmt: datetime | None, settings: StoreSettings) -> JsonDict:
    """`<prefix>` in site-local time and `<prefix>_gmt`, both without a zone designator."""
    if gmt is None:
        return {prefix: None, f"{prefix}_gmt": None}
    local = gmt + timedelta(hours=settings.gmt_offset_hours)
    return {prefix: wc_date(local), f"{prefix}_gmt": wc_date(gmt)}


def amount_html(value: Decimal, settings: StoreSettings) -> str:
    return (
        '<span class="woocommerce-Price-amount amount"><bdi>'
        f'<span class="woocommerce-Price-currencySymbol">{settings.currency_symbol}</span>'
        f"{value:.2f}</bdi></span>"
    )


def price_html(regular: Decimal | None, active: Decimal | None, settings: StoreSettings) -> str:
    if active is None:
        return ""
    if regular is not None and active < regular:
        return (
            f'<del aria-hidden="true">{amount_html(regular, settings)}</del> '
            f'<ins aria-hidden="true">{amount_html(active, settings)}</ins>'
        )
    return amount_html(active, settings)


def range_html(low: Decimal, high: Decimal, settings: StoreSettings) -> str:
    if low == high:
        return amount_html(low, settings)
    return f"{amount_html(low, settings)} &ndash; {amount_html(high, settings)}"


def image_shape(
    image_id: int, src: str, name: str, moment: datetime, settings: StoreSettings
) -> JsonDict:
    return {
        "id": image_id,
        **date_pair("date_created", moment, settings),
        **date_pair("date_modified", moment, settings),
        "src": src,
        "name": name,
        "alt": "",
    }


def product_links(site_url: str, product_id: int) -> JsonDict:
    return {
        "self": [{"href": f"{site_url}/wp-json/wc/v3/products/{product_id}"}],
        "collection": [{"href": f"{site_url}/wp-json/wc/v3/products"}],
    }


def _tax_and_stock_defaults() -> JsonDict:
    """The tax and stock fields a new product and a new variation share: taxable, in stock,
    stock not managed."""
    return {
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": False,
        "stock_quantity": None,
        "stock_status": "instock",
        "backorders": "no",
        "backorders_allowed": False,
        "backordered": False,
    }


def _tax_stock_and_shipping_defaults() -> JsonDict:
    """A new product's tax, stock and shipping fields: taxable, in stock, shipped."""
    return {
        **_tax_and_stock_defaults(),
        "low_stock_amount": None,
        "sold_individually": False,
        "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_required": True,
        "shipping_taxable": True,
        "shipping_class": "",
        "shipping_class_id": 0,
    }


def product_shape(
    *,
    product_id: int,
    name: str,
    slug: str,
    site_url: str,
    settings: StoreSettings,
    created_gmt: datetime,
    modified_gmt: datetime,
    product_type: str = "simple",
    status: str = "publish",
) -> JsonDict:
    """A complete product with neutral defaults; callers overwrite what they know."""
    return {
        "id": product_id,
        "name": name,
        "slug": slug,
        "permalink": f"{site_url}/product/{slug}/",
        **date_pair("date_created", created_gmt, settings),
        **date_pair("date_modified", modified_gmt, settings),
        "type": product_type,
        "status": status,
        "featured": False,
        "catalog_visibility": "visible",
        "description": "",
        "short_description": "",
        "sku": "",
        "price": "",
        "regular_price": "",
        "sale_price": "",
        **date_pair("date_on_sale_from", None, settings),
        **date_pair("date_on_sale_to", None, settings),
        "price_html": "",
        "on_sale": False,
        "purchasable": product_type != "grouped",
        "total_sales": 0,
        "virtual": False,
        "downloadable": False,
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "external_url": "",
        "button_text": "",
        **_tax_stock_and_shipping_defaults(),
        "reviews_allowed": True,
        "average_rating": "0.00",
        "rating_count": 0,
        "related_ids": [],
        "upsell_ids": [],
        "cross_sell_ids": [],
        "parent_id": 0,
        "purchase_note": "",
        "categories": [],
        "tags": [],
        "brands": [],
        "images": [],
        "attributes": [],
        "default_attributes": [],
        "variations": [],
        "grouped_products": [],
        "menu_order": 0,
        "meta_data": [],
        "global_unique_id": "",
        "post_password": "",
        "has_options": product_type == "variable",
        "_links": product_links(site_url, product_id),
    }


def variation_shape(
    *,
    variation_id: int,
    parent_id: int,
    permalink: str,
    site_url: str,
    settings: StoreSettings,
    created_gmt: datetime,
    modified_gmt: datetime,
) -> JsonDict:
    """A variation as `/products/<id>/variations` returns it: no name, categories or tags."""
    collection = f"{site_url}/wp-json/wc/v3/products/{parent_id}/variations"
    return {
        "id": variation_id,
        **date_pair("date_created", created_gmt, settings),
        **date_pair("date_modified", modified_gmt, settings),
        "description": "",
        "permalink": permalink,
        "sku": "",
        "price": "",
        "regular_price": "",
        "sale_price": "",
        **date_pair("date_on_sale_from", None, settings),
        **date_pair("date_on_sale_to", None, settings),
        "on_sale": False,
        "status": "publish",
        "purchasable": True,
        "virtual": False,
        "downloadable": False,
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        **_tax_and_stock_defaults(),
        "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_class": "",
        "shipping_class_id": 0,
        "image": None,
        "attributes": [],
        "menu_order": 0,
        "meta_data": [],
        "_links": {
            "self": [{"href": f"{collection}/{variation_id}"}],
            "collection": [{"href": collection}],
            "up": [{"href": f"{site_url}/wp-json/wc/v3/products/{parent_id}"}],
        },
    }


def category_shape(
    category_id: int, name: str, slug: str, parent: int, description: str, site_url: str
) -> JsonDict:
    return {
        "id": category_id,
        "name": name,
        "slug": slug,
        "parent": parent,
        "description": description,
        "display": "default",
        "image": None,
        "menu_order": 0,
        "count": 0,
        "_links": {
            "self": [{"href": f"{site_url}/wp-json/wc/v3/products/categories/{category_id}"}],
            "collection": [{"href": f"{site_url}/wp-json/wc/v3/products/categories"}],
        },
    }


def review_shape(
    *,
    review_id: int,
    product: JsonDict,
    reviewer: str,
    rating: int,
    text_html: str,
    verified: bool,
    status: str,
    created_gmt: datetime,
    site_url: str,
    settings: StoreSettings,
) -> JsonDict:
    return {
        "id": review_id,
        **date_pair("date_created", created_gmt, settings),
        "product_id": product["id"],
        "product_name": product["name"],
        "product_permalink": product["permalink"],
        "status": status,
        "reviewer": reviewer,
        "reviewer_email": f"reviewer{review_id}@example.org",
        "review": text_html,
        "rating": rating,
        "verified": verified,
        "reviewer_avatar_urls": {
            "24": f"https://secure.gravatar.com/avatar/{review_id:032x}?s=24&d=mm&r=g",
        },
        "_links": {
            "self": [{"href": f"{site_url}/wp-json/wc/v3/products/reviews/{review_id}"}],
            "collection": [{"href": f"{site_url}/wp-json/wc/v3/products/reviews"}],
            "up": [{"href": f"{site_url}/wp-json/wc/v3/products/{product['id']}"}],
        },
    }


def refresh_rating(product: JsonDict, reviews: list[JsonDict]) -> None:
    """WooCommerce keeps average_rating/rating_count from approved reviews only."""
    ratings = [r["rating"] for r in reviews if r["status"] == "approved" and r["rating"] > 0]
    product["rating_count"] = len(ratings)
    average = Decimal(sum(ratings)) / len(ratings) if ratings else Decimal(0)
    product["average_rating"] = f"{average:.2f}"
