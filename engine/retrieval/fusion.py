"""How the vector ranker and the text ranker are combined into one score.

`weighted` (the default) adds the cosine similarity and the IDF-weighted share of the
question's terms that a chunk contains, each times its weight. It keeps how *much* better
one chunk is than another, which rank fusion throws away: on the hetPQA eval (evals/README.md)
it beats both single rankers, where reciprocal rank fusion of the same two rankers only
matched the vector ranker. `rrf` is reciprocal rank fusion (Cormack et al., 2009), kept for
bots that prefer a fusion insensitive to score scales.

A ranker whose weight is 0 is not run at all, so a chunk only it would have found is not
a candidate.
"""

from __future__ import annotations

from typing import Literal

Fusion = Literal["weighted", "rrf"]
FUSIONS: tuple[Fusion, ...] = ("weighted", "rrf")


def fused_score(
    fusion: Fusion,
    *,
    similarity: float | None,
    coverage: float | None,
    vector_rank: int | None,
    text_rank: int | None,
    vector_weight: float,
    text_weight: float,
    rrf_k: int,
) -> float:
    """`similarity` is None when the vector ranker did not run, `coverage` when the text
    ranker did not; ranks are None for a chunk outside that ranker's candidate list."""
    if fusion == "rrf":
        score = 0.0
        if vector_rank is not None:
            score += vector_weight / (rrf_k + vector_rank)
        if text_rank is not None:
            score += text_weight / (rrf_k + text_rank)
        return score
    if fusion == "weighted":
        return vector_weight * (similarity or 0.0) + text_weight * (coverage or 0.0)
    raise ValueError(f"unknown fusion {fusion!r}; expected one of {', '.join(FUSIONS)}")
