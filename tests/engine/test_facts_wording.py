"""Price and stock in words: one decision, two readers, and the guardrails agree with both."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.guardrails import check_answer
from engine.prompts.facts_wording import FOR_MODEL, FOR_SHOPPER, FactsWording, for_shopper
from engine.types import ProductHit
from tests.engine._catalogue import HIKING_BOOTS, RAIN_JACKET, product

BACKORDER = product("Storm Poncho", "25.00", in_stock=False, stock_status="onbackorder")
PLENTY = product("Trail Cap", "18.00", stock_quantity=120)
NO_PRICE = product("Custom Tent", None)
HITS = (RAIN_JACKET, HIKING_BOOTS, BACKORDER, PLENTY, NO_PRICE)


@pytest.mark.parametrize(
    ("hit", "for_model", "for_shopper"),
    [
        (RAIN_JACKET, "in stock (3 left)", "in stock (only 3 left)"),
        (HIKING_BOOTS, "out of stock", "out of stock"),
        (BACKORDER, "available on backorder", "available on backorder"),
        (PLENTY, "in stock (120 left)", "in stock"),
    ],
)
def test_stock_is_decided_once_and_only_the_quantity_wording_differs(
    hit: ProductHit, for_model: str, for_shopper: str
) -> None:
    assert (FOR_MODEL.stock(hit), FOR_SHOPPER.stock(hit)) == (for_model, for_shopper)


def test_prices_for_each_reader() -> None:
    assert FOR_MODEL.price(RAIN_JACKET) == "$49.99 (on sale; regular price $59.99)"
    assert FOR_SHOPPER.price(RAIN_JACKET) == "$49.99 (on sale, was $59.99)"
    assert (FOR_MODEL.price(NO_PRICE), FOR_SHOPPER.price(NO_PRICE)) == (
        "not listed",
        "price on request",
    )
    not_reduced = product("Plain Tee", "10.00", on_sale=True, regular_price=Decimal("10.00"))
    assert FOR_SHOPPER.price(not_reduced) == "$10.00"


@pytest.mark.parametrize("wording", [FOR_MODEL, FOR_SHOPPER], ids=["model", "shopper"])
def test_the_guardrails_leave_either_wording_of_the_live_facts_alone(
    wording: FactsWording,
) -> None:
    """Words an answer repeats from the prompt, or the offline answerer writes, are true:
    the fact guardrail must not correct them."""
    answer = "\n".join(
        f"- **{hit.title}** — {wording.price(hit)}, {wording.stock(hit)}" for hit in HITS
    )
    result = check_answer(answer, HITS, currency="USD")
    assert result.corrections == () and result.text == answer


def test_the_shoppers_price_and_stock_words_follow_the_language() -> None:
    assert for_shopper("en") is FOR_SHOPPER
    assert for_shopper("nl") is FOR_SHOPPER  # no templates in that language: English
    spanish = for_shopper("es")
    assert spanish.stock(BACKORDER) == "bajo pedido"
    out = product("Dry Bag", "9.00", in_stock=False, stock_status="outofstock")
    assert for_shopper("de").stock(out) == "ausverkauft"
    few = product("Dry Bag", "9.00", stock_quantity=3)
    assert for_shopper("pt").stock(few) == "em estoque (só restam 3)"
    sale = product("Dry Bag", "9.00", on_sale=True, regular_price=Decimal("12.00"))
    assert for_shopper("fr").price(sale) == "$9.00 (en promotion, au lieu de $12.00)"
