"""The fact statements of an answer (prices, stock, variant options), each attributed to
the product it talks about.

Attribution, for a statement in a sentence (a bullet line is a sentence):
1. the product whose title is mentioned nearest to it in the same sentence (by characters,
   before or after; a tie goes to the title before it), so "the A is $10 and the B is $20"
   gives $10 to A and $20 to B;
2. else the page product (the turn was asked on that product's page);
3. else the only product card, when there is exactly one;
4. else nothing: the statement is unattributed and is not judged (blind spot: "It's $10."
   after a list of five products is not checked).

Price statements that are bounds ("under $50", "orders over $75") are skipped: they are
limits, not prices. In a sentence about shipping, returns or orders, a price is judged only
when a product title is nearer to it than the nearest policy word ("the Nordkap Cast Iron
Skillet is $142.99 with free shipping" is judged; "standard shipping is $6.95" on the
skillet's page is the store's policy figure and is not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evals.answers.metrics.prices import PriceStatement, price_statements
from evals.answers.metrics.stock import stock_statements
from evals.answers.metrics.text import (
    Mention,
    Span,
    derived,
    sentence_spans,
    title_mentions,
    tokens,
)
from evals.answers.records import Catalogue, CatalogueProduct

_POLICY_WORD_RE = re.compile(
    r"\b(shipping|ships?|delivery|orders?|returns?|refunds?|postage"
    r"|env(í|i)o|devoluci(ó|o)n|livraison|exp(é|e)dition|remboursement|versand|lieferung"
    r"|r(ü|u)ckgabe|spedizione|reso|rimborso|frete|entrega|devolu(ç|c)(ã|a)o)\b",
    re.IGNORECASE,
)
# Words that introduce the options a product comes in.
_VARIANT_CUE_RE = re.compile(
    r"\b(comes? in|available in|options?|colou?rs?|sizes?|variants?|viene en|disponible en"
    r"|colores|tallas|existe en|couleurs?|tailles?|erh(ä|a)ltlich in|farben?|gr(ö|o)(ß|ss)en"
    r"|disponibile in|colori|taglie|dispon(í|i)vel em|cores|tamanhos)\b",
    re.IGNORECASE,
)
# A negation just before the cue: "doesn't come in Cream", "no viene en", "n'existe pas en".
_NEGATED_CUE_RE = re.compile(
    r"\b(doesn['’]?t|does not|don['’]?t|do not|isn['’]?t|is not|aren['’]?t|are not|not|no"
    r"|nicht|non|n(ã|a)o)\s+(\w+\s+)?$",
    re.IGNORECASE,
)
# Options this short (sizes "S", "38") are too often other words or numbers to look for.
_MIN_OPTION_LENGTH = 3


@dataclass(frozen=True, slots=True)
class Attributed:
    """One statement and the product it is about (None: unattributed)."""

    kind: str  # "price" | "stock" | "variant"
    product: str | None
    sentence: str
    price: PriceStatement | None = None
    stock: str | None = None
    option: str | None = None  # the option a variant statement names
    negated: bool = False  # a variant statement saying the option is NOT offered


def _distance(start: int, end: int, mention: Mention) -> tuple[int, int]:
    """Characters between a statement and a mention; a mention before it wins a tie."""
    if mention.end <= start:
        return (start - mention.end, 0)
    return (max(0, mention.start - end), 1)


def _nearest(start: int, end: int, mentions: list[Mention]) -> str | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: _distance(start, end, m)).product


def _price_product(
    price: PriceStatement,
    mentions: list[Mention],
    policy_words: list[Mention],
    fallback: str | None,
) -> str | None:
    if not policy_words:
        return _nearest(price.start, price.end, mentions) or fallback
    nearest_policy = min(_distance(price.start, price.end, w) for w in policy_words)
    titled = [m for m in mentions if _distance(price.start, price.end, m) < nearest_policy]
    return _nearest(price.start, price.end, titled)


def option_vocabulary(catalogue: Catalogue) -> dict[str, str]:
    """Every attribute option of the catalogue, folded -> as written."""
    vocabulary: dict[str, str] = {}
    for product in catalogue.products.values():
        options = [o for values in product.attributes.values() for o in values]
        options += [o for v in product.variants for o in v.options.values()]
        for option in options:
            folded = " ".join(tokens(option))
            if len(folded) >= _MIN_OPTION_LENGTH and any(c.isalpha() for c in folded):
                vocabulary[folded] = option
    return vocabulary


def product_options(product: CatalogueProduct) -> set[str]:
    options = {o for values in product.attributes.values() for o in values}
    options |= {o for v in product.variants for o in v.options.values()}
    return {" ".join(tokens(o)) for o in options}


def _named_options(text: str, vocabulary: dict[str, str]) -> list[tuple[int, str]]:
    """(position in the folded text, folded option) of each catalogue option named."""
    folded = f" {' '.join(tokens(text))} "
    return [
        (match.start(), option)
        for option in vocabulary
        if f" {option} " in folded
        for match in re.finditer(re.escape(f" {option} "), folded)
    ]


def _variant_statements(
    span: Span, fallback: str | None, mentions: list[Mention], vocabulary: dict[str, str]
) -> list[Attributed]:
    cue = _VARIANT_CUE_RE.search(span.text)
    if cue is None:
        return []
    product = _nearest(cue.start(), cue.end(), mentions) or fallback
    after_cue = span.text[cue.start() :]
    # A product's own title may hold an option word ("Sage Kettle"): only words after the
    # cue are options being claimed.
    titles = {" ".join(tokens(span.text[m.start : m.end])) for m in mentions}
    negated = _NEGATED_CUE_RE.search(span.text[: cue.start()]) is not None
    return [
        Attributed("variant", product, span.text, option=option, negated=negated)
        for _, option in _named_options(after_cue, vocabulary)
        # Whole words: "red" is not in "Shredder".
        if not any(f" {option} " in f" {title} " for title in titles)
    ]


def attributed_statements(
    answer: str, catalogue: Catalogue, page_product: str | None, cards: list[str]
) -> list[Attributed]:
    fallback = page_product or (cards[0] if len(cards) == 1 else None)
    vocabulary = derived(catalogue, "options", option_vocabulary)
    all_mentions = title_mentions(answer, catalogue)
    found: list[Attributed] = []
    for span in sentence_spans(answer):
        mentions = [
            Mention(m.product, m.start - span.start, m.end - span.start)
            for m in all_mentions
            if span.start <= m.start < span.end
        ]
        policy_words = [
            Mention("", m.start(), m.end()) for m in _POLICY_WORD_RE.finditer(span.text)
        ]
        for price in price_statements(span.text):
            if not price.bound:
                product = _price_product(price, mentions, policy_words, fallback)
                found.append(Attributed("price", product, span.text, price=price))
        for stock in stock_statements(span.text):
            product = _nearest(stock.start, stock.end, mentions) or fallback
            found.append(Attributed("stock", product, span.text, stock=stock.stock))
        found.extend(_variant_statements(span, fallback, mentions, vocabulary))
    return found
