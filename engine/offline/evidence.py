"""The sentences of a product's text that answer a question, best first.

Each sentence (a list item or a line is a sentence of its own, quoted without its bullet)
is scored by the question's words it shares, a word weighing more the fewer of the
product's sentences have it: "do they have a gloss finish?" is answered by the one line
about gloss, not by the five about tiles. Words of the product's title say nothing about
the question ("is the rain jacket warm?"); the catalogue's labels ("Category: Toys",
"SKU: …", section headings) are not evidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from engine.prompts.text import content_stems, sentences, stem

_BULLET_RE = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")
_LABEL_RE = re.compile(
    r"^(categor(y|ies)|sku|tags?|material|available in|brand|price|stock)\s*:", re.IGNORECASE
)
_MIN_WORDS = 3
# A list item this short is quoted whole ("made in the u.s.a. as well." is one answer).
_WHOLE_LINE_CHARS = 240
# A word shared only through a common beginning ("assemble" / "assembly") counts a little less.
_PREFIX_MIN = 5
_PREFIX_WEIGHT = 0.8
# Up to this many sentences are quoted: the best, and the next ones that score at least
# this share of it (shoppers' answers often split what answers a question over lines).
_QUOTED_AT_MOST = 3
_RUNNER_UP_SHARE = 0.5


# A question's word and the words a description answers it with ("how heavy?" → "weighs
# 200 grams", "which country?" → "made in Portugal").
_RELATED = {
    stem(word): content_stems(related)
    for word, related in (
        ("heavy", "weigh weight"),
        ("weigh", "weight heavy lbs kg grams pounds ounces oz"),
        ("weight", "weigh heavy lbs kg grams pounds ounces oz"),
        ("big", "size dimensions measures inches cm"),
        ("size", "inches cm tall long wide measures dimensions"),
        ("age", "years old year ages"),
        ("old", "ages age"),
        ("large", "size dimensions measures inches cm"),
        ("country", "made manufactured produced"),
        ("origin", "made manufactured produced"),
        ("wash", "washable machine"),
        ("waterproof", "water rain"),
    )
}


@dataclass(frozen=True, slots=True)
class Evidence:
    text: str
    score: float


def candidate_lines(texts: Iterable[str]) -> list[str]:
    """Every sentence of `texts`, a short list item (often one shopper's answer) whole;
    without bullets or labels, each once."""
    found: list[str] = []
    for text in texts:
        for raw in text.splitlines():
            line = _BULLET_RE.sub("", raw).strip()
            item = line != raw.strip() and len(line) <= _WHOLE_LINE_CHARS
            pieces = [line] if item else sentences(line)
            for piece in pieces:
                piece = piece.strip().strip('"“”').strip()
                if len(piece.split()) < _MIN_WORDS or _LABEL_RE.match(piece):
                    continue
                found.append(piece)
    return list(dict.fromkeys(found))


def _shares(line_stems: set[str], word: str) -> float:
    if word in line_stems:
        return 1.0
    if len(word) >= _PREFIX_MIN and any(
        len(s) >= _PREFIX_MIN and (s.startswith(word) or word.startswith(s)) for s in line_stems
    ):
        return _PREFIX_WEIGHT
    return 0.0


def ranked_evidence(question: str, texts: Iterable[str], skip: set[str]) -> list[Evidence]:
    """The lines sharing a question word, best first (ties: the earlier line)."""
    lines = candidate_lines(texts)
    asked = content_stems(question) - skip
    words = asked | {r for w in asked for r in _RELATED.get(w, set())} - skip
    if not lines or not words:
        return []
    stems = [content_stems(line) for line in lines]
    # Squared: one rare word ("gloss") outweighs two the product's text is full of ("tile").
    weight = {
        w: math.log(1 + len(lines) / max(1, sum(1 for s in stems if _shares(s, w)))) ** 2
        for w in words
    }
    scored = [
        Evidence(line, sum(weight[w] * _shares(s, w) for w in words))
        for line, s in zip(lines, stems, strict=True)
    ]
    ranked = sorted(
        (e for e in scored if e.score > 0), key=lambda e: -e.score
    )  # sorted() is stable: ties keep the text's order
    return ranked


def best_evidence(question: str, texts: Iterable[str], skip: set[str]) -> list[str]:
    """The best line, and the runners-up nearly as good."""
    ranked = ranked_evidence(question, texts, skip)
    if not ranked:
        return []
    best = ranked[0].score
    return [e.text for e in ranked[:_QUOTED_AT_MOST] if e.score >= _RUNNER_UP_SHARE * best]


def most_shared(question: str, texts: Iterable[str]) -> tuple[str, int]:
    """The line sharing most words with the question, and how many (ties: the earlier):
    for policies and FAQs, whose every sentence is on the question's topic, so a rare word
    ("takes") should not outweigh the one that answers ("ship within 2 days")."""
    words = content_stems(question)
    best, best_score = "", 0
    for line in candidate_lines(texts):
        score = len(content_stems(line) & words)
        if score > best_score:
            best, best_score = line, score
    return best, best_score
