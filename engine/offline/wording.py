"""The offline answerer's small pieces of wording: a product's name, its live price and stock
in words, one variation's facts seen as a product's, and "a, b and c" lists.

Price and stock words come from engine.prompts.facts_wording (one place decides what the
facts say, for the model, the shopper and the guardrails); this module is the one place
the offline answerer asks for them, so the shopper's language reaches them from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.guardrails.variations import as_variation
from engine.offline.phrases import say
from engine.prompts.facts_wording import for_shopper
from engine.types import ProductHit, VariationFact


def bold(hit: ProductHit) -> str:
    return f"**{hit.title}**"


def price_words(hit: ProductHit, language: str) -> str:
    return for_shopper(language).price(hit)


def stock_words(hit: ProductHit, language: str) -> str:
    return for_shopper(language).stock(hit)


def facts_sentence(hit: ProductHit, language: str) -> str:
    """ "It's $49.99 and in stock." """
    return say(
        language,
        "product_facts",
        price=price_words(hit, language),
        stock=stock_words(hit, language),
    )


def as_product(hit: ProductHit, variation: VariationFact) -> ProductHit:
    """The parent seen with one variation's live facts (never the parent's)."""
    return as_variation(hit, variation)


def joined(items: Sequence[str], language: str) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return say(language, "list_and", head=", ".join(items[:-1]), last=items[-1])
