"""Failed order look-ups counted across processes in real Redis, per shopper and per bot,
and per process when Redis is not there or fails."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from engine.orders import AttemptLimits, OrderAttempts

CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(os.environ["REDIS_URL"])
    try:
        yield client
    finally:
        await client.aclose()


def _bot() -> str:
    return f"bot-{uuid.uuid4()}"  # keys of one test never meet another's


async def test_two_processes_share_the_count_through_redis(redis: Redis) -> None:
    limits = AttemptLimits(per_shopper=3, per_bot=100)
    one, two = OrderAttempts(redis, limits), OrderAttempts(redis, limits)
    bot = _bot()
    await one.record_failure(bot, "visitor")
    await two.record_failure(bot, "visitor")
    assert not await one.blocked(bot, "visitor")
    await one.record_failure(bot, "visitor")
    assert await two.blocked(bot, "visitor")
    assert not await two.blocked(bot, "someone-else")
    ttl = await redis.ttl(one.window_keys(bot, "visitor")[0])
    assert 0 < ttl <= 3600  # the window's key expires with it


async def test_the_bot_wide_count_adds_up_its_shoppers(redis: Redis) -> None:
    attempts = OrderAttempts(redis, AttemptLimits(per_shopper=5, per_bot=4))
    bot = _bot()
    for shopper in ("a", "b", "c", "d"):
        await attempts.record_failure(bot, shopper)
    assert await attempts.blocked(bot, "e")


async def test_the_window_ends_after_an_hour(redis: Redis) -> None:
    now = [1_000_000.0]
    attempts = OrderAttempts(redis, AttemptLimits(per_shopper=1), clock=lambda: now[0])
    bot = _bot()
    await attempts.record_failure(bot, "v")
    assert await attempts.blocked(bot, "v")
    now[0] += 3600
    assert not await attempts.blocked(bot, "v")


async def test_without_redis_or_with_a_failing_one_the_process_counts() -> None:
    closed = Redis.from_url(CLOSED_REDIS_URL, socket_connect_timeout=0.2, socket_timeout=0.2)
    try:
        for attempts in (OrderAttempts(None), OrderAttempts(closed)):
            bot = _bot()
            for _ in range(5):
                assert not await attempts.blocked(bot, "v")
                await attempts.record_failure(bot, "v")
            assert await attempts.blocked(bot, "v")
    finally:
        await closed.aclose()
