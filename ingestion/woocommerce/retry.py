"""Bounded retries with jittered exponential backoff, honouring `Retry-After`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# 5xx worth another try: origin errors, gateways, and Cloudflare's 52x family in front of
# shared hosting. 501 is not here: WooCommerce uses it for "not supported".
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    # A store asking us to come back later than this gets a StoreRateLimited at once, so the
    # sync can be rescheduled instead of holding a worker asleep.
    max_retry_after_s: float = 60.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def backoff_s(self, attempt: int) -> float:
        """Equal jitter: half the exponential step fixed, half random, so retries spread out
        across workers but never collapse to zero delay."""
        step = min(self.max_delay_s, self.base_delay_s * 2.0 ** (attempt - 1))
        return step / 2 + self.rng.uniform(0, step / 2)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as delta-seconds or an HTTP-date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
