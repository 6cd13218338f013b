"""Hand-written catalogue facts shared by the engine tests (no database needed)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from engine.types import BotConfig, BusinessProfile, DocumentHit, ProductHit, Turn


def product(title: str, price: str | None, **overrides: Any) -> ProductHit:
    fields: dict[str, Any] = {
        "product_id": uuid.uuid5(uuid.NAMESPACE_URL, title),
        "external_id": str(abs(hash(title)) % 10_000),
        "sku": title.upper().replace(" ", "-")[:12],
        "title": title,
        "url": f"https://shop.example/p/{title.lower().replace(' ', '-')}",
        "price": Decimal(price) if price is not None else None,
        "regular_price": Decimal(price) if price is not None else None,
        "currency": "USD",
        "in_stock": True,
        "stock_status": "instock",
        "score": 0.5,
    }
    fields.update(overrides)
    return ProductHit(**fields)


RAIN_JACKET = product(
    "Blue Rain Jacket",
    "49.99",
    external_id="101",
    regular_price=Decimal("59.99"),
    sale_price=Decimal("49.99"),
    on_sale=True,
    stock_quantity=3,
    categories=("Jackets", "Outdoor"),
    attributes={"Color": ("Blue", "Red"), "Size": ("S", "M", "L")},
    snippets=(
        "The Blue Rain Jacket keeps you dry on wet commutes. It is fully waterproof with "
        "taped seams and a 10,000 mm rating. The hood folds into the collar.",
    ),
    score=0.92,
)
HIKING_BOOTS = product(
    "Trail Hiking Boots",
    "129.00",
    external_id="102",
    in_stock=False,
    stock_status="outofstock",
    stock_quantity=0,
    categories=("Footwear",),
    snippets=("Leather hiking boots with a Vibram sole. Waterproof membrane keeps feet dry.",),
    score=0.61,
)
WOOL_SOCKS = product(
    "Merino Wool Socks",
    "15.00",
    external_id="103",
    categories=("Footwear", "Accessories"),
    snippets=("Soft merino socks that stay warm when wet. Sold as a pair.",),
    score=0.55,
)
SHIPPING_DOC = DocumentHit(
    document_id=uuid.uuid5(uuid.NAMESPACE_URL, "shipping"),
    title="Shipping FAQ",
    snippets=(
        "We ship within 2 business days. Orders over $75 ship free within the US. "
        "International delivery takes 7-14 days.",
    ),
    score=0.7,
)

PROFILE = BusinessProfile(
    name="Rainy Day Outfitters",
    website="https://shop.example",
    currency="USD",
    language="en",
    support_email="help@shop.example",
    shipping_policy="Orders over $75 ship free within the US. We ship within 2 business days.",
    returns_policy="Unworn items can be returned within 30 days for a full refund.",
)
BOT = BotConfig(
    name="Drizzle",
    persona="a cheerful outdoor-gear expert",
    tone="warm, brief and practical",
    greeting="Hi! Looking for something to keep you dry?",
    custom_instructions="Mention our waterproofing spray when shoppers ask about jackets.",
)

HISTORY = (
    Turn("user", "Do you have rain jackets?"),
    Turn("assistant", "Yes! The **Blue Rain Jacket** [1] is $49.99 and in stock."),
    Turn("user", "Does it come in other colours?"),
    Turn("assistant", "It comes in Blue and Red."),
    Turn("user", "What sizes are there?"),
    Turn("assistant", "Sizes S, M and L are available."),
)
