"""Per-bot retrieval settings (the bot's `retrieval_settings` JSON, with defaults)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from engine.retrieval.fusion import Fusion


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrievalSettings:
    top_k: int = 5  # products (and documents) handed to the prompt
    # Weighted fusion: score = vector_weight * cosine + text_weight * IDF-weighted term
    # coverage. 1.0 / 0.3 was chosen on hetPQA, where it beats both single rankers in the
    # page and the catalogue scope (evals/README.md); the text weight is small because
    # coverage (0..1.5) moves much more between chunks than cosine does.
    fusion: Fusion = "weighted"
    vector_weight: float = 1.0
    text_weight: float = 0.3
    rrf_k: int = 60  # reciprocal rank fusion constant (Cormack et al. use 60); rrf only
    candidates: int = 40  # chunks taken from each ranker before fusion
    min_score: float = 0.0  # fused scores below this are dropped
    evidence_per_product: int = 3  # the best chunk plus this many more as evidence
    ef_search: int = 100  # HNSW candidate list; iterative scans extend it under filters
    page_boost: float = 0.05  # added to the product the shopper is looking at

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> RetrievalSettings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (raw or {}).items() if k in known and v is not None}
        return cls(**values)
