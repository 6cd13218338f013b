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
    # The stock states in words (the shopper's language; the model reads English).
    in_stock: str = IN_STOCK
    out_of_stock: str = OUT_OF_STOCK
    on_backorder: str = ON_BACKORDER

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
            return self.on_backorder
        if state is StockState.OUT:
            return self.out_of_stock
        quantity = hit.stock_quantity
        if quantity is None or (
            self.count_shown_up_to is not None and quantity > self.count_shown_up_to
        ):
            return self.in_stock
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


def _for_shopper_in(
    no_price: str, on_sale: str, in_stock_count: str, states: tuple[str, str, str]
) -> FactsWording:
    in_stock, out_of_stock, on_backorder = states
    return FactsWording(
        no_price=no_price,
        on_sale=on_sale,
        in_stock_count=in_stock_count,
        count_shown_up_to=FOR_SHOPPER.count_shown_up_to,
        in_stock=in_stock,
        out_of_stock=out_of_stock,
        on_backorder=on_backorder,
    )


# The shopper's wording in each language the offline answerer speaks (engine.offline.phrases
# has the sentences around it). Prices are formatted the same way in every language: the
# guardrails and the evals read "$49.99" whatever the words around it.
_SHOPPER_WORDING: dict[str, FactsWording] = {
    "en": FOR_SHOPPER,
    "es": _for_shopper_in(
        "precio a consultar",
        " (en oferta, antes {regular})",
        "en stock (solo quedan {quantity})",
        ("en stock", "agotado", "bajo pedido"),
    ),
    "fr": _for_shopper_in(
        "prix sur demande",
        " (en promotion, au lieu de {regular})",
        "en stock (plus que {quantity})",
        ("en stock", "en rupture de stock", "sur commande"),
    ),
    "de": _for_shopper_in(
        "Preis auf Anfrage",
        " (im Angebot, vorher {regular})",
        "auf Lager (nur noch {quantity})",
        ("auf Lager", "ausverkauft", "nachbestellbar"),
    ),
    "it": _for_shopper_in(
        "prezzo su richiesta",
        " (in offerta, prima {regular})",
        "disponibile (ne restano solo {quantity})",
        ("disponibile", "esaurito", "su ordinazione"),
    ),
    "pt": _for_shopper_in(
        "preço sob consulta",
        " (em promoção, antes {regular})",
        "em estoque (só restam {quantity})",
        ("em estoque", "esgotado", "sob encomenda"),
    ),
}


def for_shopper(language: str) -> FactsWording:
    """The shopper's price and stock words in `language` (English when we have none)."""
    return _SHOPPER_WORDING.get(language, FOR_SHOPPER)
