"""bench.load_stages: a phase's answers are the difference of two scrapes, and its
quantiles are interpolated within a bucket as Prometheus's `histogram_quantile` does."""

from __future__ import annotations

import math

from bench.load_stages import StageTimes, stage_times

INF = math.inf


def test_a_phase_is_what_the_second_scrape_adds_to_the_first() -> None:
    before = {"search": [(0.01, 5.0), (0.02, 5.0), (0.05, 10.0), (INF, 10.0)]}
    # The phase adds 100 answers: 50 in (0.01, 0.02], 40 in (0.02, 0.05], 10 past 0.05.
    after = {
        "search": [(0.01, 5.0), (0.02, 55.0), (0.05, 100.0), (INF, 110.0)],
        "model": [(0.01, 0.0), (0.02, 0.0), (0.05, 0.0), (INF, 0.0)],  # none: left out
    }
    times = stage_times(before, after)
    assert set(times) == {"search"}
    found = times["search"]
    assert found.count == 100
    # p50: the 50th answer is the last of (0.01, 0.02]: that bucket's upper bound.
    assert math.isclose(found.p50_ms, 20.0)
    # p95: the 95th is past the last finite bound (0.05): reported as that bound.
    assert math.isclose(found.p95_ms, 50.0)
    assert isinstance(found, StageTimes)


def test_a_quantile_inside_a_bucket_is_interpolated() -> None:
    after = {"prompt": [(0.001, 0.0), (0.002, 100.0), (INF, 100.0)]}
    found = stage_times({}, after)["prompt"]
    assert math.isclose(found.p50_ms, 1.5) and math.isclose(found.p95_ms, 1.95)
