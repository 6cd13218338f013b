"""The part of a chunk a question needs, when the chunk is longer than a prompt excerpt.

A chunk is up to a few hundred tokens; the prompt shows each excerpt in at most
`limit` characters. Cutting at the start showed the product's header and its first
paragraph, and left out the review or the shopper answer further down that answers
"does it smell like a real baby?". The excerpt is the sentences (or list
items) that share the most words with the question, in their order, each followed by the
next while they fit; with no word in common it is the start, as before.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s+(?=- )")
_WORD = re.compile(r"[^\W_]+", re.U)
# Words shorter than this, and these, say nothing about which sentence answers.
_MIN_WORD = 3
_STOP = frozenset(
    "the and are was were this that these those with for from have has had does did you "
    "your can could would should will what which who how why when where there their they "
    "them its it's not any all about into than then just also very much many more most "
    "one get got buy use used using like".split()
)
# Words match on their first letters: "gloss"/"glossy", "weigh"/"weight", "smell"/"smells".
_STEM = 5


def _stems(text: str) -> set[str]:
    return {
        w[:_STEM]
        for w in (m.lower() for m in _WORD.findall(text))
        if len(w) >= _MIN_WORD and w not in _STOP
    }


def excerpt(text: str, question: str, limit: int) -> str:
    """At most `limit` characters of `text` (whitespace folded): the sentences that share
    the most words with `question`, in their order, with the ones after them as context
    while they fit; gaps are marked "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    asked = _stems(question)
    parts = [p for p in _SENTENCE_END.split(text) if p]
    overlaps = [len(asked & _stems(p)) for p in parts]
    matching = sorted((i for i, n in enumerate(overlaps) if n), key=lambda i: (-overlaps[i], i))
    if not matching:
        return _head(text, limit)
    chosen: set[int] = set()
    # The best sentences first, then what follows each (an answer after its lead-in).
    for i in [*matching, *(i + 1 for i in matching if i + 1 < len(parts))]:
        if i not in chosen and _length(parts, chosen | {i}) <= limit:
            chosen.add(i)
    if not chosen:  # the best sentence alone is longer than the limit
        return _head(parts[matching[0]], limit)
    return _render(parts, chosen)


def _render(parts: list[str], chosen: set[int]) -> str:
    pieces: list[str] = []
    previous = -1
    for i in sorted(chosen):
        if i != previous + 1:
            pieces.append("…")
        pieces.append(parts[i])
        previous = i
    if previous + 1 < len(parts):
        pieces.append("…")
    return " ".join(pieces)


def _length(parts: list[str], chosen: set[int]) -> int:
    return len(_render(parts, chosen))


def _head(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
