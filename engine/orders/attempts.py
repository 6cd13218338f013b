"""Failed order look-ups counted per shopper and per bot, so order numbers cannot be guessed.

Only failures count (a wrong email or a number that does not exist, which read alike); a
found order and a store that could not be asked do not. A shopper (their visitor id, or
the conversation when there is none) gets `per_shopper` failures an hour, and a bot
`per_bot` across all its shoppers (someone renewing sessions to guess on). Past either, no
look-up is made until the hour's window ends.

Why here, in the engine: the decision to look an order up is the engine's, on both paths
(the offline answerer and the model's `lookup_order` tool), and the engine may import only
core, so it cannot use `api/rate_limit.py`; the counters are specific to this one flow, not
a general rate limit for core. Like the API's limiter, the counts live in Redis when the
process has it (one INCR+EXPIRE per failure, shared by every API process), and degrade to
in-process counters (per process, logged) when Redis is absent or failing: a Redis outage
weakens the limit, it never fails the answer.

Windows are fixed hours (the key carries the hour's number): simple, and at most twice the
limit can be spent across one window's edge, which still makes guessing hopeless.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

WINDOW_S = 3600
_MAX_LOCAL_KEYS = 50_000


@dataclass(frozen=True, slots=True)
class AttemptLimits:
    per_shopper: int = 5
    per_bot: int = 50


class OrderAttempts:
    def __init__(
        self,
        redis: Any | None = None,
        limits: AttemptLimits | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`redis`: a `redis.asyncio.Redis` shared by the API processes, or None."""
        self._redis = redis
        self.limits = limits or AttemptLimits()
        self._clock = clock
        self._local: OrderedDict[str, int] = OrderedDict()

    def window_keys(self, bot_id: str, shopper: str) -> tuple[str, str]:
        window = int(self._clock() // WINDOW_S)
        base = f"shopbot:orders:fail:{window}:{bot_id}"
        return f"{base}:shopper:{shopper}", f"{base}:all"

    async def blocked(self, bot_id: str, shopper: str) -> bool:
        """Whether this shopper (or the whole bot) has used up the hour's failed look-ups."""
        shopper_key, bot_key = self.window_keys(bot_id, shopper)
        counts = await self._read((shopper_key, bot_key))
        return counts[0] >= self.limits.per_shopper or counts[1] >= self.limits.per_bot

    async def record_failure(self, bot_id: str, shopper: str) -> None:
        keys = self.window_keys(bot_id, shopper)
        if self._redis is not None:
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    for key in keys:
                        pipe.incr(key)
                        pipe.expire(key, WINDOW_S)
                    await pipe.execute()
                return
            except Exception as exc:  # any Redis failure: count here instead, never fail
                log.warning("order attempt counters: Redis failed (%s)", type(exc).__name__)
        for key in keys:
            self._local[key] = self._local.get(key, 0) + 1
            self._local.move_to_end(key)
        while len(self._local) > _MAX_LOCAL_KEYS:
            self._local.popitem(last=False)

    async def _read(self, keys: tuple[str, str]) -> tuple[int, int]:
        local = (self._local.get(keys[0], 0), self._local.get(keys[1], 0))
        if self._redis is None:
            return local
        try:
            values = await self._redis.mget(list(keys))
        except Exception as exc:
            log.warning("order attempt counters: Redis failed (%s)", type(exc).__name__)
            return local
        shared = tuple(int(v) if v is not None else 0 for v in values)
        # Failures counted here while Redis was down still count.
        return shared[0] + local[0], shared[1] + local[1]
