"""Retrieval scores of one turn: did the engine FIND the products the turn is about, and
did the evidence reach the model's prompt?

- The ranking is `result.retrieved`'s product refs in rank order, each product once (a
  product retrieved as three chunks holds one rank, its best); documents are skipped.
- Relevance is `expect.relevance` (store id -> gain 1..3); when that is empty,
  `expect.products_must` with gain 1. No relevant product: the ranking scores are absent.
- hit@1 / hit@5: some relevant product at rank <= k. mrr: 1 / rank of the first relevant
  product (0 when none is retrieved). ndcg@5 uses the GRADED gains: DCG = sum of
  (2^gain - 1) / log2(rank + 1) over the top 5, over the DCG of the ideal order.
- evidence_in_prompt: the share of `expect.evidence` texts found in the prompt's messages
  (case-insensitive, whitespace collapsed); absent when the turn lists none.
- evidence_in_answer: the same share found in the ANSWER the shopper read: did the reply
  pass the evidence on, not only the prompt hold it? What an offline answer that quotes the
  right review scores; a model that paraphrases it scores 0 here (token_f1 and the judge
  see paraphrases), so compare it between runs of one provider.

Blind spot: a relevant product reached only through a document chunk does not count.
"""

from __future__ import annotations

import math

from evals.answers.metrics.text import contains_phrase
from evals.answers.records import Expectation, TurnResult
from evals.metrics import hit_at, reciprocal_rank

NDCG_K = 5


def product_ranking(result: TurnResult) -> list[str]:
    return list(dict.fromkeys(item.ref for item in result.retrieved if item.kind == "product"))


def gains(expect: Expectation) -> dict[str, int]:
    if expect.relevance:
        return {ref: gain for ref, gain in expect.relevance.items() if gain > 0}
    return dict.fromkeys(expect.products_must, 1)


def graded_ndcg(ranking: list[str], gain_of: dict[str, int], k: int = NDCG_K) -> float:
    def dcg(ordered_gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ordered_gains[:k]))

    ideal = dcg(sorted(gain_of.values(), reverse=True))
    return dcg([gain_of.get(ref, 0) for ref in ranking]) / ideal if ideal else 0.0


def retrieval_scores(expect: Expectation, result: TurnResult) -> dict[str, float]:
    scores: dict[str, float] = {}
    gain_of = gains(expect)
    if gain_of:
        ranking = product_ranking(result)
        ranked: list[int | None] = [i + 1 for i, ref in enumerate(ranking) if ref in gain_of]
        ranks = ranked or [None]
        scores["hit@1"] = hit_at(ranks, 1)
        scores["hit@5"] = hit_at(ranks, 5)
        scores["mrr"] = reciprocal_rank(ranks)
        scores["ndcg@5"] = graded_ndcg(ranking, gain_of)
    if expect.evidence:
        prompt = "\n".join(message.get("content", "") for message in result.prompt)
        found = sum(1 for text in expect.evidence if contains_phrase(prompt, text))
        scores["evidence_in_prompt"] = found / len(expect.evidence)
    return scores


def evidence_in_answer(expect: Expectation, answer: str) -> float | None:
    """The share of `expect.evidence` texts the answer contains; None when it lists none."""
    if not expect.evidence:
        return None
    return sum(1 for text in expect.evidence if contains_phrase(answer, text)) / len(
        expect.evidence
    )
