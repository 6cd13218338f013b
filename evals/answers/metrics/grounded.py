"""grounded and facts_quoted: are the answer's facts the catalogue's?

grounded (absent when the answer states no attributed price, stock or variant fact):
1 when every attributed statement matches the catalogue, else 0.
- A price matches the product's price, or its regular_price when stated as the regular /
  "was" price, or the price of one of its variants (a "was" price: the regular price of the
  variants the sentence names, else of the product); in the catalogue's currency ("$" fits
  any dollar currency; "€" in a USD store does not match whatever the amount).
- A stock statement matches the product's stock; when the sentence names variant options,
  it matches the stock of one of the variants it names the most options of ("the Sand XL
  is sold out" is judged on the Sand XL; "the XL is sold out" is true when some XL is).
- A variant statement ("comes in Sage, Black") matches when each option it names is one of
  the product's attribute or variant options; a negated one ("doesn't come in Cream") when
  the option it names is NOT one of them.
- A statement about a product missing from the catalogue (a draft, a made-up id) does not
  match.
Statements that cannot be attributed (see statements.py) are not judged.

facts_quoted (absent when expect.facts is empty): the share of expected facts the answer
states exactly: a price fact needs a statement attributed to that product with that exact
amount in the catalogue's currency (not a "was" price); a stock fact a statement of that
stock attributed to it; a variant fact needs the option named anywhere in the answer
(folded, whole words).
"""

from __future__ import annotations

from decimal import Decimal

from evals.answers.metrics.prices import same_amount
from evals.answers.metrics.statements import Attributed, attributed_statements, product_options
from evals.answers.metrics.text import tokens
from evals.answers.records import (
    Catalogue,
    CatalogueProduct,
    CatalogueVariant,
    ExpectedFact,
    FactKind,
)


def _price_matches(statement: Attributed, product: CatalogueProduct, currency: str) -> bool:
    price = statement.price
    if price is None or not price.in_currency(currency):
        return False
    if price.regular:
        named = _named_variants(statement.sentence, product)
        regular = [v.regular_price or v.price for v in named] or [
            product.regular_price or product.price
        ]
        return any(same_amount(price.amount, r) for r in regular)
    candidates = [product.price, *(v.price for v in product.variants)]
    return any(same_amount(price.amount, c) for c in candidates)


def _named_variants(sentence: str, product: CatalogueProduct) -> list[CatalogueVariant]:
    """The variants the sentence names the most options of ("the Sand XL": Sand XL; "the
    XL": every XL), none when it names no option."""
    folded = f" {' '.join(tokens(sentence))} "
    named = {
        variant.external_id: sum(
            1 for o in variant.options.values() if f" {' '.join(tokens(o))} " in folded
        )
        for variant in product.variants
    }
    most = max(named.values(), default=0)
    return [v for v in product.variants if most and named[v.external_id] == most]


def _stock_matches(statement: Attributed, product: CatalogueProduct) -> bool:
    variants = _named_variants(statement.sentence, product)
    if variants:
        return any(v.stock == statement.stock for v in variants)
    return statement.stock == product.stock


def statement_matches(statement: Attributed, catalogue: Catalogue) -> bool:
    product = catalogue.products.get(statement.product or "")
    if product is None:
        return False
    if statement.kind == "price":
        return _price_matches(statement, product, catalogue.currency)
    if statement.kind == "stock":
        return _stock_matches(statement, product)
    offered = statement.option in product_options(product)
    return not offered if statement.negated else offered


def grounded_score(
    answer: str, catalogue: Catalogue, page_product: str | None, cards: list[str]
) -> float | None:
    statements = [
        s
        for s in attributed_statements(answer, catalogue, page_product, cards)
        if s.product is not None
    ]
    if not statements:
        return None
    return 1.0 if all(statement_matches(s, catalogue) for s in statements) else 0.0


def _fact_stated(
    fact: ExpectedFact, statements: list[Attributed], answer: str, currency: str
) -> bool:
    if fact.kind == FactKind.VARIANT:
        return f" {' '.join(tokens(fact.value))} " in f" {' '.join(tokens(answer))} "
    about = [s for s in statements if s.product == fact.product]
    if fact.kind == FactKind.PRICE:
        expected = Decimal(fact.value)
        return any(
            s.price is not None
            and not s.price.regular
            and s.price.in_currency(currency)
            and s.price.amount == expected
            for s in about
        )
    return any(s.stock == fact.value for s in about)


def facts_quoted_score(
    answer: str,
    facts: list[ExpectedFact],
    catalogue: Catalogue,
    page_product: str | None,
    cards: list[str],
) -> float | None:
    if not facts:
        return None
    statements = attributed_statements(answer, catalogue, page_product, cards)
    stated = [_fact_stated(f, statements, answer, catalogue.currency) for f in facts]
    return sum(stated) / len(facts)
