"""The answer about one product, from its facts, in this order:

1. options the question names ("in sky blue, size XS?", "and in cream?"): that variation's
   own price and stock, or that it does not exist and what does (variants.py);
2. weight, dimensions, material (attributes.py), from the fields, else the description;
3. reviews (reviews.py);
4. the options it comes in ("what colours?");
5. another attribute named ("what's the fit?");
6. price, stock, "do you sell it?": the live facts (a price range over its variations);
7. the description's sentences that answer the question (evidence.py);
8. "the listing doesn't give its weight" / "the description doesn't say": never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from engine.offline import attributes
from engine.offline.evidence import best_evidence
from engine.offline.phrases import say
from engine.offline.questions import (
    COLOUR_WORD_RE,
    SIZE_WORD_RE,
    asks_dimensions,
    asks_if_sold,
    asks_material,
    asks_options,
    asks_price,
    asks_reviews,
    asks_stock,
    asks_weight,
)
from engine.offline.reviews import reviews_answer
from engine.offline.variants import axes, options_answer, price_range, variant_answer
from engine.offline.wording import bold, facts_sentence, price_words, stock_words
from engine.prompts.text import content_stems
from engine.types import ProductHit

# Words in a line that make it about a weight, for a weight question the fields don't answer.
_WEIGHT_WORDS_RE = re.compile(
    r"\b(weigh\w*|lbs?|pounds?|kg|kilo\w*|grams?|g|oz|ounces?)\b", re.IGNORECASE
)


def _evidence_answer(hit: ProductHit, question: str, language: str) -> str | None:
    quotes = best_evidence(question, hit.snippets, content_stems(hit.title))
    if asks_weight(question) and not (asks_dimensions(question) or SIZE_WORD_RE.search(question)):
        quotes = [q for q in quotes if _WEIGHT_WORDS_RE.search(q)]
    if not quotes:
        return None
    more = " ".join(say(language, "product_evidence_more", quote=q) for q in quotes[1:])
    facts = facts_sentence(hit, language)
    first = say(language, "product_evidence", name=bold(hit), quote=quotes[0], facts=facts)
    if not more:
        return first
    head, _, _ = first.rpartition(facts)
    return f"{head.rstrip()} {more} {facts}"


def _price_answer(hit: ProductHit, language: str) -> str:
    spread = price_range(hit)
    if spread is not None:
        low, high = spread
        return say(
            language,
            "product_price_range",
            name=bold(hit),
            low=price_words(low, language),
            high=price_words(high, language),
            stock=stock_words(hit, language),
        )
    return say(
        language,
        "product_price",
        name=bold(hit),
        price=price_words(hit, language),
        stock=stock_words(hit, language),
    )


def _options_none(hit: ProductHit, question: str, language: str) -> str:
    asked = COLOUR_WORD_RE.search(question) or SIZE_WORD_RE.search(question)
    word = asked.group(0).lower() if asked else ""
    word = word[:-1] if word.endswith("s") and len(word) > 4 else word
    return say(language, "options_none", asked=word, name=bold(hit))


def _attribute_or_evidence(hit: ProductHit, question: str, language: str) -> str | None:
    """Weight, dimensions, material: the field, else the description, else "the listing
    doesn't give …"; None for a question about none of them."""
    if not (asks_weight(question) or asks_dimensions(question) or asks_material(question)):
        return None
    from_fields = attributes.attribute_answer(hit, question, language)
    if from_fields is not None:
        return from_fields
    quoted = _evidence_answer(hit, question, language)
    if quoted is not None:
        return quoted
    unknown = attributes.unknown_answer(hit, question, language)
    return f"{unknown} {facts_sentence(hit, language)}" if unknown else None


def _options(hit: ProductHit, question: str, language: str) -> str | None:
    """ "What colours?": the options, else a size from the dimensions, else what the
    description says, else that the listing gives no such options."""
    answer = options_answer(hit, question, language)
    if answer is None and SIZE_WORD_RE.search(question):
        answer = attributes.dimensions_answer(hit, language)
    if answer is None:
        answer = _evidence_answer(hit, question, language)
    if answer is None and not axes(hit) and SIZE_WORD_RE.search(question):
        answer = attributes.unknown_answer(hit, "dimensions", language)
    if answer is None and (COLOUR_WORD_RE.search(question) or SIZE_WORD_RE.search(question)):
        answer = _options_none(hit, question, language)
    return answer


def answer_about_product(
    hit: ProductHit,
    question: str,
    language: str,
    vocabulary: Iterable[str] = (),
    *,
    named: bool = False,
) -> str:
    """`vocabulary`: options other products come in, which this one may not ("cream").
    `named`: the question names the product ("do you have the X?" gets "yes, we sell X")."""
    answer = variant_answer(hit, question, language, vocabulary)
    if answer is None:
        answer = _attribute_or_evidence(hit, question, language)
    if answer is None and asks_reviews(question):
        answer = reviews_answer(hit, question, language)
    if answer is None and asks_options(question) and not asks_price(question):
        answer = _options(hit, question, language)
    if answer is None and attributes.named_attribute(hit, question) is not None:
        answer = attributes.attribute_answer(hit, question, language)
    if answer is not None:
        return answer
    if asks_price(question):
        return _price_answer(hit, language)
    if asks_stock(question):
        return say(
            language,
            "product_stock",
            name=bold(hit),
            stock=stock_words(hit, language),
            price=price_words(hit, language),
        )
    if named and asks_if_sold(question):
        return say(
            language,
            "product_sold",
            name=bold(hit),
            price=price_words(hit, language),
            stock=stock_words(hit, language),
        )
    quoted = _evidence_answer(hit, question, language)
    if quoted is not None:
        return quoted
    if asks_reviews(question):
        return say(language, "reviews_none", name=bold(hit))
    return say(language, "product_silent", name=bold(hit), facts=facts_sentence(hit, language))
