"""The sources an answer shows are the ones it refers to, numbered as it cites them.

Retrieval hands the model its top-k products and documents as numbered sources; an answer
is usually about one or two of them. A shopper who asks about one mug and gets five
product cards cannot tell which one the answer meant. So the sources sent with an answer
are those it refers to: cited by "[n]", or named (a product by a phrase of its title that
no other product's title has, a document by its full title). They come in the order the
answer first mentions them, products before documents (as the widget lays them out), and
the answer's "[n]" markers are renumbered to point into that list. A marker that points at
no source is dropped.

An answer that refers to no source keeps them all, as before: "Which colour would you
like?" over a list of jackets is still about those jackets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.guardrails.mentions import CITATION_RE, product_mentions
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


def cite(answer: str, numbered: Sequence[Source]) -> CitedAnswer:
    """`numbered` are the prompt's sources: source [n] is numbered[n - 1]."""
    first_mention = _first_mentions(answer, numbered)
    if not first_mention:
        return CitedAnswer(_renumber(answer, {}), tuple(numbered))
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
    lowered = answer.lower()
    for index, source in enumerate(numbered):
        if not isinstance(source, DocumentHit):
            continue
        for match in CITATION_RE.finditer(answer):
            if str(index + 1) in (n.strip() for n in match.group(1).split(",")):
                seen(index, match.start())
        title = source.title.strip().lower()
        named = re.search(rf"(?<!\w){re.escape(title)}(?!\w)", lowered) if title else None
        if named:
            seen(index, named.start())
    return first


def _renumber(answer: str, new_number: dict[int, int]) -> str:
    """Every "[a, b]" marker with its numbers mapped; numbers with no source dropped, and a
    marker left with none removed with the spaces before it."""

    def replace(match: re.Match[str]) -> str:
        numbers = [new_number.get(int(n)) for n in match.group(2).split(",")]
        kept = list(dict.fromkeys(n for n in numbers if n is not None))
        return match.group(1) + "[" + ", ".join(map(str, kept)) + "]" if kept else ""

    return _MARKER_AFTER_SPACES.sub(replace, answer)


_MARKER_AFTER_SPACES = re.compile(r"([ \t]*)" + CITATION_RE.pattern)
