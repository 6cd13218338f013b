"""wc/v3 JSON → frozen records the rest of Shopbot works with.

Names of products, terms and attributes arrive HTML-escaped (WordPress stores "&" in a
title or term as "&amp;"), so they are unescaped here; descriptions stay HTML for the
renderer. Prices become `Decimal` (never float); "" means "no price". Dates are the `*_gmt`
fields, made timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from html import unescape
from typing import Any, Literal

RecordKind = Literal["product", "variation"]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ProductRecord:
    external_id: int
    parent_external_id: int | None
    kind: RecordKind
    type: str
    status: str
    sku: str
    name: str
    slug: str
    permalink: str
    price: Decimal | None
    regular_price: Decimal | None
    sale_price: Decimal | None
    on_sale: bool
    currency: str
    stock_status: str
    stock_quantity: int | None
    manage_stock: bool
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    attributes: tuple[tuple[str, tuple[str, ...]], ...]
    image_url: str | None
    short_description_html: str
    description_html: str
    date_modified_gmt: datetime
    average_rating: float
    rating_count: int
    variations: tuple[ProductRecord, ...] = ()
    catalog_visibility: str = "visible"
    password_protected: bool = False
    # Names of the attributes variations choose from (e.g. ("Colour", "Size")).
    variation_attribute_names: tuple[str, ...] = ()
    # Shipping facts, strings in the store's weight and dimension units ("" when not set);
    # dimensions as (name, value) pairs in WooCommerce's order: length, width, height.
    weight: str = ""
    dimensions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    external_id: int
    product_external_id: int
    reviewer: str
    rating: int
    review_html: str
    verified: bool
    status: str
    date_created_gmt: datetime


def is_indexable(record: ProductRecord) -> bool:
    """May a shopper see this? Published, not hidden from the catalogue, not password-protected.

    Drafts, pending, private and trashed products must never reach the index, or the bot
    links shoppers to pages they cannot open. A variation inherits visibility and password
    from its parent; callers check the parent's own status first.
    """
    return (
        record.status == "publish"
        and record.catalog_visibility != "hidden"
        and not record.password_protected
    )


def map_product(
    raw: Mapping[str, Any], *, currency: str, variations: Sequence[Mapping[str, Any]] = ()
) -> ProductRecord:
    """A product, with its variations (from `/products/<id>/variations`) joined under it."""
    parent_fields = _common_fields(raw, currency)
    attributes = tuple(
        (unescape(str(a.get("name", ""))), tuple(unescape(str(o)) for o in a.get("options") or ()))
        for a in raw.get("attributes") or ()
    )
    variation_names = tuple(
        unescape(str(a.get("name", ""))) for a in raw.get("attributes") or () if a.get("variation")
    )
    images = raw.get("images") or []
    product = ProductRecord(
        external_id=int(raw["id"]),
        parent_external_id=None,
        kind="product",
        type=str(raw.get("type") or "simple"),
        name=unescape(str(raw.get("name") or "")),
        slug=str(raw.get("slug") or ""),
        categories=tuple(unescape(str(c.get("name", ""))) for c in raw.get("categories") or ()),
        tags=tuple(unescape(str(t.get("name", ""))) for t in raw.get("tags") or ()),
        attributes=attributes,
        image_url=_image_src(images[0]) if images else None,
        short_description_html=str(raw.get("short_description") or ""),
        average_rating=_rating(raw.get("average_rating")),
        rating_count=int(raw.get("rating_count") or 0),
        catalog_visibility=str(raw.get("catalog_visibility") or "visible"),
        password_protected=bool(raw.get("post_password")),
        variation_attribute_names=variation_names,
        weight=_shipping_value(raw.get("weight")),
        dimensions=_dimensions(raw.get("dimensions")),
        **parent_fields,
    )
    mapped = tuple(
        map_variation(v, parent=product) for v in sorted(variations, key=lambda v: int(v["id"]))
    )
    return replace(product, variations=mapped)


def map_variation(raw: Mapping[str, Any], *, parent: ProductRecord) -> ProductRecord:
    """Variations carry no name, categories or tags of their own; they come from the parent."""
    chosen = tuple(
        (unescape(str(a.get("name", ""))), (unescape(str(a["option"])),) if a.get("option") else ())
        for a in raw.get("attributes") or ()
    )
    options = [values[0] for _, values in chosen if values]
    return ProductRecord(
        external_id=int(raw["id"]),
        parent_external_id=parent.external_id,
        kind="variation",
        type="variation",
        name=f"{parent.name} - {', '.join(options)}" if options else parent.name,
        slug=parent.slug,
        categories=parent.categories,
        tags=parent.tags,
        attributes=chosen,
        image_url=_image_src(raw.get("image")) or parent.image_url,
        short_description_html="",
        average_rating=parent.average_rating,
        rating_count=parent.rating_count,
        catalog_visibility=parent.catalog_visibility,
        password_protected=parent.password_protected,
        **_common_fields(raw, parent.currency),
    )


def map_review(raw: Mapping[str, Any]) -> ReviewRecord:
    return ReviewRecord(
        external_id=int(raw["id"]),
        product_external_id=int(raw["product_id"]),
        reviewer=unescape(str(raw.get("reviewer") or "")),
        rating=int(raw.get("rating") or 0),
        review_html=str(raw.get("review") or ""),
        verified=bool(raw.get("verified")),
        status=str(raw.get("status") or "approved"),
        date_created_gmt=parse_gmt(raw.get("date_created_gmt")),
    )


def parse_price(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return price if price.is_finite() else None


def parse_gmt(value: Any) -> datetime:
    """A `*_gmt` field ("2017-03-23T20:03:12", no zone) as an aware UTC datetime."""
    if not value:
        return EPOCH
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _common_fields(raw: Mapping[str, Any], currency: str) -> dict[str, Any]:
    quantity = raw.get("stock_quantity")
    return {
        "status": str(raw.get("status") or "publish"),
        "sku": str(raw.get("sku") or ""),
        "permalink": str(raw.get("permalink") or ""),
        "price": parse_price(raw.get("price")),
        "regular_price": parse_price(raw.get("regular_price")),
        "sale_price": parse_price(raw.get("sale_price")),
        "on_sale": bool(raw.get("on_sale")),
        "currency": currency,
        "stock_status": str(raw.get("stock_status") or "instock"),
        # Stock may be a decimal when "non-integer stock amounts" is enabled; whole units
        # suffice here.
        "stock_quantity": int(Decimal(str(quantity))) if quantity not in (None, "") else None,
        "manage_stock": bool(raw.get("manage_stock")),
        "description_html": str(raw.get("description") or ""),
        "date_modified_gmt": parse_gmt(raw.get("date_modified_gmt") or raw.get("date_created_gmt")),
    }


def _image_src(image: Any) -> str | None:
    if isinstance(image, Mapping) and image.get("src"):
        return str(image["src"])
    return None


def _shipping_value(value: Any) -> str:
    return str(value).strip()[:32] if value not in (None, "") else ""


def _dimensions(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        return ()
    pairs = ((name, _shipping_value(value.get(name))) for name in ("length", "width", "height"))
    return tuple((name, size) for name, size in pairs if size)


def _rating(value: Any) -> float:
    try:
        return float(Decimal(str(value))) if value not in (None, "") else 0.0
    except InvalidOperation:
        return 0.0
