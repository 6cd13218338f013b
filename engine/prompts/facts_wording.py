"""A product's live price and stock in words, for the two readers of them.

The model reads them in the numbered sources of its prompt (engine.prompts.sources); the
shopper reads them in an offline answer (engine.offline). What the facts say (in stock, out,
on backorder, on sale) is decided once here, and the guardrails correct a false stock claim
with the same words (engine.guardrails.facts). Only the wording in `FactsWording` differs
between the readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engine.prompts.text import format_money
from engine.types import ProductHit

IN_STOCK = "in stock"
OUT_OF_STOCK = "out of stock"
ON_BACKORDER = "available on backorder"


class StockState(StrEnum):
    IN = "in"
    OUT = "out"
    BACKORDER = "backorder"


def stock_state(hit: ProductHit) -> StockState:
    # A backorder product may be sold with no stock: it is neither in stock nor out.
    if hit.stock_status == "onbackorder":
        return StockState.BACKORDER
    return StockState.IN if hit.in_stock else StockState.OUT


@dataclass(frozen=True, slots=True, kw_only=True)
class FactsWording:
    """The words that differ between the model and the shopper."""

    no_price: str
    # Follows the price when the product is on sale; `{regular}` is the regular price.
    on_sale: str
    # In stock with a known quantity; `{quantity}` is the quantity.
    in_stock_count: str
    # The quantity is told only up to this many (None: always).
    count_shown_up_to: int | None

    def price(self, hit: ProductHit) -> str:
        if hit.price is None:
            return self.no_price
        phrase = format_money(hit.price, hit.currency)
        if hit.on_sale and hit.regular_price is not None and hit.regular_price != hit.price:
            phrase += self.on_sale.format(regular=format_money(hit.regular_price, hit.currency))
        return phrase

    def stock(self, hit: ProductHit) -> str:
        state = stock_state(hit)
        if state is StockState.BACKORDER:
            return ON_BACKORDER
        if state is StockState.OUT:
            return OUT_OF_STOCK
        quantity = hit.stock_quantity
        if quantity is None or (
            self.count_shown_up_to is not None and quantity > self.count_shown_up_to
        ):
            return IN_STOCK
        return self.in_stock_count.format(quantity=quantity)


# The model gets the plain facts: every known quantity (it may be asked "how many are
# left?") and "not listed" for a missing price, which it must not make up.
FOR_MODEL = FactsWording(
    no_price="not listed",
    on_sale=" (on sale; regular price {regular})",
    in_stock_count="in stock ({quantity} left)",
    count_shown_up_to=None,
)
# The shopper reads a reply: a quantity only when few are left (a count of 120 is noise in
# a product list), and what to do about a missing price.
FOR_SHOPPER = FactsWording(
    no_price="price on request",
    on_sale=" (on sale, was {regular})",
    in_stock_count="in stock (only {quantity} left)",
    count_shown_up_to=5,
)
