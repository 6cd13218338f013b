"""Citation scores: do the product cards match the products the answer talks about?

The products the answer talks about are the catalogue products whose whole title it
contains (text.title_mentions: folded, accents removed, the longest title wins; a
shortened name is not a mention, see there).

- citation_precision = |cards that are talked about or in products_must| / |cards|;
  absent when there are no cards (an answer with no cards cites nothing wrongly).
- citation_recall = |(talked about + products_must) that have a card| / |talked about +
  products_must|; absent when that set is empty.
- forbidden_absent: 1 when none of expect.products_must_not is among the cards; absent when
  the turn lists none.

Blind spot: an answer that describes a carded product without naming it ("this one is
waterproof") lowers precision only when products_must does not list that product.
"""

from __future__ import annotations

from evals.answers.metrics.text import talked_about
from evals.answers.records import Catalogue, Expectation, TurnResult


def citation_scores(
    expect: Expectation, result: TurnResult, catalogue: Catalogue
) -> dict[str, float]:
    scores: dict[str, float] = {}
    mentioned = talked_about(result.answer, catalogue)
    wanted = list(dict.fromkeys([*mentioned, *expect.products_must]))
    cards = list(dict.fromkeys(result.cards))
    if cards:
        scores["citation_precision"] = sum(1 for c in cards if c in wanted) / len(cards)
    if wanted:
        scores["citation_recall"] = sum(1 for p in wanted if p in cards) / len(wanted)
    if expect.products_must_not:
        forbidden = set(expect.products_must_not)
        scores["forbidden_absent"] = 0.0 if forbidden & set(cards) else 1.0
    return scores
