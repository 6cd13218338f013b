"""token_f1 and rouge_l against reference answers (absent when expect.references is empty);
each is the best over the references, as the reply only needs to match one of them.

Normalisation is SQuAD's, on folded text: lower case, accents removed, punctuation dropped,
English articles ("a", "an", "the") dropped, whitespace collapsed.
- token_f1: F1 of the bag-of-tokens overlap (counts clipped: a token twice in the reply
  matches twice only if twice in the reference).
- rouge_l: F-measure (beta = 1) of the longest common token subsequence, so word order
  counts, unlike token_f1.

Both reward wording, not truth: a reply with the wrong price but the reference's words
scores high. They are a drift signal next to grounded, never a substitute for it.
"""

from __future__ import annotations

from collections import Counter

from evals.answers.metrics.text import tokens

_ARTICLES = frozenset({"a", "an", "the"})


def normalised_tokens(text: str) -> list[str]:
    return [t for t in tokens(text) if t not in _ARTICLES]


def _f1(overlap: float, predicted: int, reference: int) -> float:
    if overlap == 0 or predicted == 0 or reference == 0:
        return 0.0
    precision, recall = overlap / predicted, overlap / reference
    return 2 * precision * recall / (precision + recall)


def token_f1(answer: str, reference: str) -> float:
    predicted, expected = normalised_tokens(answer), normalised_tokens(reference)
    if not predicted and not expected:
        return 1.0
    common = sum((Counter(predicted) & Counter(expected)).values())
    return _f1(common, len(predicted), len(expected))


def lcs_length(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b):
            current.append(previous[j] + 1 if token == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(answer: str, reference: str) -> float:
    predicted, expected = normalised_tokens(answer), normalised_tokens(reference)
    if not predicted and not expected:
        return 1.0
    return _f1(lcs_length(predicted, expected), len(predicted), len(expected))


def overlap_scores(answer: str, references: list[str]) -> dict[str, float]:
    if not references:
        return {}
    return {
        "token_f1": max(token_f1(answer, r) for r in references),
        "rouge_l": max(rouge_l(answer, r) for r in references),
    }
