"""Ranking metrics with bootstrap confidence intervals.

An item's outcome is the 1-based rank of each of its relevant pieces in the ranking (None
when the ranker did not return it). Every metric is a per-item score averaged over items:

- hit@k: 1 when some relevant piece is in the top k;
- mrr: 1 / rank of the first relevant piece (0 when none is returned);
- recall@k: the share of an item's relevant pieces in the top k;
- ndcg@k: binary-gain nDCG, DCG = Σ 1/log2(rank+1) over relevant pieces in the top k,
  over the ideal DCG of min(#relevant, k) pieces at the top.

Confidence intervals are percentile bootstraps over items (1,000 resamples, fixed seed, so
the same outcomes always give the same interval). `paired_delta` bootstraps the
difference between two runs over the same items, which is far tighter than comparing two
independent intervals.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Ranks = Sequence[int | None]
MetricFn = Callable[[Ranks], float]

DEFAULT_RESAMPLES = 1000
DEFAULT_CONFIDENCE = 0.95


def first_rank(ranks: Ranks) -> int | None:
    found = [r for r in ranks if r is not None]
    return min(found) if found else None


def hit_at(ranks: Ranks, k: int) -> float:
    first = first_rank(ranks)
    return 1.0 if first is not None and first <= k else 0.0


def reciprocal_rank(ranks: Ranks, cutoff: int | None = None) -> float:
    first = first_rank(ranks)
    if first is None or (cutoff is not None and first > cutoff):
        return 0.0
    return 1.0 / first


def recall_at(ranks: Ranks, k: int) -> float:
    if not ranks:
        return 0.0
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def ndcg_at(ranks: Ranks, k: int) -> float:
    if not ranks:
        return 0.0
    dcg = sum(1.0 / math.log2(r + 1) for r in ranks if r is not None and r <= k)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(ranks), k) + 1))
    return dcg / ideal


METRICS: dict[str, MetricFn] = {
    "hit@1": lambda r: hit_at(r, 1),
    "hit@5": lambda r: hit_at(r, 5),
    "mrr": reciprocal_rank,
    "recall@5": lambda r: recall_at(r, 5),
    "ndcg@5": lambda r: ndcg_at(r, 5),
}
HEADLINE = ("hit@1", "hit@5", "mrr")


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {
            "value": round(self.value, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, float]) -> Estimate:
        return cls(float(raw["value"]), float(raw["low"]), float(raw["high"]))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return 0.0
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def bootstrap_means(
    columns: Mapping[str, Sequence[float]],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    confidence: float = DEFAULT_CONFIDENCE,
    seed: int = 0,
) -> dict[str, Estimate]:
    """Mean and percentile-bootstrap interval of each column; the columns are per-item
    values of the same items, resampled together."""
    sizes = {len(v) for v in columns.values()}
    if len(sizes) > 1:
        raise ValueError("every column must hold one value per item")
    n = sizes.pop() if sizes else 0
    if n == 0:
        return {name: Estimate(0.0, 0.0, 0.0) for name in columns}
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {name: [] for name in columns}
    for _ in range(resamples):
        picks = [rng.randrange(n) for _ in range(n)]
        for name, values in columns.items():
            samples[name].append(sum(values[i] for i in picks) / n)
    tail = (1.0 - confidence) / 2.0
    out = {}
    for name, values in columns.items():
        ordered = sorted(samples[name])
        out[name] = Estimate(
            mean(values), _percentile(ordered, tail), _percentile(ordered, 1.0 - tail)
        )
    return out


def per_item_scores(
    outcomes: Sequence[Ranks], metrics: Mapping[str, MetricFn] = METRICS
) -> dict[str, list[float]]:
    return {name: [fn(ranks) for ranks in outcomes] for name, fn in metrics.items()}


def summarise(
    outcomes: Sequence[Ranks],
    *,
    metrics: Mapping[str, MetricFn] = METRICS,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> dict[str, Estimate]:
    return bootstrap_means(per_item_scores(outcomes, metrics), resamples=resamples, seed=seed)


def paired_delta(
    after: Sequence[float],
    before: Sequence[float],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
) -> Estimate:
    """mean(after - before) over the same items, with a paired bootstrap interval."""
    if len(after) != len(before):
        raise ValueError("a paired comparison needs the same items on both sides")
    diffs = [a - b for a, b in zip(after, before, strict=True)]
    return bootstrap_means({"delta": diffs}, resamples=resamples, seed=seed)["delta"]


def expected_random(n: int, relevant: int, k: int = 5) -> dict[str, float]:
    """What a ranker that shuffles the page scores in expectation, for a page of n pieces
    of which `relevant` are relevant (the floor every ranker must clear)."""
    if n <= 0 or relevant <= 0:
        return dict.fromkeys(METRICS, 0.0)
    r = min(relevant, n)
    total = math.comb(n, r)
    # P(first relevant at position i) = C(n-i, r-1) / C(n, r)
    rr = sum(math.comb(n - i, r - 1) / total / i for i in range(1, n - r + 2))
    hit = {kk: 1.0 - math.comb(n - r, min(kk, n)) / math.comb(n, min(kk, n)) for kk in (1, k)}
    shown = min(k, n)
    recall = shown / n
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(r, k) + 1))
    ndcg = sum((r / n) / math.log2(i + 1) for i in range(1, shown + 1)) / ideal
    return {"hit@1": hit[1], "hit@5": hit[k], "mrr": rr, "recall@5": recall, "ndcg@5": ndcg}


def random_baseline(pages: Sequence[tuple[int, int]]) -> dict[str, float]:
    """Mean of `expected_random` over items given as (page size, relevant count)."""
    if not pages:
        return dict.fromkeys(METRICS, 0.0)
    rows = [expected_random(n, r) for n, r in pages]
    return {name: mean([row[name] for row in rows]) for name in METRICS}
