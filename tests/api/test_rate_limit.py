"""Token buckets in Redis and in process: a burst over the limit gets exactly the limit."""

from __future__ import annotations

import asyncio
import logging
import uuid

import httpx
import pytest
from redis.asyncio import Redis

from api.app import create_app
from api.rate_limit import DEFAULT_LIMITS, Check, Limit, RateLimiter, limits_for_bot
from core.db.database import Database
from core.errors import RateLimited
from tests.api.harness import Shop, assert_problem, client_for, make_deps, update_bot

# One token per minute: nothing refills while a test runs.
SLOW = Limit(per_minute=1, burst=4)


async def _burst(limiter: RateLimiter, n: int, limit: Limit = SLOW) -> list[bool]:
    identity = uuid.uuid4().hex
    return [(await limiter.hit("test", identity, limit)).allowed for _ in range(n)]


async def test_redis_buckets_accept_exactly_the_burst(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client)
    results = await _burst(limiter, 10)
    assert results == [True] * 4 + [False] * 6
    assert limiter.uses_redis


async def test_redis_buckets_are_shared_between_limiters(redis_client: Redis) -> None:
    identity = uuid.uuid4().hex
    one, two = RateLimiter(redis_client), RateLimiter(redis_client)
    allowed = [
        (await (one if i % 2 else two).hit("test", identity, SLOW)).allowed for i in range(8)
    ]
    assert allowed.count(True) == 4


async def test_concurrent_burst_on_redis_is_atomic(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client)
    identity = uuid.uuid4().hex
    decisions = await asyncio.gather(*(limiter.hit("test", identity, SLOW) for _ in range(20)))
    assert sum(d.allowed for d in decisions) == 4


async def test_in_process_buckets_accept_exactly_the_burst() -> None:
    assert await _burst(RateLimiter(None), 10) == [True] * 4 + [False] * 6


async def test_retry_after_tells_when_a_token_is_back(redis_client: Redis) -> None:
    for limiter in (RateLimiter(redis_client), RateLimiter(None)):
        identity = uuid.uuid4().hex
        limit = Limit(per_minute=6, burst=1)  # a token every 10 s
        await limiter.enforce("test", identity, limit)
        with pytest.raises(RateLimited) as caught:
            await limiter.enforce("test", identity, limit)
        retry_after = caught.value.retry_after
        assert retry_after is not None and 9 <= retry_after <= 10


async def test_checks_in_order_stop_at_the_first_refusal(redis_client: Redis) -> None:
    """The chat endpoint's three scopes in one call: each check takes a token until one
    refuses; the ones after it keep theirs (as three calls in a row would)."""
    for limiter in (RateLimiter(redis_client), RateLimiter(None)):
        ids = [uuid.uuid4().hex for _ in range(3)]
        tight, roomy = Limit(per_minute=1, burst=2), Limit(per_minute=1, burst=10)
        checks = [Check("a", ids[0], roomy), Check("b", ids[1], tight), Check("c", ids[2], roomy)]
        outcomes = [await limiter.hit_in_order(checks) for _ in range(4)]
        assert [refused.scope if refused else None for refused, _ in outcomes] == [
            None,
            None,
            "b",
            "b",
        ]
        assert all(d.allowed for r, d in outcomes if r is None)
        assert all(not d.allowed and 55 <= d.retry_after <= 60 for r, d in outcomes if r)
        with pytest.raises(RateLimited) as caught:
            await limiter.enforce_all(checks)
        assert caught.value.extra["scope"] == "b"
        # "a" took a token each time (5 of 10), "c" only while "b" allowed (2 of 10).
        left = [await _left(limiter, "a", ids[0]), await _left(limiter, "c", ids[2])]
        assert left == [5, 8]


async def _left(limiter: RateLimiter, scope: str, identity: str) -> int:
    """Tokens left in a bucket of burst 10: taken until refused (then it has none left)."""
    taken = 0
    while (await limiter.hit(scope, identity, Limit(per_minute=1, burst=10))).allowed:
        taken += 1
    return taken


async def test_in_process_buckets_refill() -> None:
    now = [1000.0]
    limiter = RateLimiter(None, clock=lambda: now[0])
    limit = Limit(per_minute=60, burst=2)
    assert [(await limiter.hit("t", "a", limit)).allowed for _ in range(3)] == [True, True, False]
    now[0] += 1.0
    assert (await limiter.hit("t", "a", limit)).allowed


async def test_redis_down_degrades_to_in_process(
    closed_redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = RateLimiter(closed_redis)
    with caplog.at_level(logging.WARNING, logger="api.rate_limit"):
        results = await _burst(limiter, 6)
    assert results == [True] * 4 + [False] * 2
    assert not limiter.uses_redis
    assert (
        sum("Redis unavailable" in r.message for r in caplog.records) == 1
    )  # once, not per request


def test_bot_overrides() -> None:
    limits = limits_for_bot(
        {
            "session": {"per_minute": 3},
            "bot": {"per_minute": 100, "burst": 20},
            "ip": {"per_minute": -1},
            "nonsense": {"per_minute": 5},
            "interaction": "x",
        }
    )
    assert limits["session"] == Limit(per_minute=3, burst=3)
    assert limits["bot"] == Limit(per_minute=100, burst=20)
    assert limits["ip"] == DEFAULT_LIMITS["ip"]
    assert limits["interaction"] == DEFAULT_LIMITS["interaction"]
    assert "nonsense" not in limits


async def _session_burst(client: httpx.AsyncClient, shop: Shop, n: int) -> list[httpx.Response]:
    return [
        await client.post(
            "/widget/v1/sessions",
            json={"widget_key": shop.widget_key},
            headers={"Origin": shop.origin},
        )
        for _ in range(n)
    ]


@pytest.mark.parametrize("backend", ["redis", "in_process", "redis_down"])
async def test_http_burst_accepts_exactly_the_limit(
    db: Database, shop: Shop, redis_client: Redis, closed_redis: Redis, backend: str
) -> None:
    redis = {"redis": redis_client, "in_process": None, "redis_down": closed_redis}[backend]
    await update_bot(db, shop, rate_limits={"session_create": {"per_minute": 1, "burst": 3}})
    app = create_app(make_deps(db, redis=redis))
    async with client_for(app) as client:
        responses = await _session_burst(client, shop, 7)
        assert [r.status_code for r in responses] == [200] * 3 + [429] * 4
        rejected = responses[-1]
        problem = assert_problem(rejected, 429, "rate_limited")
        assert problem["scope"] == "session_create"
        assert (
            rejected.headers["retry-after"].isdigit() and int(rejected.headers["retry-after"]) >= 1
        )
        # The widget can read the 429 and its Retry-After.
        assert rejected.headers["access-control-allow-origin"] == shop.origin
        assert "Retry-After" in rejected.headers["access-control-expose-headers"]
        metrics = (await client.get("/metrics")).text
        assert 'shopbot_rate_limit_rejections_total{scope="session_create"} 4.0' in metrics


async def test_interaction_limit_per_visitor(db: Database, shop: Shop) -> None:
    await update_bot(db, shop, rate_limits={"interaction": {"per_minute": 1, "burst": 2}})
    async with client_for(create_app(make_deps(db))) as client:
        session = (await _session_burst(client, shop, 1))[0].json()
        headers = {"Authorization": f"Bearer {session['session_token']}", "Origin": shop.origin}
        codes = [
            (
                await client.post("/widget/v1/events", json={"type": "open"}, headers=headers)
            ).status_code
            for _ in range(4)
        ]
        assert codes == [202, 202, 429, 429]
