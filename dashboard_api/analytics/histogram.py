"""Answer-latency percentiles from the rollups' histograms.

The bins are fixed and logarithmic (alembic 0007's `analytics_latency_bin`): bin 0 holds
answers under 1 ms, bin i >= 1 holds [2^((i-1)/8), 2^(i/8)) ms, 8 bins per doubling. Such
histograms add up across quarter hours, days and bots, which exact percentiles do not.

A percentile is the nearest rank (the ceil(p * n)-th smallest latency); it is reported as
the geometric middle of the bin that rank falls in, rounded to a whole millisecond. The true
value v lies in [lo, lo * r) with r = 2^(1/8) and the middle is lo * sqrt(r), so

    |reported - v| <= (2^(1/16) - 1) * v + 0.5 ms    (4.43 % of v, plus the rounding)

(bin 0 reports 0 for a true value under 1 ms). tests/dashboard_api/test_analytics_latency.py
checks the bound on random latencies against the exact percentiles.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

BINS_PER_DOUBLING = 8
RELATIVE_ERROR_BOUND = 2 ** (1 / (2 * BINS_PER_DOUBLING)) - 1
ROUNDING_MS = 0.5


def merge(into: dict[str, int], bins: Mapping[str, int]) -> None:
    """Adds a stored histogram (`{"bin": answers}`; jsonb keys are text, kept as text
    until a percentile is read) into `into`."""
    known = into.get
    for key, count in bins.items():
        into[key] = known(key, 0) + count


def bin_middle_ms(index: int) -> float:
    if index <= 0:
        return 0.0
    return float(2 ** ((index - 0.5) / BINS_PER_DOUBLING))


def percentile_ms(bins: Mapping[str, int], fraction: float) -> int | None:
    """The nearest-rank percentile (`fraction` in (0, 1]), or None without answers."""
    total = sum(count for count in bins.values() if count > 0)
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for index in sorted(map(int, bins)):
        seen += max(bins[str(index)], 0)
        if seen >= rank:
            return round(bin_middle_ms(index))
    raise AssertionError("unreachable: the ranks add up to the total")
