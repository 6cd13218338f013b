"""Constraints a shopper states in words, parsed from the question and applied in SQL.

"under $50", "less than 30 dollars", "between 20 and 40", "over €100" (and the same
bounds in Spanish, French, German, Italian and Portuguese), "in stock",
"on sale", a category name the store uses, and attribute values the store uses
("red", "size M"). Category and attribute matching uses the tenant's own vocabulary, so
"red" is a filter only in a store that sells something red.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

_NUMBER = r"(\d+(?:[.,]\d{1,2})?)"
_CURRENCY = r"(?:\$|€|£|\b(?:dollars?|d[oó]lar(?:es)?|euros?|pounds?|libras?|bucks|usd|eur|gbp)\b)?"
_MONEY = rf"{_CURRENCY}\s*{_NUMBER}\s*{_CURRENCY}"

# Shoppers write in their own language (the bot answers in it): the bounds are also read
# in Spanish, French, German, Italian and Portuguese. Words that also bound days or
# quantities ("hasta", "bis", "até": "until") are left out.
_BETWEEN = re.compile(
    rf"\b(?:between|entre|zwischen|tra)\s+{_MONEY}\s+(?:and|to|y|et|und|e|-)\s+{_MONEY}", re.I
)
_RANGE = re.compile(rf"{_CURRENCY}\s*{_NUMBER}\s*(?:-|–|to)\s*{_MONEY}", re.I)
_MAX = re.compile(
    r"\b(?:(?:can'?t|cannot|don'?t want to|won'?t|do not want to|not)\s+(?:spend|pay)\s+"
    r"(?:more than|over|above)"
    r"|under|below|less than|cheaper than|max(?:imum)?|up to|no more than|at most"
    r"|(?:por )?menos de|por debajo de|moins de|en dessous de|unter|weniger als|h[öo]chstens"
    r"|meno di|abaixo de|<=?)"
    rf"\s*{_MONEY}",
    re.I,
)
_MIN = re.compile(
    r"\b(?:over|above|more than|at least|min(?:imum)?|from|starting at"
    r"|m[aá]s de|por encima de|plus de|au-dessus de|[üu]ber|mehr als|mindestens|pi[uù] di"
    r"|mais de|acima de|>=?)"
    rf"\s*{_MONEY}",
    re.I,
)
_IN_STOCK = re.compile(
    r"\b(?:in[- ]stock|available(?: (?:right )?now)?|ships? (?:now|today)|can i buy now"
    r"|(?:not|aren'?t|isn'?t|never) (?:sold out|out of stock))\b",
    re.I,
)
# "cheapest", "most expensive", "newest", "best rated": an order over every product the
# other filters let through (engine.retrieval.product_filter.ordered_products).
_ORDERS = (
    (
        "price_asc",
        r"\b(?:cheapest|least expensive|lowest[- ]priced?|most affordable|lowest price"
        r"|m[aá]s barat[oa]s?|moins cher|am (?:billigsten|günstigsten)|pi[uù] economic[oi]"
        r"|mais barat[oa]s?)\b",
    ),
    (
        "price_desc",
        r"\b(?:most expensive|priciest|highest[- ]priced?|m[aá]s car[oa]s?|plus cher"
        r"|am teuersten|pi[uù] costos[oi]|mais car[oa]s?)\b",
    ),
    ("newest", r"\b(?:newest|latest|most recent|new arrivals?|m[aá]s nuev[oa]s?)\b"),
    ("rating", r"\b(?:best[- ]rated|highest[- ]rated|top[- ]rated|best reviewed)\b"),
)
_ORDER_PATTERNS = tuple((name, re.compile(pattern, re.I)) for name, pattern in _ORDERS)
_ON_SALE = re.compile(r"\b(?:on sale|discounted|deals?|reduced|sale items?|clearance)\b", re.I)
_SIZE = re.compile(r"\bsize\s+([a-z0-9]{1,4})\b", re.I)
_WORD = re.compile(r"[\w'-]+", re.U)


def _money(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryFilters:
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock_only: bool = False
    on_sale_only: bool = False
    categories: tuple[str, ...] = ()  # lower-cased, as the store spells them
    attribute_values: tuple[str, ...] = ()  # lower-cased
    # "price_asc" | "price_desc" | "newest" | "rating": the shopper asked for an order.
    order: str | None = None
    # The question with the constraint phrases removed: what the rankers search for.
    search_text: str = ""

    @property
    def any(self) -> bool:
        return bool(
            self.min_price is not None
            or self.max_price is not None
            or self.in_stock_only
            or self.on_sale_only
            or self.categories
            or self.attribute_values
        )


@dataclass(frozen=True, slots=True)
class StoreVocabulary:
    """The tenant's category names and attribute values, lower-cased."""

    categories: frozenset[str] = field(default_factory=frozenset)
    attribute_values: frozenset[str] = field(default_factory=frozenset)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[-3:-2] in {"s", "x", "z", "h"}:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _match_vocabulary(text: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Vocabulary entries (single or multi-word) that the text names, singular or plural."""
    if not vocabulary:
        return ()
    words = [w.lower() for w in _WORD.findall(text)]
    singular_text = " " + " ".join(_singular(w) for w in words) + " "
    plain_text = " " + " ".join(words) + " "
    found = []
    for entry in vocabulary:
        singular_entry = " " + " ".join(_singular(w) for w in entry.split()) + " "
        if f" {entry} " in plain_text or singular_entry in singular_text:
            found.append(entry)
    return tuple(sorted(found))


def parse_filters(question: str, vocabulary: StoreVocabulary | None = None) -> QueryFilters:
    text = question
    min_price = max_price = None

    if m := _BETWEEN.search(text):
        low, high = _money(m.group(1)), _money(m.group(2))
        if low is not None and high is not None:
            min_price, max_price = min(low, high), max(low, high)
        text = text.replace(m.group(0), " ")
    elif m := _RANGE.search(text):
        low, high = _money(m.group(1)), _money(m.group(2))
        if low is not None and high is not None and low < high:
            min_price, max_price = low, high
            text = text.replace(m.group(0), " ")
    if max_price is None and (m := _MAX.search(text)):
        max_price = _money(m.group(1))
        text = text.replace(m.group(0), " ")
    if min_price is None and (m := _MIN.search(text)):
        candidate = _money(m.group(1))
        # "from" only counts as a bound next to a currency sign or word ("from $20").
        if candidate is not None and (
            not m.group(0).lower().startswith("from")
            or re.search(r"[$€£]|usd|eur|d[oó]lar|euro", m.group(0), re.I)
        ):
            min_price = candidate
            text = text.replace(m.group(0), " ")

    order = None
    for name, pattern in _ORDER_PATTERNS:
        if m := pattern.search(text):
            order = name
            text = text.replace(m.group(0), " ")
            break
    in_stock = bool(_IN_STOCK.search(text))
    on_sale = bool(_ON_SALE.search(text))
    vocab = vocabulary or StoreVocabulary()
    categories = _match_vocabulary(text, vocab.categories)
    # Short values ("m", "xl", "10") are too ambiguous as bare words: only "size M" counts.
    long_values = frozenset(v for v in vocab.attribute_values if len(v) > 2)
    attribute_values = list(_match_vocabulary(text, long_values))
    for size in _SIZE.findall(text):
        if size.lower() in vocab.attribute_values and size.lower() not in attribute_values:
            attribute_values.append(size.lower())
    search_text = " ".join(text.split()) or question
    return QueryFilters(
        min_price=min_price,
        max_price=max_price,
        in_stock_only=in_stock,
        on_sale_only=on_sale,
        categories=categories,
        attribute_values=tuple(sorted(attribute_values)),
        order=order,
        search_text=search_text,
    )
