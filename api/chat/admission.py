"""Load shedding for new questions: when this process's event loop is behind, a question
is refused at once (429 `busy`, with Retry-After) instead of queuing behind the others.

Every step of an answer (its reads, the model's request, each event written) waits its
turn on the event loop; once the loop has more work than time, each of those waits
grows, and an answer's first token is late by the sum of them. bench/load measured it on
two API processes sharing two cores: at 500 shoppers (45 questions/s against about 28 the
processes could answer) the first-token overhead reached a 15 s p95, the database pool ran
dry (503s) and a store's webhook waited 9 s for its reply. Refusing the excess keeps the
answers that are taken closer to on time, and the loop free for webhooks and open
streams: with a 5 ms limit the same run answered 24 questions/s of the 45 asked (the
rest refused) at a first-token overhead p95 of 1.3 s, and the webhook's reply came in
0.6 s (DEPLOYMENT.md has both runs).

How far behind the loop is: a question yields once (`asyncio.sleep(0)`) and measures how
long the loop took to come back to it, which is the time the callbacks queued ahead of it
took (a fraction of a millisecond on a loop that keeps up). The measure is smoothed over
the questions (SMOOTHING), and questions are refused only once it has stayed above the
limit for SUSTAINED_S, so a burst queues as before; a refused question measures too, so
refusing stops as soon as the loop has caught up. `chat_busy_loop_lag_ms` (core.settings)
is the limit: 0 (the default) never refuses; docker-compose.yml and bench/load set 5 ms.
Open streams, sessions, webhooks and the merchant API are never refused here.
"""

from __future__ import annotations

import asyncio
import logging
import time

from core.errors import RateLimited

log = logging.getLogger(__name__)

# The weight of the newest measure in the smoothed lag (an exponential moving average).
SMOOTHING = 0.2
# What a refused shopper is told to wait: long enough for the loop to drain its queue.
BUSY_RETRY_AFTER_S = 2.0
# At most one log line this often while questions are refused (with how many were).
LOG_EVERY_S = 10.0
# How long the loop must have been behind before questions are refused: a burst of
# questions arriving at once (a newsletter sent, a test's 50 streams) is absorbed by the
# queue in well under a second; an overload lasts.
SUSTAINED_S = 1.0


class Busy(RateLimited):
    code = "busy"


class LoopAdmission:
    """This process's admission of new questions, by how far behind its event loop is."""

    def __init__(self, max_lag_ms: float, *, sustained_s: float = SUSTAINED_S) -> None:
        self.max_lag_s = max_lag_ms / 1000
        self.sustained_s = sustained_s
        self.lag_s = 0.0  # smoothed
        self.refused = 0
        self._behind_since: float | None = None  # since when the loop is behind
        self._below_since: float | None = None  # since when it has kept up again
        self._reported = 0  # refusals already in a log line
        self._reported_at = -LOG_EVERY_S

    async def admit(self) -> None:
        """Return when the question may be answered; raise Busy when the loop is behind."""
        if self.max_lag_s <= 0:
            return
        started = time.perf_counter()
        await asyncio.sleep(0)
        lag = time.perf_counter() - started
        self.lag_s += SMOOTHING * (lag - self.lag_s)
        now = time.monotonic()
        if self.lag_s <= self.max_lag_s:
            # An overload ends once the loop has kept up for as long as it takes to start
            # one: a dip between two refusals does not give a second of grace again.
            if self._below_since is None:
                self._below_since = now
            if now - self._below_since >= self.sustained_s:
                self._behind_since = None
            return
        self._below_since = None
        if self._behind_since is None:
            self._behind_since = now
        if now - self._behind_since < self.sustained_s:
            return  # a burst: its questions queue a moment, as they would without this
        self.refused += 1
        if now - self._reported_at >= LOG_EVERY_S:  # an overload is one line a while
            log.warning(
                "event loop behind (smoothed lag %.1f ms, limit %.1f ms): %d new questions "
                "refused since the last report",
                self.lag_s * 1000,
                self.max_lag_s * 1000,
                self.refused - self._reported,
            )
            self._reported, self._reported_at = self.refused, now
        raise Busy(
            "Many shoppers are asking right now; try again in a moment.",
            retry_after=BUSY_RETRY_AFTER_S,
        )
