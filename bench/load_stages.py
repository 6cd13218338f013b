"""Where the API's part of a first token goes: the answers' stages (engine.answer_stages)
read from the API's own `shopbot_answer_stage_seconds` histogram, before and after a phase.

Any API process's `/metrics` reports every process's counts (api.metrics, multiprocess
mode), so one scrape sees the whole phase. Quantiles come from the histogram's buckets,
interpolated within a bucket as Prometheus's `histogram_quantile` does: estimates, good to
the bucket's width (api.metrics.STAGE_BUCKETS_S).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

STAGE_FAMILY = "shopbot_answer_stage_seconds"

# stage -> [(upper bound s, cumulative count)], in bound order
Buckets = dict[str, list[tuple[float, float]]]


@dataclass(frozen=True)
class StageTimes:
    count: int
    p50_ms: float
    p95_ms: float


async def stage_buckets(client: Any, metrics_token: str) -> Buckets:
    """The API's stage histogram now (`client`: an httpx.AsyncClient on the API)."""
    from prometheus_client.parser import text_string_to_metric_families

    response = await client.get("/metrics", headers={"Authorization": f"Bearer {metrics_token}"})
    response.raise_for_status()
    buckets: Buckets = {}
    for family in text_string_to_metric_families(response.text):
        if family.name != STAGE_FAMILY:
            continue
        for sample in family.samples:
            if sample.name.endswith("_bucket"):
                bound = float(sample.labels["le"])
                buckets.setdefault(sample.labels["stage"], []).append((bound, sample.value))
    return {stage: sorted(pairs) for stage, pairs in buckets.items()}


def stage_times(before: Buckets, after: Buckets) -> dict[str, StageTimes]:
    """Each stage's answers between the two scrapes, with their p50 and p95."""
    times: dict[str, StageTimes] = {}
    for stage, pairs in after.items():
        earlier = dict(before.get(stage, []))
        phase = [(bound, count - earlier.get(bound, 0.0)) for bound, count in pairs]
        total = phase[-1][1] if phase else 0.0
        if total > 0:
            times[stage] = StageTimes(
                int(total), _quantile(phase, 0.5) * 1000, _quantile(phase, 0.95) * 1000
            )
    return times


def _quantile(cumulative: list[tuple[float, float]], q: float) -> float:
    rank = q * cumulative[-1][1]
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in cumulative:
        if count >= rank:
            if math.isinf(bound):
                return lower_bound  # past the last finite bucket: its bound, as Prometheus
            share = (rank - lower_count) / (count - lower_count) if count > lower_count else 1
            return lower_bound + (bound - lower_bound) * share
        lower_bound, lower_count = bound, count
    return lower_bound
