"""Redis killed and started again while shoppers ask, across two API "processes" (two apps,
each with its own Redis client, limiter and query cache): every request is answered all
along, the limits run per process while Redis is gone, and they are shared again once it
is back; no 5xx, no traceback, no lost or duplicated rows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.engine import URL

from cli.services import connect_redis
from core.db.database import Database
from engine.answer import AnswerService
from engine.retrieval.query_cache import QueryEmbeddingCache
from tests.dashboard_api.support import HashingEmbedder
from tests.support.composed_app import composed_app, composed_client
from tests.support.log_records import our_tracebacks
from tests.support.redis_server import RedisServer
from tests.support.shopper_load import (
    ShopperLoad,
    assert_no_lost_or_duplicated_rows,
    provision_load_shop,
)

ORIGIN = "https://redis.shop.test"
DOWN_S = 3.0
# The limiter tries Redis again 5 s after it failed (api.rate_limit.RateLimiter).
BACK_S = 6.0
LIMITER_REDIS_RETRY_S = 5.0  # api.rate_limit's fallback window after a failed command
RATE_LIMIT_KEYS = "shopbot:rl:*"
SESSION_CREATE_BURST = 10  # the default `session_create` bucket per client address and bot


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.kill()


async def test_redis_restarted_under_load(
    redis_server: RedisServer,
    committed_db: Database,
    app_url: URL,
    caplog: pytest.LogCaptureFixture,
) -> None:
    shop = await provision_load_shop(committed_db, "Redis Restart Goods", origin=ORIGIN)
    processes: list[tuple[Redis, FastAPI]] = []
    for _ in range(2):
        redis = await connect_redis(redis_server.url)
        assert redis is not None
        service = AnswerService(committed_db, HashingEmbedder(), cache=QueryEmbeddingCache(redis))
        processes.append(
            (redis, composed_app(committed_db, app_url, answer_service=service, redis=redis))
        )
    clients = [composed_client(processes[i % 2][1], ip=f"198.51.100.{30 + i}") for i in range(4)]
    load = ShopperLoad(clients, shop.widget_key, ORIGIN)
    stop = asyncio.Event()
    try:
        with caplog.at_level(logging.WARNING):
            shoppers = asyncio.create_task(load.run(stop))
            await load.warmed_up()
            keys_before = redis_server.keys(RATE_LIMIT_KEYS)
            redis_server.kill()
            await asyncio.sleep(DOWN_S)
            redis_server.start()  # empty: what it holds afterwards was written after
            await asyncio.sleep(BACK_S)
            keys_after = redis_server.keys(RATE_LIMIT_KEYS)
            stop.set()
            await shoppers
            await until_limiters_are_back_on_redis(processes)
            shared = await sessions_until_limited(processes, shop.widget_key)
    finally:
        stop.set()
        for client in clients:
            await client.aclose()
        for redis, _ in processes:
            await redis.aclose()

    statuses = {o.status for o in load.outcomes}
    assert statuses == {200} and all(o.answered for o in load.outcomes), statuses
    assert keys_before and keys_after, "the limits were not in Redis before and after"
    # One bucket across both processes: once the first refuses, so does the second.
    opened, second = shared
    assert opened >= SESSION_CREATE_BURST and second == 429, shared
    degraded = [r for r in caplog.records if r.name == "api.rate_limit"]
    assert degraded and all("in-process limits" in r.getMessage() for r in degraded)
    assert not our_tracebacks(caplog.records), "a Redis outage must not log a traceback"
    counts = await assert_no_lost_or_duplicated_rows(committed_db, shop.tenant_id, load)
    print(f"redis restart: {counts}")  # shown with -s


async def until_limiters_are_back_on_redis(processes: list[tuple[Redis, FastAPI]]) -> None:
    """A process whose Redis command failed keeps in-process limits for the limiter's retry
    window, and its pool may still hold connections the restart cut (their first use fails
    and opens the window again): both clients must answer, their pools start afresh, and the
    last window must run out before a shared limit can be asked of them."""
    for redis, _ in processes:
        for _ in range(50):
            try:
                await redis.ping()
                break
            except RedisError:
                await asyncio.sleep(0.2)
        await redis.connection_pool.disconnect()
    await asyncio.sleep(LIMITER_REDIS_RETRY_S + 0.5)


async def sessions_until_limited(
    processes: list[tuple[Redis, FastAPI]], widget_key: str
) -> tuple[int, int]:
    """From one new address: sessions opened through the first process until it refuses
    one, then the status of one more through the second process (200 if each process kept
    its own bucket, 429 if they share one)."""

    async def open_session(app: FastAPI) -> int:
        async with composed_client(app, ip="198.51.100.99") as client:
            response = await client.post(
                "/widget/v1/sessions", json={"widget_key": widget_key}, headers={"Origin": ORIGIN}
            )
        return response.status_code

    opened = 0
    while (status := await open_session(processes[0][1])) == 200:
        opened += 1
        assert opened <= 3 * SESSION_CREATE_BURST, "the first process never limited"
    assert status == 429
    return opened, await open_session(processes[1][1])
