"""A variable product with its variations, for the offline answerer's and the guardrails'
tests (no database needed: the hits are what retrieval hands over)."""

from __future__ import annotations

from decimal import Decimal

from engine.types import ProductHit, VariationFact
from tests.engine._catalogue import product


def variation(
    external_id: str, colour: str, size: str, price: str, *, stock: str = "instock"
) -> VariationFact:
    return VariationFact(
        external_id=external_id,
        options={"Colour": colour, "Size": size},
        price=Decimal(price),
        regular_price=Decimal(price),
        in_stock=stock == "instock",
        stock_status=stock,
    )


# The parent's price and stock differ from several variations': an answer about a variation
# must never quote the parent's.
MERINO_TEE: ProductHit = product(
    "Aurora Merino T-Shirt",
    "55.99",
    external_id="460",
    attributes={
        "Size": ("XS", "S", "M", "L"),
        "Colour": ("Rust Red", "Sky Blue", "Navy"),
        "Material": ("Merino wool",),
    },
    variations=(
        variation("4601", "Rust Red", "S", "55.99"),
        variation("4602", "Rust Red", "L", "59.99"),
        variation("4603", "Sky Blue", "XS", "61.50", stock="outofstock"),
        variation("4604", "Sky Blue", "M", "57.00"),
        variation("4605", "Navy", "S", "55.99", stock="onbackorder"),
    ),
    snippets=(
        "The Aurora Merino T-Shirt is made in Portugal from merino wool. It can be worn "
        "for days without washing.\n"
        'Customer reviews: rated 4.5 out of 5\n- "Runs a little small, order a size up." '
        '(Chidi, 3/5)\n- "Soft and warm on cold mornings." (Grace, 5/5)',
    ),
    weight="0.35 kg",
    dimensions={"length": "30 cm", "width": "20 cm", "height": "2 cm"},
    average_rating=Decimal("4.50"),
    rating_count=2,
    score=0.9,
)
