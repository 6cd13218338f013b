"""Per-bot retrieval settings (the bot's `retrieval_settings` JSON, with defaults).

The bounds are what a merchant may set: the merchant API takes them from here
(dashboard_api.bots.schemas). Fields without bounds are the platform's to tune, not the
merchant's; engine.bot_config reads the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from annotated_types import Interval

from engine.retrieval.fusion import Fusion


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrievalSettings:
    # products (and documents) handed to the prompt
    top_k: Annotated[int, Interval(ge=1, le=20)] = 5
    # Weighted fusion: score = vector_weight * cosine + text_weight * IDF-weighted term
    # coverage. 1.0 / 0.3 was chosen on hetPQA, where it beats both single rankers in the
    # page and the catalogue scope (evals/README.md); the text weight is small because
    # coverage (0..1.5) moves much more between chunks than cosine does.
    fusion: Fusion = "weighted"
    vector_weight: Annotated[float, Interval(ge=0, le=1)] = 1.0
    text_weight: Annotated[float, Interval(ge=0, le=1)] = 0.3
    # reciprocal rank fusion constant (Cormack et al. use 60); rrf only
    rrf_k: Annotated[int, Interval(ge=1, le=1000)] = 60
    # chunks taken from each ranker before fusion
    candidates: Annotated[int, Interval(ge=1, le=200)] = 40
    # fused scores below this are dropped
    min_score: Annotated[float, Interval(ge=0, le=1)] = 0.0
    # the best chunk plus this many more as evidence
    evidence_per_product: Annotated[int, Interval(ge=0, le=10)] = 3
    ef_search: int = 100  # HNSW candidate list; iterative scans extend it under filters
    page_boost: float = 0.05  # added to the product the shopper is looking at
