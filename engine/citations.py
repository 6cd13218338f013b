"""The sources an answer shows are the ones it refers to, numbered as it cites them.

Retrieval hands the model its top-k products and documents as numbered sources; an answer
is usually about one or two of them, or about none (a returns policy, a clarifying
question, "I don't know"). A shopper who asks about one mug and gets five product cards,
or asks about returns and gets five jackets, cannot tell what the answer meant. So the
sources sent with an answer are those it refers to: cited by "[n]", or named (a product by
a phrase of its title that no other product's title has, a document by its full title).
They come in the order the answer first mentions them, products before documents (as the
widget lays them out), and the answer's "[n]" markers are renumbered to point into that
list. A bracketed number that points at no source ("sizes [10, 12]", or a number the model
made up) is left as written: it cannot collide with a new number, which is never larger
than the number of sources.

An answer that refers to no source shows none, except the product the shopper is looking
at (`implied`), which "is it waterproof?" on its page is about without naming it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.guardrails.mentions import CITATION_RE, cited_numbers, occurrences, product_mentions
from engine.types import DocumentHit, ProductHit

Source = ProductHit | DocumentHit


@dataclass(frozen=True, slots=True)
class CitedAnswer:
    text: str
    sources: tuple[Source, ...]

    @property
    def products(self) -> list[ProductHit]:
        return [s for s in self.sources if isinstance(s, ProductHit)]

    @property
    def documents(self) -> list[DocumentHit]:
        return [s for s in self.sources if isinstance(s, DocumentHit)]


def cite(answer: str, numbered: Sequence[Source], *, implied: Source | None = None) -> CitedAnswer:
    """`numbered` are the prompt's sources: source [n] is numbered[n - 1]. `implied`: the
    source an answer that names nothing is about (the page's product), if any."""
    first_mention = _first_mentions(answer, numbered)
    if not first_mention:
        kept = (implied,) if implied is not None and any(implied is s for s in numbered) else ()
        return CitedAnswer(answer, kept)
    order = sorted(
        first_mention,
        key=lambda index: (isinstance(numbered[index], DocumentHit), first_mention[index]),
    )
    new_number = {old + 1: new + 1 for new, old in enumerate(order)}
    return CitedAnswer(_renumber(answer, new_number), tuple(numbered[i] for i in order))


def _first_mentions(answer: str, numbered: Sequence[Source]) -> dict[int, int]:
    """Index in `numbered` → position of its first mention in the answer."""
    first: dict[int, int] = {}

    def seen(index: int, position: int) -> None:
        if position < first.get(index, len(answer) + 1):
            first[index] = position

    products = [s for s in numbered if isinstance(s, ProductHit)]
    index_of = {id(s): i for i, s in enumerate(numbered)}
    for position, hit in product_mentions(answer, products):
        seen(index_of[id(hit)], position)
    for position, number in cited_numbers(answer):
        if 1 <= number <= len(numbered) and isinstance(numbered[number - 1], DocumentHit):
            seen(number - 1, position)
    lowered = answer.lower()
    for index, source in enumerate(numbered):
        # A document is named by its full title of two words or more: "Shipping" or
        # "Returns" alone are words any answer about shipping or returns uses.
        if isinstance(source, DocumentHit) and len(source.title.split()) >= 2:
            named = next(occurrences(source.title, lowered), None)
            if named:
                seen(index, named.start())
    return first


def _renumber(answer: str, new_number: dict[int, int]) -> str:
    """Every "[a, b]" marker with its numbers mapped; a number with no source as written."""

    def replace(match: re.Match[str]) -> str:
        numbers = [int(n) for n in match.group(1).split(",")]
        if not any(n in new_number for n in numbers):
            return match.group(0)
        return "[" + ", ".join(dict.fromkeys(str(new_number.get(n, n)) for n in numbers)) + "]"

    return CITATION_RE.sub(replace, answer)
