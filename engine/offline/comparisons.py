"""Two or more products side by side, from their facts alone.

"Which is cheaper, the A or the B?", "compare them": one line per product with its live
price (and sale), stock, rating, its key attributes and a line quoted from its description,
then which is cheaper and by how much. Every fact comes from the hit; nothing is ranked or
judged beyond the price, which is a fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from engine.offline.phrases import say
from engine.offline.wording import price_words, stock_words
from engine.prompts.text import content_stems, format_money, sentences
from engine.types import Grounding, ProductHit

# Attributes worth a comparison line, in this order; others follow up to the limit.
_KEY_ATTRIBUTES = ("material", "colour", "color", "size", "capacity", "weight")
MAX_ATTRIBUTES = 3
MAX_QUOTE_CHARS = 180
MIN_QUOTE_WORDS = 5
# A sentence with these is a fact line of the listing (a price, a header), not a quote.
_NOT_QUOTABLE = (":", "$", "€", "£", "stock", "rated", "reviews")


def _key_attributes(hit: ProductHit) -> list[str]:
    def rank(name: str) -> int:
        lowered = name.lower()
        return _KEY_ATTRIBUTES.index(lowered) if lowered in _KEY_ATTRIBUTES else 99

    names = sorted(hit.attributes, key=rank)[:MAX_ATTRIBUTES]
    return [f"{name}: {', '.join(hit.attributes[name])}" for name in names if hit.attributes[name]]


def _quotable(sentence: str, title: str) -> bool:
    """A sentence of the description proper: not the title line, a fact line ("Material:
    Suede", a price) or a fragment."""
    return (
        len(sentence.split()) >= MIN_QUOTE_WORDS
        and len(sentence) <= MAX_QUOTE_CHARS
        and not sentence.lower().startswith(title.lower())
        and not any(mark in sentence.lower() for mark in _NOT_QUOTABLE)
    )


def quotable_sentences(hit: ProductHit) -> list[str]:
    """The sentences of the description proper, in reading order, each once."""
    return list(
        dict.fromkeys(
            s.strip()
            for snippet in hit.snippets
            for s in sentences(snippet)
            if _quotable(s.strip(), hit.title)
        )
    )


def key_attributes(hit: ProductHit) -> str:
    """ "Material: Suede; Colour: Navy, Black." ("" without attributes)."""
    attributes = _key_attributes(hit)
    return "; ".join(attributes) + "." if attributes else ""


def quotable_line(hit: ProductHit, question: str) -> str | None:
    """The description sentence that shares most words with the question (words of the
    title itself do not count), else the first plain sentence of the description."""
    asked = content_stems(question) - content_stems(hit.title)
    candidates = quotable_sentences(hit)
    if not candidates:
        return None
    best = max(candidates, key=lambda s: len(content_stems(s) & asked))
    return best if content_stems(best) & asked else candidates[0]


def product_line(hit: ProductHit, question: str, language: str) -> str:
    parts = [f"- **{hit.title}**: {price_words(hit, language)}, {stock_words(hit, language)}."]
    if hit.average_rating is not None and hit.rating_count:
        parts.append(
            say(language, "compare_rating", rating=hit.average_rating, count=hit.rating_count)
        )
    if attributes := key_attributes(hit):
        parts.append(attributes)
    quote = quotable_line(hit, question)
    if quote:
        parts.append(f'"{quote}"')
    return " ".join(parts)


def _price_verdict(hits: Sequence[ProductHit], language: str) -> str | None:
    priced = [h for h in hits if h.price is not None]
    if len(priced) < 2:
        return None
    ordered = sorted(priced, key=lambda h: h.price or Decimal(0))
    cheapest, priciest = ordered[0], ordered[-1]
    if cheapest.price == priciest.price:
        return say(language, "compare_same_price")
    difference = (priciest.price or Decimal(0)) - (cheapest.price or Decimal(0))
    key = "compare_cheaper_of_two" if len(priced) == 2 else "compare_cheapest_of_all"
    # The difference is a sentence of its own: it is no product's price.
    return " ".join(
        [
            say(language, key, cheaper=cheapest.title),
            say(language, "compare_difference", amount=format_money(difference, cheapest.currency)),
        ]
    )


def compare_products(grounding: Grounding) -> str:
    hits, language = grounding.hits, grounding.language
    lines = [say(language, "compare_intro", count=len(hits))]
    lines += [product_line(h, grounding.question, language) for h in hits]
    verdict = _price_verdict(hits, language)
    if verdict:
        lines.append(verdict)
    return "\n".join(lines)
