"""Token-bucket rate limits: in Redis (one atomic Lua script per check), in process otherwise.

Scopes (each a bucket per identity):
- `session`: chat messages per visitor session (keeps one visitor from burning the
  merchant's LLM budget);
- `ip`: chat messages per client IP and bot (visitors renewing sessions from one address);
- `bot`: chat messages per bot across all its visitors (the merchant's ceiling);
- `session_create`: new widget sessions per client IP and bot;
- `interaction`: feedback and analytics events per visitor session.

A bot's `rate_limits` JSON overrides the defaults per scope:
`{"session": {"per_minute": 10, "burst": 5}, "bot": {"per_minute": 1200}}`. Invalid
entries are ignored (with a warning), never fatal. The tenant's plan sets a ceiling per
scope (`rate_limit_ceiling`); every scope is capped at it when a bot's limits are loaded,
defaults included, so a row written before the ceiling existed (or by hand) cannot lift a
bot above what its plan pays for. The merchant API refuses such overrides (422). A bucket
holds `burst` tokens and refills at `per_minute / 60` per second; a request takes one.

Redis is the shared store between API processes. If it fails or is slow, the limiter
logs a warning, keeps answering from the in-process buckets and retries Redis a few
seconds later: an outage degrades the limits (per process), it never becomes a 500.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.billing.plans import RateCeiling
from core.errors import RateLimited

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limit:
    per_minute: float
    burst: int

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


DEFAULT_LIMITS: Mapping[str, Limit] = {
    "session": Limit(per_minute=10, burst=5),
    "ip": Limit(per_minute=30, burst=30),
    "bot": Limit(per_minute=600, burst=600),
    "session_create": Limit(per_minute=20, burst=10),
    "interaction": Limit(per_minute=120, burst=60),
}
_MAX_RATE = 1_000_000


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not (0 < value <= _MAX_RATE) or math.isnan(value):
        return None
    return float(value)


# Overrides already reported as capped (bounded: a warning per distinct row, not per request).
_REPORTED_CAPS: OrderedDict[tuple[str, str, Limit, RateCeiling], None] = OrderedDict()
_MAX_REPORTED = 10_000


def _report_cap_once(label: str, scope: str, asked: Limit, ceiling: RateCeiling) -> None:
    key = (label, scope, asked, ceiling)
    if key in _REPORTED_CAPS:
        return
    _REPORTED_CAPS[key] = None
    while len(_REPORTED_CAPS) > _MAX_REPORTED:
        _REPORTED_CAPS.popitem(last=False)
    logger.warning(
        "rate limit override %s%r (%g/min, burst %d) is above the plan's ceiling "
        "(%g/min, burst %d); capped",
        f"of {label} " if label else "",
        scope,
        asked.per_minute,
        asked.burst,
        ceiling.per_minute,
        ceiling.burst,
    )


def _capped(
    limits: dict[str, Limit],
    ceiling: Mapping[str, RateCeiling],
    overridden: set[str],
    label: str,
) -> dict[str, Limit]:
    for scope, limit in limits.items():
        cap = ceiling.get(scope)
        if cap is None or (limit.per_minute <= cap.per_minute and limit.burst <= cap.burst):
            continue
        if scope in overridden:
            _report_cap_once(label, scope, limit, cap)
        limits[scope] = Limit(
            per_minute=min(limit.per_minute, cap.per_minute), burst=min(limit.burst, cap.burst)
        )
    return limits


def limits_for_bot(
    overrides: Mapping[str, Any] | None,
    *,
    ceiling: Mapping[str, RateCeiling] | None = None,
    label: str = "",
) -> dict[str, Limit]:
    """The defaults with a bot's `rate_limits` applied on top, each scope capped at the
    plan's `ceiling` (None: uncapped). `label` names the bot in the one warning logged for
    an override above the ceiling."""
    limits = dict(DEFAULT_LIMITS)
    overridden: set[str] = set()
    for scope, value in (overrides or {}).items():
        default = DEFAULT_LIMITS.get(scope)
        if default is None or not isinstance(value, Mapping):
            logger.warning("ignoring rate limit override %r: unknown scope or not an object", scope)
            continue
        per_minute = _number(value.get("per_minute", default.per_minute))
        burst_value = value.get("burst")
        if burst_value is None and "per_minute" in value and per_minute is not None:
            # A lower rate without a burst: the burst never exceeds one minute's worth.
            burst: float | None = min(default.burst, max(1, math.floor(per_minute)))
        else:
            burst = _number(default.burst if burst_value is None else burst_value)
        if per_minute is None or burst is None or burst < 1:
            logger.warning(
                "ignoring rate limit override %r=%r: needs positive numbers", scope, value
            )
            continue
        limits[scope] = Limit(per_minute=per_minute, burst=int(burst))
        overridden.add(scope)
    return limits if ceiling is None else _capped(limits, ceiling, overridden, label)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until one token is back; 0 when allowed


ALLOWED = Decision(allowed=True, retry_after=0.0)


@dataclass(frozen=True, slots=True)
class Check:
    """One bucket a request takes from: `scope`'s bucket for `identity`."""

    scope: str
    identity: str
    limit: Limit


# --- in process ---------------------------------------------------------------------


class LocalBuckets:
    """Buckets in this process, bounded (least recently used keys are dropped first)."""

    def __init__(self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic):
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._max_keys = max_keys
        self._clock = clock

    def take(self, key: str, limit: Limit) -> Decision:
        now = self._clock()
        tokens, updated = self._buckets.pop(key, (float(limit.burst), now))
        tokens = min(float(limit.burst), tokens + max(0.0, now - updated) * limit.per_second)
        if tokens >= 1.0:
            decision = Decision(allowed=True, retry_after=0.0)
            tokens -= 1.0
        else:
            decision = Decision(allowed=False, retry_after=(1.0 - tokens) / limit.per_second)
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return decision


# --- Redis --------------------------------------------------------------------------

# Redis's own clock, so every API process agrees on time. KEYS are taken in order, each at
# ARGV's (rate per ms, burst) pair, and the first that refuses stops the rest, as checking
# them one by one would (those before it keep their take). One script call for the chat
# endpoint's three scopes: one round trip instead of three. Returns {refused (1-based
# position, 0 when every key allowed), retry_ms}.
_TOKEN_BUCKETS_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = tonumber(state[1])
  local ts = tonumber(state[2])
  if tokens == nil or ts == nil then
    tokens = burst
    ts = now
  end
  tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
  local refused = tokens < 1
  if not refused then
    tokens = tokens - 1
  end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst / rate) + 1000)
  if refused then
    return {i, math.ceil((1 - tokens) / rate)}
  end
end
return {0, 0}
"""


class RedisBuckets:
    def __init__(self, redis: Redis) -> None:
        self._script = redis.register_script(_TOKEN_BUCKETS_LUA)

    async def take_in_order(
        self, checks: Sequence[tuple[str, Limit]]
    ) -> tuple[int | None, Decision]:
        """(the position of the key that refused or None, its decision)."""
        args: list[str | int] = []
        for _, limit in checks:
            args += [repr(limit.per_second / 1000.0), limit.burst]
        refused, retry_ms = await self._script(keys=[key for key, _ in checks], args=args)
        if not int(refused):
            return None, ALLOWED
        return int(refused) - 1, Decision(allowed=False, retry_after=int(retry_ms) / 1000.0)


# --- the limiter --------------------------------------------------------------------


class RateLimiter:
    def __init__(
        self,
        redis: Redis | None,
        *,
        key_prefix: str = "shopbot:rl:",
        redis_timeout: float = 0.5,
        redis_retry_after: float = 5.0,
        on_reject: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = RedisBuckets(redis) if redis is not None else None
        self._local = LocalBuckets(clock=clock)
        self._prefix = key_prefix
        self._timeout = redis_timeout
        self._retry_after = redis_retry_after
        self._on_reject = on_reject
        self._clock = clock
        self._redis_down_until = 0.0

    @property
    def uses_redis(self) -> bool:
        return self._redis is not None and self._clock() >= self._redis_down_until

    async def hit(self, scope: str, identity: str, limit: Limit) -> Decision:
        return (await self.hit_in_order([Check(scope, identity, limit)]))[1]

    async def hit_in_order(self, checks: Sequence[Check]) -> tuple[Check | None, Decision]:
        """Takes from each bucket in order until one refuses: (that check or None, its
        decision). In one Redis round trip, whatever the number of checks."""
        keyed = [(f"{self._prefix}{c.scope}:{c.identity}", c.limit) for c in checks]
        if self._redis is not None and self._clock() >= self._redis_down_until:
            try:
                # asyncio.timeout, not wait_for: no task per call on the chat endpoint's path.
                async with asyncio.timeout(self._timeout):
                    refused, decision = await self._redis.take_in_order(keyed)
                return (None if refused is None else checks[refused]), decision
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_down_until = self._clock() + self._retry_after
                logger.warning(
                    "rate limiter: Redis unavailable (%s); using in-process limits for %.0f s",
                    type(exc).__name__,
                    self._retry_after,
                )
        for check, (key, limit) in zip(checks, keyed, strict=True):
            decision = self._local.take(key, limit)
            if not decision.allowed:
                return check, decision
        return None, ALLOWED

    async def enforce(self, scope: str, identity: str, limit: Limit) -> None:
        await self.enforce_all([Check(scope, identity, limit)])

    async def enforce_all(self, checks: Sequence[Check]) -> None:
        """Raises `RateLimited` for the first check whose bucket is empty."""
        refused, decision = await self.hit_in_order(checks)
        if refused is None:
            return
        if self._on_reject is not None:
            self._on_reject(refused.scope)
        retry_after = max(1, math.ceil(decision.retry_after))
        raise RateLimited(
            f"Too many requests; try again in {retry_after} s.",
            retry_after=retry_after,
            scope=refused.scope,
        )
