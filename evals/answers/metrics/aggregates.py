"""run_aggregates: the run-level "latency" and "tokens" blocks of results.json.

- p50_ms / p95_ms are nearest-rank percentiles (the smallest latency with at least p % of
  the turns at or below it), so each is a latency some turn actually had.
- The histogram's edges are fixed and log-spaced (10 ms doubling to 81,920 ms), so two
  runs' histograms line up bar for bar; counts[i] holds the turns in [edges[i],
  edges[i+1]), with anything faster than the first edge in the first bar and anything
  slower than the last edge in the last bar.
- tokens: prompt and completion summed over turns (a turn without a count adds 0);
  cost_usd is the sum over turns that had a cost, null when none had one (the offline
  answerer costs nothing, and "0.00" would claim a price was known).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import Any

from evals.answers.records import TurnResult

HISTOGRAM_EDGES_MS = tuple(10.0 * 2**k for k in range(14))


def nearest_rank(values: Sequence[float], percent: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100.0 * len(ordered)))
    return ordered[rank - 1]


def histogram(values: Sequence[float]) -> dict[str, list[float] | list[int]]:
    counts = [0] * (len(HISTOGRAM_EDGES_MS) - 1)
    for value in values:
        index = bisect.bisect_right(HISTOGRAM_EDGES_MS, value) - 1
        counts[min(max(index, 0), len(counts) - 1)] += 1
    return {"edges_ms": list(HISTOGRAM_EDGES_MS), "counts": counts}


def run_aggregates(results: Sequence[TurnResult]) -> dict[str, Any]:
    latencies = [r.latency_ms for r in results]
    costs = [r.cost_usd for r in results if r.cost_usd is not None]
    return {
        "latency": {
            "p50_ms": round(nearest_rank(latencies, 50), 1),
            "p95_ms": round(nearest_rank(latencies, 95), 1),
            "histogram": histogram(latencies),
        },
        "tokens": {
            "prompt": sum(r.prompt_tokens or 0 for r in results),
            "completion": sum(r.completion_tokens or 0 for r in results),
            "cost_usd": round(sum(costs), 6) if costs else None,
        },
    }
