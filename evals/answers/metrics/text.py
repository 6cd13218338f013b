"""Text helpers the answer scorers share: accent folding, tokens, sentences, and which
catalogue products an answer names.

Matching is done on folded text (lower case, accents and ligatures removed, punctuation as
spaces), so "**Côte Linen Shirt**", "cote linen shirt" and "Côte linen-shirt" all name the
same product.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from evals.answers.records import Catalogue

# Letters NFKD does not split into a base letter and a mark.
_LIGATURES = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
)
_TOKEN_RE = re.compile(r"[a-z0-9]+")
# A sentence ends at . ! ? followed by space (not inside "142.99" or "142,99") or at a line
# break, so the items of a bullet list are sentences of their own.
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s)|\n+")


def fold(text: str) -> str:
    """Lower case without accents: "Côte" -> "cote", "Ærø" -> "aero"."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(fold(text))


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


def sentence_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if text[start : match.end()].strip():
            spans.append(Span(start, match.end(), text[start : match.end()]))
        start = match.end()
    if text[start:].strip():
        spans.append(Span(start, len(text), text[start:]))
    return spans


@dataclass(frozen=True, slots=True)
class Mention:
    """A product named in a text: its store id and where its title starts and ends."""

    product: str
    start: int
    end: int


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text as space-joined tokens, and for each of its characters the offset
    of the original character it came from (so a match maps back to the answer)."""
    out: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\w+", text):
        for token in _TOKEN_RE.findall(fold(match.group())):
            if out:
                out.append(" ")
                offsets.append(match.start())
            out.append(token)
            offsets.extend([match.start()] * (len(token) - 1) + [match.end()])
    return "".join(out), offsets


T = TypeVar("T")
# What is derived from a catalogue once (folded titles, the option vocabulary), by the
# catalogue's identity: a run scores every turn against the same Catalogue object, which
# is frozen. The object is kept with its entry so its id cannot be reused meanwhile.
_DERIVED: dict[tuple[int, str], tuple[Catalogue, Any]] = {}
_DERIVED_KEPT = 16


def derived(catalogue: Catalogue, name: str, build: Callable[[Catalogue], T]) -> T:
    entry = _DERIVED.get((id(catalogue), name))
    if entry is not None and entry[0] is catalogue:
        value: T = entry[1]
        return value
    if len(_DERIVED) >= _DERIVED_KEPT:
        _DERIVED.clear()
    built = build(catalogue)
    _DERIVED[(id(catalogue), name)] = (catalogue, built)
    return built


def _folded_titles(catalogue: Catalogue) -> list[tuple[str, str]]:
    """(folded title, store id) of every product with a title."""
    titles = [(" ".join(tokens(p.title)), p.external_id) for p in catalogue.products.values()]
    return [(title, ref) for title, ref in titles if title]


def title_mentions(text: str, catalogue: Catalogue) -> list[Mention]:
    """Every product whose WHOLE title the text contains (folded, on token boundaries),
    in order of position. Where titles overlap the longest wins: "Cedar Trail Running Shoe
    Pro" is that product, not also "Cedar Trail Running Shoe".

    Blind spot (deliberate): a shortened name ("the Nordkap skillet", "the Pro") is not a
    mention. In the demo catalogue a brand word is shared by ten to fifteen products and a
    product type by up to six, so no shorter part of a title names one product reliably."""
    folded, offsets = _folded_with_offsets(text)
    padded = f" {folded} "
    found: list[tuple[int, int, str]] = []
    for title, ref in derived(catalogue, "titles", _folded_titles):
        if f" {title} " not in padded:
            continue
        # Lookarounds, not spaces in the match: two titles side by side share one space.
        for match in re.finditer(f"(?<= ){re.escape(title)}(?= )", padded):
            start = match.start() - 1  # in `folded`, which has no leading space
            found.append((start, start + len(title), ref))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, str]] = []
    for start, end, ref in found:
        if any(start < k_end and k_start < end for k_start, k_end, _ in kept):
            continue
        kept.append((start, end, ref))
    return [Mention(ref, offsets[start], offsets[end - 1]) for start, end, ref in sorted(kept)]


def talked_about(text: str, catalogue: Catalogue) -> list[str]:
    """The products the text names, each once, in order of first mention."""
    return list(dict.fromkeys(m.product for m in title_mentions(text, catalogue)))


def without_titles(text: str, catalogue: Catalogue) -> str:
    """The text with every product title cut out (titles are often English in any
    language, and would pull a language detector towards English)."""
    pieces: list[str] = []
    cursor = 0
    for mention in title_mentions(text, catalogue):
        pieces.append(text[cursor : mention.start])
        cursor = mention.end
    pieces.append(text[cursor:])
    return " ".join(pieces)


def contains_phrase(haystack: str, needle: str) -> bool:
    """Case-insensitive containment after collapsing whitespace (how expect.evidence is
    matched against the prompt)."""
    return " ".join(needle.lower().split()) in " ".join(haystack.lower().split())


def any_word(text: str, words: Iterable[str]) -> bool:
    folded = f" {' '.join(tokens(text))} "
    return any(f" {' '.join(tokens(word))} " in folded for word in words)
