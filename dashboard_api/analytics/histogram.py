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
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from itertools import accumulate

BINS_PER_DOUBLING = 8
RELATIVE_ERROR_BOUND = 2 ** (1 / (2 * BINS_PER_DOUBLING)) - 1
ROUNDING_MS = 0.5
# Bins as jsonb keys (text) and back. A year's series reads a few hundred histograms of a
# hundred bins each: lookups in these tables let the work run in C (map, sorted,
# accumulate, bisect) instead of a Python loop per bin. 200 is the SQL's last bin.
_BIN_OF_KEY = {str(index): index for index in range(201)}
_KEY_OF_BIN = {index: key for key, index in _BIN_OF_KEY.items()}


def merge(into: dict[str, int], bins: Mapping[str, int]) -> None:
    """Adds a stored histogram (`{"bin": answers}`; jsonb keys are text, kept as text
    until a percentile is read) into `into`."""
    if not into:
        into.update(bins)
        return
    known = into.get
    for key, count in bins.items():
        into[key] = known(key, 0) + count


def bin_middle_ms(index: int) -> float:
    if index <= 0:
        return 0.0
    return float(2 ** ((index - 0.5) / BINS_PER_DOUBLING))


def percentiles_ms(bins: Mapping[str, int], fractions: Sequence[float]) -> list[int | None]:
    """The nearest-rank percentiles (each fraction in (0, 1]), or None without answers.
    Counts are never negative (an update takes out only what its row had put in)."""
    present = sorted(map(_BIN_OF_KEY.__getitem__, bins))
    running = list(accumulate(map(bins.__getitem__, map(_KEY_OF_BIN.__getitem__, present))))
    if not running or running[-1] <= 0:
        return [None] * len(fractions)
    total = running[-1]
    return [
        round(bin_middle_ms(present[bisect_left(running, max(1, math.ceil(f * total)))]))
        for f in fractions
    ]
