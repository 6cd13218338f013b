"""Which products a piece of an answer refers to: by a "[n]" citation, or by a phrase of
its title that no other product's title has."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from engine.types import ProductHit

# "[2]", "[1, 3]", "[ 2 ]"; not a markdown link's text ("[2](https://...)").
CITATION_RE = re.compile(r"\[\s*(\d{1,2}(?:\s*,\s*\d{1,2})*)\s*\](?!\()")


def title_phrases(title: str) -> list[str]:
    """The title and its runs of two or more words, longest first ("Rain Jacket")."""
    tokens = title.lower().split()
    if len(tokens) == 1:
        return tokens
    return [
        " ".join(tokens[i : i + n])
        for n in range(len(tokens), 1, -1)
        for i in range(len(tokens) - n + 1)
    ]


def product_mentions(text: str, hits: Sequence[ProductHit]) -> list[tuple[int, ProductHit]]:
    """(position, product) for every "[n]" citation of a product or name of one in `text`,
    in order. `hits` are the numbered sources that are products, first in the numbering.

    A product is named by its full title, longest titles first, where no longer title
    already matched ("Kyoto French Press" beside "Kyoto French Press Max"); failing that,
    by the first run of its title's words that no other title has ("Alpine Rain")."""
    found = [
        (position, hits[number - 1])
        for position, number in cited_numbers(text)
        if 1 <= number <= len(hits)  # numbers past the products are documents
    ]
    lowered = text.lower()
    claimed: list[tuple[int, int]] = []  # spans of full titles already matched
    named: set[int] = set()
    for index in sorted(range(len(hits)), key=lambda i: -len(hits[i].title)):
        for occurrence in occurrences(hits[index].title, lowered):
            if not any(
                start < occurrence.end() and occurrence.start() < end for start, end in claimed
            ):
                claimed.append(occurrence.span())
                if index not in named:
                    named.add(index)
                    found.append((occurrence.start(), hits[index]))
    phrase_owners: dict[str, list[ProductHit]] = {}
    for hit in hits:
        for phrase in title_phrases(hit.title):
            phrase_owners.setdefault(phrase, []).append(hit)
    for index, hit in enumerate(hits):
        if index in named:
            continue
        for phrase in title_phrases(hit.title):
            if len(phrase_owners[phrase]) > 1:
                continue  # "rain jacket" when two titles contain it names neither
            position = next(occurrences(phrase, lowered), None)
            if position:
                found.append((position.start(), hit))
                break
    return sorted(found, key=lambda item: item[0])


def cited_numbers(text: str) -> Iterator[tuple[int, int]]:
    """(position of the marker, number) for every number in every "[n]" marker."""
    for match in CITATION_RE.finditer(text):
        for number in match.group(1).split(","):
            yield match.start(), int(number)


def occurrences(phrase: str, lowered_text: str) -> Iterator[re.Match[str]]:
    """Where `phrase` (any case and spacing) stands as whole words in `lowered_text`."""
    phrase = " ".join(phrase.lower().split())
    if not phrase:
        return iter(())
    return re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered_text)
