"""The facts guard knows a product's variations: a true variation price or stock is kept, a
false one is still corrected, judged on the variation the sentence names."""

from __future__ import annotations

from engine.guardrails import check_answer
from tests.engine._catalogue import WOOL_SOCKS
from tests.engine._variants import MERINO_TEE

HITS = (MERINO_TEE, WOOL_SOCKS)


def checked(text: str) -> str:
    return check_answer(text, HITS, currency="USD").text


def test_a_variations_own_price_and_stock_are_kept() -> None:
    for text in (
        "The Aurora Merino T-Shirt in Rust Red, size L is $59.99 and in stock.",
        "The Aurora Merino T-Shirt in Sky Blue, size XS is $61.50 and out of stock.",
        "The Aurora Merino T-Shirt in Navy, size S is available on backorder.",
    ):
        assert checked(text) == text


def test_a_false_variation_stock_is_corrected_from_that_variation() -> None:
    # The parent is in stock; the Sky Blue XS is not.
    assert checked("The Aurora Merino T-Shirt in Sky Blue, size XS is in stock.") == (
        "The Aurora Merino T-Shirt in Sky Blue, size XS is out of stock."
    )
    # Several variations named ("size S": Rust Red and Navy): true when one of them is.
    assert checked("The Aurora Merino T-Shirt in size S is in stock.") == (
        "The Aurora Merino T-Shirt in size S is in stock."
    )


def test_a_price_no_variation_has_is_still_corrected() -> None:
    assert checked("The Aurora Merino T-Shirt is $12.00.") == (
        "The Aurora Merino T-Shirt is $55.99."
    )


def test_pounds_in_a_dollar_store_are_a_weight_not_a_price() -> None:
    text = 'About the Merino Wool Socks: "They hold up to 200 pounds." It\'s $15.00.'
    assert checked(text) == text
    # In a pound store they are a price, and a wrong one is still corrected.
    gbp = check_answer("The Merino Wool Socks are 9 pounds.", (WOOL_SOCKS,), currency="GBP")
    assert gbp.corrections
