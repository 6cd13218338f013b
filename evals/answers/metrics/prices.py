"""Price statements in an answer: a currency mark (symbol or ISO code) next to an amount.

Recognised: "$142.99", "US$142.99", "142.99 USD", "USD 142.99", "€142.99", "142,99 €"
(decimal comma), "1,234.50 $", "1.234,50 €", "1 234,50 €" (a no-break space between
thousands). An amount with no currency mark ("costs 142.99") is NOT a price statement:
bare numbers are sizes, counts and years far more often than prices.

A price is the regular ("was") price when the words just before it say so ("was $180",
"regular price $180", "antes 180 €", "au lieu de 180 €", "statt 180 €", "invece di 180 €"),
so "was $123.50, now $85.99" is two statements, each checked against its own price. An
amount after a bound ("under $50", "orders over $75", "menos de 50 €", "unter 50 €") is
marked as a bound: a limit, not any product's price.
Blind spots: a cue placed after the amount ("$180 before the sale") is not seen; the upper
end of "between $20 and $50" is read as a price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_THOUSANDS_SPACE = "\u00a0\u202f"
_AMOUNT = rf"\d{{1,3}}(?:[.,{_THOUSANDS_SPACE}]\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?"
_CODES = r"USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|JPY|INR|MXN|BRL"
_PRICE_RE = re.compile(
    rf"(?P<sym>US\$|[$€£])\s?(?P<a1>{_AMOUNT})"
    rf"|\b(?P<code>{_CODES})\s?(?P<a2>{_AMOUNT})"
    rf"|(?<![\w.,])(?P<a3>{_AMOUNT})\s?(?:(?P<sym_after>[$€£])|(?P<code_after>{_CODES})\b)"
)
_SYMBOL_CURRENCY = {"$": "$", "us$": "USD", "€": "EUR", "£": "GBP"}
_DOLLARS = {"USD", "CAD", "AUD", "NZD", "MXN"}
_REGULAR_CUE_RE = re.compile(
    r"\b(was|were|regular(ly)?|regular price( of)?|originally|instead of|down from|reduced from"
    r"|list price|usual(ly)?|normally|full price|before"
    r"|antes|precio (normal|regular|original)|en lugar de|au lieu de|prix (normal|initial)"
    r"|avant|(é|e)tait|statt|anstatt|vorher|regul(ä|a)r|urspr(ü|u)nglich|uvp|invece di"
    r"|prezzo (pieno|originale)|prima|era)\W*$",
    re.IGNORECASE,
)
# "under $50", "orders over $75", "menos de 50 €": a bound the shopper or a policy set, not
# the price of a product.
_BOUND_CUE_RE = re.compile(
    r"\b(under|below|less than|cheaper than|more than|over|above|up to|at most|at least"
    r"|max(imum)?|min(imum)?|budget( of)?|within|between|menos de|por debajo de|hasta"
    r"|m(á|a)s de|moins de|jusqu'(à|a)|plus de|en dessous de|unter|bis( zu)?|(ü|u)ber"
    r"|meno di|fino a|sotto|pi(ù|u) di|abaixo de|at(é|e)|mais de)\W*$",
    re.IGNORECASE,
)
_CUE_WINDOW = 28


@dataclass(frozen=True, slots=True)
class PriceStatement:
    start: int
    end: int
    amount: Decimal
    currency: str  # ISO code, or "$" for a bare dollar sign (any dollar currency)
    regular: bool  # stated as the regular / "was" price
    bound: bool  # a limit ("under $50"), not a price

    def in_currency(self, catalogue_currency: str) -> bool:
        if self.currency == "$":
            return catalogue_currency.upper() in _DOLLARS
        return self.currency == catalogue_currency.upper()


def parse_amount(raw: str) -> Decimal | None:
    """ "1,234.50", "1.234,50", "142,99", "1 234,50" -> Decimal. The last separator is the
    decimal one unless three digits follow it (then it separates thousands)."""
    digits = re.sub(f"[{_THOUSANDS_SPACE}]", "", raw)
    separators = [i for i, c in enumerate(digits) if c in ".,"]
    if separators and len(digits) - separators[-1] - 1 != 3:
        last = separators[-1]
        digits = digits[:last].replace(".", "").replace(",", "") + "." + digits[last + 1 :]
    else:
        digits = digits.replace(".", "").replace(",", "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def price_statements(sentence: str) -> list[PriceStatement]:
    found: list[PriceStatement] = []
    for match in _PRICE_RE.finditer(sentence):
        raw = match.group("a1") or match.group("a2") or match.group("a3")
        amount = parse_amount(raw)
        if amount is None:
            continue
        symbol = match.group("sym") or match.group("sym_after")
        code = match.group("code") or match.group("code_after")
        currency = _SYMBOL_CURRENCY[symbol.lower()] if symbol else str(code).upper()
        before = sentence[max(0, match.start() - _CUE_WINDOW) : match.start()]
        regular = bool(_REGULAR_CUE_RE.search(before))
        bound = bool(_BOUND_CUE_RE.search(before))
        found.append(PriceStatement(match.start(), match.end(), amount, currency, regular, bound))
    return found


def same_amount(stated: Decimal, catalogue_price: str | None) -> bool:
    if catalogue_price is None:
        return False
    try:
        return abs(stated - Decimal(catalogue_price)) < Decimal("0.005")
    except InvalidOperation:
        return False
