"""grounded on variant answers: a variation's own "was" price, and an option said NOT to
be offered (both were scored ungrounded though the catalogue holds them)."""

from __future__ import annotations

import pytest

from evals.answers.metrics import score_turn
from evals.answers.records import Catalogue, CatalogueProduct, CatalogueVariant
from tests.support.answer_catalogue import result, turn

TEE = CatalogueProduct(
    external_id="460",
    title="Aurora Merino T-Shirt",
    price="59.99",
    regular_price="59.99",
    stock="in_stock",
    categories=["Clothing"],
    attributes={"Colour": ["Rust Red", "Black", "Navy"], "Size": ["M", "L"]},
    variants=[
        CatalogueVariant(
            "461", {"Colour": "Rust Red", "Size": "L"}, "59.99", "out_of_stock", "79.99"
        ),
        CatalogueVariant("462", {"Colour": "Black", "Size": "M"}, "64.00", "in_stock", None),
    ],
)
# Another product's option, so "Cream" is an option word of the store.
SKILLET = CatalogueProduct(
    external_id="272",
    title="Sólveig Cast Iron Skillet",
    price="172.99",
    regular_price="172.99",
    stock="in_stock",
    categories=["Kitchen"],
    attributes={"Colour": ["Cream", "Cherry Red"]},
    variants=[],
)
CATALOGUE = Catalogue(currency="USD", products={"460": TEE, "272": SKILLET}, support_email=None)


def _grounded(answer: str) -> float:
    return score_turn(turn(), result(answer, cards=["460"]), CATALOGUE)["grounded"]


@pytest.mark.parametrize(
    ("answer", "grounded"),
    [
        # The variation's own regular price, on sale.
        ("**Aurora Merino T-Shirt** in size L, Rust Red is $59.99 (on sale, was $79.99).", 1.0),
        # A "was" price no variation named has.
        ("**Aurora Merino T-Shirt** in size M, Black is $64.00 (on sale, was $79.99).", 0.0),
        # Without a named variation, the product's own regular price.
        ("**Aurora Merino T-Shirt** is $59.99 (on sale, was $79.99).", 0.0),
        # An option said not to be offered, which is true.
        ("**Aurora Merino T-Shirt** doesn't come in Cream.", 1.0),
        ("**Aurora Merino T-Shirt** comes in Cream.", 0.0),
        # ... and one said not to be offered that is.
        ("**Aurora Merino T-Shirt** doesn't come in Navy.", 0.0),
        # "No," answering the shopper does not negate the claim after it.
        ("No, **Aurora Merino T-Shirt** comes in Cream.", 0.0),
        ("La **Aurora Merino T-Shirt** no viene en Cream.", 1.0),
    ],
)
def test_variant_statements(answer: str, grounded: float) -> None:
    assert _grounded(answer) == grounded
