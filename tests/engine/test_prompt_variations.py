"""Variations in the prompt: each one's options, price and stock, the ones the question
names first, within a bound that keeps other sources in the prompt."""

from __future__ import annotations

from decimal import Decimal

from engine.prompts.sources import render_product, render_sources
from engine.types import VariationFact
from tests.engine._catalogue import product


def _variation(
    size: str, colour: str, price: str = "60.00", *, in_stock: bool = True
) -> VariationFact:
    return VariationFact(
        external_id=f"{size}-{colour}",
        options={"Size": size, "Colour": colour},
        price=Decimal(price),
        regular_price=Decimal(price),
        in_stock=in_stock,
        stock_status="instock" if in_stock else "outofstock",
    )


SHOE = product(
    "Ember Trail Running Shoe",
    "60.00",
    variations=tuple(
        _variation(size, colour)
        for colour in ("Black", "Rust Red", "Navy")
        for size in ("40", "41", "42", "43")
    )[:-1]
    + (_variation("43", "Navy", in_stock=False),),
)


def test_the_variation_the_question_names_is_listed_first_and_the_rest_bounded() -> None:
    text = render_product(1, SHOE, "Do you have it in Navy, size 43?")
    lines = text.splitlines()
    first = lines.index("    Variations (options: stock):") + 1
    assert lines[first] == "      - Size 43, Colour Navy: out of stock"
    assert "and 6 more not listed here" in text  # 12 variations, 6 shown among 5 sources


def test_prices_are_listed_per_variation_when_they_differ_and_a_lone_source_lists_all() -> None:
    shoe = product(
        "Shoe",
        "60.00",
        variations=(_variation("40", "Black"), _variation("41", "Black", price="65.00")),
    )
    text = render_sources((shoe,), ())
    assert "Size 40, Colour Black: $60.00; in stock" in text
    assert "Size 41, Colour Black: $65.00; in stock" in text
    assert "more not listed" not in render_sources((SHOE,), ())
