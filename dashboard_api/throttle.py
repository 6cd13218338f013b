"""Brute-force throttling for the auth endpoints: fixed-window attempt counters.

Login counts *failures* per email and per client IP; a key past its limit is refused with
a 429 (`Retry-After` = the window's remaining time) before the password is even checked,
so a locked key costs no hashing. Registration and reset requests count every attempt.

Counters live in Redis when configured (shared by every API process; one Lua script per
increment so the expiry is set atomically) and fall back to this process when Redis is
absent or failing — an outage weakens the throttle per process, it never becomes a 500.
Keys carry a hash of the email, never the address itself.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.crypto import token_hash
from core.errors import RateLimited

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThrottleRule:
    max_attempts: int
    window_s: int


@dataclass(frozen=True)
class AuthThrottlePolicy:
    login_per_email: ThrottleRule = ThrottleRule(max_attempts=10, window_s=15 * 60)
    login_per_ip: ThrottleRule = ThrottleRule(max_attempts=50, window_s=15 * 60)
    register_per_ip: ThrottleRule = ThrottleRule(max_attempts=20, window_s=60 * 60)
    reset_per_email: ThrottleRule = ThrottleRule(max_attempts=5, window_s=60 * 60)
    reset_per_ip: ThrottleRule = ThrottleRule(max_attempts=30, window_s=60 * 60)


def email_identity(email: str) -> str:
    return token_hash(email.strip().lower())[:32]


_INCREMENT_LUA = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""
_PEEK_LUA = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
return {count, redis.call('PTTL', KEYS[1])}
"""


class _LocalCounters:
    def __init__(self, clock: Callable[[], float], max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._counters: OrderedDict[str, tuple[int, float]] = OrderedDict()

    def _current(self, key: str) -> tuple[int, float]:
        count, ends = self._counters.get(key, (0, 0.0))
        if ends <= self._clock():
            return 0, 0.0
        return count, ends

    def peek(self, key: str) -> tuple[int, float]:
        count, ends = self._current(key)
        return count, max(0.0, ends - self._clock())

    def increment(self, key: str, window_s: int) -> tuple[int, float]:
        count, ends = self._current(key)
        if count == 0:
            ends = self._clock() + window_s
        self._counters.pop(key, None)
        self._counters[key] = (count + 1, ends)
        while len(self._counters) > self._max_keys:
            self._counters.popitem(last=False)
        return count + 1, ends - self._clock()

    def reset(self, key: str) -> None:
        self._counters.pop(key, None)


class AttemptThrottle:
    def __init__(
        self,
        redis: Redis | None,
        *,
        key_prefix: str = "shopbot:dash:throttle:",
        redis_timeout: float = 0.5,
        redis_retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._increment = redis.register_script(_INCREMENT_LUA) if redis is not None else None
        self._peek = redis.register_script(_PEEK_LUA) if redis is not None else None
        self._local = _LocalCounters(clock)
        self._prefix = key_prefix
        self._timeout = redis_timeout
        self._retry_after = redis_retry_after
        self._clock = clock
        self._redis_down_until = 0.0

    def _use_redis(self) -> bool:
        return self._redis is not None and self._clock() >= self._redis_down_until

    def _redis_failed(self, exc: BaseException) -> None:
        self._redis_down_until = self._clock() + self._retry_after
        log.warning("auth throttle: Redis unavailable (%s); counting in process for %.0f s",
                    type(exc).__name__, self._retry_after)

    async def _run(self, script, key: str, *args: int) -> tuple[int, float] | None:  # noqa: ANN001
        if not self._use_redis():
            return None
        try:
            count, ttl_ms = await asyncio.wait_for(script(keys=[key], args=list(args)), self._timeout)
        except (RedisError, OSError, TimeoutError) as exc:
            self._redis_failed(exc)
            return None
        return int(count), max(0.0, int(ttl_ms) / 1000.0)

    async def ensure_allowed(self, scope: str, identity: str, rule: ThrottleRule) -> None:
        """Refuse (429) when the key already used up its window."""
        key = f"{self._prefix}{scope}:{identity}"
        state = await self._run(self._peek, key)
        count, remaining = state if state is not None else self._local.peek(key)
        if count >= rule.max_attempts:
            self._refuse(scope, remaining)

    async def record(self, scope: str, identity: str, rule: ThrottleRule) -> int:
        key = f"{self._prefix}{scope}:{identity}"
        state = await self._run(self._increment, key, rule.window_s * 1000)
        count, _ = state if state is not None else self._local.increment(key, rule.window_s)
        return count

    async def hit(self, scope: str, identity: str, rule: ThrottleRule) -> None:
        """Count an attempt and refuse it when it is over the limit."""
        key = f"{self._prefix}{scope}:{identity}"
        state = await self._run(self._increment, key, rule.window_s * 1000)
        count, remaining = state if state is not None else self._local.increment(key, rule.window_s)
        if count > rule.max_attempts:
            self._refuse(scope, remaining)

    async def reset(self, scope: str, identity: str) -> None:
        key = f"{self._prefix}{scope}:{identity}"
        self._local.reset(key)
        if self._use_redis():
            assert self._redis is not None
            try:
                await asyncio.wait_for(self._redis.delete(key), self._timeout)
            except (RedisError, OSError, TimeoutError) as exc:
                self._redis_failed(exc)

    @staticmethod
    def _refuse(scope: str, remaining_s: float) -> None:
        retry_after = max(1, math.ceil(remaining_s))
        raise RateLimited(
            f"Too many attempts; try again in {retry_after} s.", retry_after=retry_after, scope=scope
        )
