"""Brute-force throttling for the auth endpoints.

Sign-in is throttled so that an attacker cannot lock the owner out:

- **Per (email, client address): exponential backoff.** Every attempt is counted, atomically
  and *before* the password is checked (one Lua script in Redis; one locked step in
  process), so a burst of parallel guesses cannot slip past the count while the slow hash
  runs. The first `free_attempts` of a pair go straight through; the attempt that uses the
  last of them, and every later one let through, holds the pair back for
  `base_delay_s * 2**k` seconds (capped at `max_delay_s`), and attempts during the hold get
  429 with `Retry-After`. A successful sign-in clears the pair. Only that pair is held: the
  owner signing in from another address is never refused because someone else guessed.
- **Per client address: a ceiling across all emails** (a fixed window of failed attempts;
  an attempt counts when it starts, and a successful one is given back), so one address
  cannot spray guesses over many accounts.
- **Per email: a generous ceiling that only slows.** Past it (an account under a distributed
  attack), each new address gets a single free attempt before its backoff starts instead of
  `free_attempts`. It never refuses an address's first attempt, so it never locks anyone out.

The tradeoff: an attacker with many addresses gets about one guess per address and hold
period on an account, bounded by the per-address ceiling across accounts; the password
policy (length, no common passwords) is what makes that budget useless. Locking the email
itself would stop them too, and would hand every attacker a way to lock out any merchant.
IPv6 callers are counted per /64 (`web.client.address_identity`), the block a single
subscriber usually gets.

Registration and reset requests count every attempt in fixed windows (`hit`).

Counters live in Redis when configured (shared by every API process; the hold times use
Redis's clock, so processes agree) and fall back to this process when Redis is absent or
failing: an outage weakens the throttle to one process, it never becomes a 500.
Keys carry a hash of the email, never the email itself (client addresses appear as counted).
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.crypto import token_hash
from core.errors import RateLimited

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Unavailable:
    """What a Redis call gives when Redis is absent or failing: count in process instead."""


UNAVAILABLE = _Unavailable()


@dataclass(frozen=True)
class ThrottleRule:
    """A fixed window: at most `max_attempts` per `window_s` seconds."""

    max_attempts: int
    window_s: int


@dataclass(frozen=True)
class BackoffRule:
    """`free_attempts` straight through, then holds of `base_delay_s * 2**k` (k = 0, 1, ...)
    up to `max_delay_s`; forgotten `forget_after_s` after the last hold ends."""

    free_attempts: int
    base_delay_s: float
    max_delay_s: float
    forget_after_s: int


@dataclass(frozen=True)
class AuthThrottlePolicy:
    login_per_pair: BackoffRule = BackoffRule(
        free_attempts=5, base_delay_s=30, max_delay_s=15 * 60, forget_after_s=60 * 60
    )
    login_per_ip: ThrottleRule = ThrottleRule(max_attempts=50, window_s=15 * 60)
    # Past this many failures for one email (from any address), each address gets one free
    # attempt on it instead of `login_per_pair.free_attempts`.
    login_email_slowdown: ThrottleRule = ThrottleRule(max_attempts=100, window_s=15 * 60)
    register_per_ip: ThrottleRule = ThrottleRule(max_attempts=20, window_s=60 * 60)
    reset_per_email: ThrottleRule = ThrottleRule(max_attempts=5, window_s=60 * 60)
    reset_per_ip: ThrottleRule = ThrottleRule(max_attempts=30, window_s=60 * 60)


@dataclass(frozen=True)
class PreviewThrottlePolicy:
    """`POST /v1/bots/{id}/try` answers with the platform's model: per signed-in user (or
    API key) and per business, so neither one person nor a team can spend the platform's
    model budget through previews (each also counts as a message of the month)."""

    per_actor: ThrottleRule = ThrottleRule(max_attempts=20, window_s=60)
    per_tenant: ThrottleRule = ThrottleRule(max_attempts=60, window_s=60)


def email_identity(email: str) -> str:
    return token_hash(email.strip().lower())[:32]


@dataclass(frozen=True)
class LoginAttempt:
    """Who is trying: the hashed email and the counted client address."""

    email_key: str
    address: str

    @property
    def pair(self) -> str:
        return f"{self.email_key}:{self.address}"


_INCREMENT_LUA = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""
_GIVE_BACK_LUA = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return count
"""
# KEYS[1]: the pair's hash {count, until}. ARGV: free attempts, base delay ms, max delay ms,
# forget after ms. Returns {1, count, 0} when the attempt may go on, {0, count, wait ms} when
# the pair is held.
_BACKOFF_LUA = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local held_until = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
if now < held_until then return {0, count, held_until - now} end
count = redis.call('HINCRBY', KEYS[1], 'count', 1)
local free = tonumber(ARGV[1])
local hold = 0
if count >= free then
  hold = math.floor(math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (count - free)))
  redis.call('HSET', KEYS[1], 'until', now + hold)
end
redis.call('PEXPIRE', KEYS[1], hold + tonumber(ARGV[4]))
return {1, count, 0}
"""


def backoff_hold_s(rule: BackoffRule, count: int, free_attempts: int) -> float:
    """How long a pair is held after its `count`-th attempt (0: not held)."""
    if count < free_attempts:
        return 0.0
    exponent = min(count - free_attempts, 64)  # past the cap anyway; keeps the float finite
    return min(rule.max_delay_s, rule.base_delay_s * 2.0**exponent)


class _LocalCounters:
    """The in-process fallback. Every operation is one step under a lock, the same
    atomicity the Lua scripts give in Redis."""

    def __init__(self, clock: Callable[[], float], max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._lock = threading.Lock()
        # key -> (count, window end or hold end, forget at)
        self._entries: OrderedDict[str, tuple[int, float, float]] = OrderedDict()

    def _live(self, key: str, now: float) -> tuple[int, float, float] | None:
        entry = self._entries.get(key)
        if entry is None or entry[2] <= now:
            return None
        return entry

    def _store(self, key: str, entry: tuple[int, float, float]) -> None:
        self._entries.pop(key, None)
        self._entries[key] = entry
        while len(self._entries) > self._max_keys:
            self._entries.popitem(last=False)

    def peek(self, key: str) -> int:
        with self._lock:
            entry = self._live(key, self._clock())
            return entry[0] if entry else 0

    def increment(self, key: str, window_s: float) -> tuple[int, float]:
        with self._lock:
            now = self._clock()
            entry = self._live(key, now)
            count, ends = (entry[0], entry[1]) if entry else (0, now + window_s)
            self._store(key, (count + 1, ends, ends))
            return count + 1, ends - now

    def give_back(self, key: str) -> None:
        with self._lock:
            entry = self._live(key, self._clock())
            if entry is not None and entry[0] > 0:
                self._store(key, (entry[0] - 1, entry[1], entry[2]))

    def backoff(self, key: str, rule: BackoffRule, free_attempts: int) -> tuple[bool, int, float]:
        with self._lock:
            now = self._clock()
            entry = self._live(key, now)
            count, held_until = (entry[0], entry[1]) if entry else (0, 0.0)
            if now < held_until:
                return False, count, held_until - now
            count += 1
            hold = backoff_hold_s(rule, count, free_attempts)
            self._store(key, (count, now + hold, now + hold + rule.forget_after_s))
            return True, count, 0.0

    def reset(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)


# How long a counter's Redis call may take before the throttle counts in process. Not
# tighter: the wait is wall time, so a process starved of CPU (a burst of parallel logins
# on a loaded machine: the clean-clone CI saw 0.5 s pass) would take itself for a Redis
# outage and count apart from the other processes for `redis_retry_after`, loosening the
# throttle exactly during the burst it is for.
REDIS_TIMEOUT_S = 2.0


class AttemptThrottle:
    def __init__(
        self,
        redis: Redis | None,
        *,
        key_prefix: str = "shopbot:dash:throttle:",
        redis_timeout: float = REDIS_TIMEOUT_S,
        redis_retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._increment = redis.register_script(_INCREMENT_LUA) if redis is not None else None
        self._give_back = redis.register_script(_GIVE_BACK_LUA) if redis is not None else None
        self._backoff = redis.register_script(_BACKOFF_LUA) if redis is not None else None
        self._local = _LocalCounters(clock)
        self._prefix = key_prefix
        self._timeout = redis_timeout
        self._retry_after = redis_retry_after
        self._clock = clock
        self._redis_down_until = 0.0

    # --- plumbing -------------------------------------------------------------------
    def _key(self, scope: str, identity: str) -> str:
        return f"{self._prefix}{scope}:{identity}"

    def _use_redis(self) -> bool:
        return self._redis is not None and self._clock() >= self._redis_down_until

    async def _redis_call(self, call: Callable[[], Awaitable[T]]) -> T | _Unavailable:
        """The call's result, or UNAVAILABLE when Redis is absent or failing (count locally)."""
        if not self._use_redis():
            return UNAVAILABLE
        try:
            return await asyncio.wait_for(call(), self._timeout)
        except (RedisError, OSError, TimeoutError) as exc:
            self._redis_down_until = self._clock() + self._retry_after
            log.warning(
                "auth throttle: Redis unavailable (%s); counting in process for %.0f s",
                type(exc).__name__,
                self._retry_after,
            )
            return UNAVAILABLE

    async def _script(self, script: Any, key: str, *args: int) -> list[Any] | _Unavailable:
        return await self._redis_call(lambda: script(keys=[key], args=list(args)))

    # --- fixed windows ----------------------------------------------------------------
    async def count(self, scope: str, identity: str, rule: ThrottleRule) -> tuple[int, float]:
        """Count an attempt; its number in the window and the window's remaining seconds."""
        key = self._key(scope, identity)
        state = await self._script(self._increment, key, rule.window_s * 1000)
        if isinstance(state, _Unavailable):
            return self._local.increment(key, rule.window_s)
        return int(state[0]), max(0.0, int(state[1]) / 1000.0)

    async def hit(self, scope: str, identity: str, rule: ThrottleRule) -> None:
        """Count an attempt and refuse it when it is over the limit."""
        count, remaining = await self.count(scope, identity, rule)
        if count > rule.max_attempts:
            self._refuse(scope, remaining)

    async def give_back(self, scope: str, identity: str) -> None:
        """Uncount one attempt of a fixed window (never below zero)."""
        key = self._key(scope, identity)
        self._local.give_back(key)
        await self._script(self._give_back, key)

    async def peek(self, scope: str, identity: str) -> int:
        key = self._key(scope, identity)
        count = await self._redis_call(lambda: self._redis.get(key))  # type: ignore[union-attr]
        return self._local.peek(key) if isinstance(count, _Unavailable) else int(count or 0)

    async def reset(self, scope: str, identity: str) -> None:
        key = self._key(scope, identity)
        self._local.reset(key)
        await self._redis_call(lambda: self._redis.delete(key))  # type: ignore[union-attr]

    # --- backoff ------------------------------------------------------------------------
    async def backoff(
        self, scope: str, identity: str, rule: BackoffRule, *, free_attempts: int
    ) -> None:
        """Count an attempt of a backoff key, or refuse it (429) while the key is held."""
        key = self._key(scope, identity)
        state = await self._script(
            self._backoff,
            key,
            free_attempts,
            math.ceil(rule.base_delay_s * 1000),
            math.ceil(rule.max_delay_s * 1000),
            rule.forget_after_s * 1000,
        )
        if isinstance(state, _Unavailable):
            allowed, _, wait_s = self._local.backoff(key, rule, free_attempts)
        else:
            allowed, wait_s = bool(int(state[0])), int(state[2]) / 1000.0
        if not allowed:
            self._refuse(scope, wait_s)

    # --- sign-in ------------------------------------------------------------------------
    async def begin_login(self, attempt: LoginAttempt, policy: AuthThrottlePolicy) -> None:
        """Count a sign-in attempt before its password is checked; 429 when the address is
        over its ceiling or the (email, address) pair is held."""
        await self.hit("login_ip", attempt.address, policy.login_per_ip)
        free = policy.login_per_pair.free_attempts
        if (
            await self.peek("login_email", attempt.email_key)
            >= policy.login_email_slowdown.max_attempts
        ):
            free = min(free, 1)
        await self.backoff("login_pair", attempt.pair, policy.login_per_pair, free_attempts=free)

    async def login_failed(self, attempt: LoginAttempt, policy: AuthThrottlePolicy) -> None:
        await self.count("login_email", attempt.email_key, policy.login_email_slowdown)

    async def login_succeeded(self, attempt: LoginAttempt) -> None:
        """The pair knew the password: forget its backoff and give the address its attempt back."""
        await self.reset("login_pair", attempt.pair)
        await self.give_back("login_ip", attempt.address)

    @staticmethod
    def _refuse(scope: str, remaining_s: float) -> None:
        retry_after = max(1, math.ceil(remaining_s))
        raise RateLimited(
            f"Too many attempts; try again in {retry_after} s.",
            retry_after=retry_after,
            scope=scope,
        )
