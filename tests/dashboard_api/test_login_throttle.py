"""Brute-force throttling of sign-in, over the real app: every attempt is counted before its
password is checked; backoff per (email, client address); a ceiling per address; a
per-email ceiling that slows but never locks. In Redis, in process without it, and in
process when the configured Redis is unreachable; a 429 problem with Retry-After."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from core.errors import RateLimited
from dashboard_api.throttle import (
    AttemptThrottle,
    AuthThrottlePolicy,
    BackoffRule,
    LoginAttempt,
    ThrottleRule,
    _LocalCounters,
    email_identity,
)
from tests.dashboard_api.harness import (
    PASSWORD,
    build_app,
    client_for,
    random_ip,
    register,
    unique_email,
)

FREE = 3
POLICY = AuthThrottlePolicy(
    login_per_pair=BackoffRule(
        free_attempts=FREE, base_delay_s=60, max_delay_s=600, forget_after_s=600
    ),
    login_per_ip=ThrottleRule(max_attempts=5, window_s=60),
    login_email_slowdown=ThrottleRule(max_attempts=1000, window_s=60),
)
WRONG = "not the password at all"
CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture(params=["redis", "in-process", "redis-unreachable"])
async def throttle_redis(
    request: pytest.FixtureRequest, redis: Redis
) -> AsyncIterator[Redis | None]:
    """Where the counters live: real Redis; no Redis; a configured Redis that is down."""
    if request.param == "redis":
        yield redis
    elif request.param == "in-process":
        yield None
    else:
        closed = Redis.from_url(CLOSED_REDIS_URL, socket_connect_timeout=0.2, socket_timeout=0.2)
        yield closed
        await closed.aclose()


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/v1/auth/login", json={"email": email, "password": password})


def _assert_throttled(response: httpx.Response, scope: str, most_s: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "rate_limited" and response.json()["scope"] == scope
    assert 1 <= int(response.headers["Retry-After"]) <= most_s


async def test_parallel_wrong_passwords_get_only_the_free_attempts_and_the_owner_signs_in(
    committed_db, throttle_redis: Redis | None
) -> None:
    # Really parallel: each request its own connection (the rolled-back `db` has only one).
    policy = AuthThrottlePolicy(
        login_per_pair=POLICY.login_per_pair,
        login_per_ip=ThrottleRule(max_attempts=100, window_s=60),
        login_email_slowdown=POLICY.login_email_slowdown,
    )
    app = build_app(committed_db, redis=throttle_redis, throttle_policy=policy)
    async with client_for(app) as owner, client_for(app) as attacker:
        merchant = await register(owner)
        answers = await asyncio.gather(
            *(_login(attacker, merchant.email, WRONG) for _ in range(25))
        )
        statuses = Counter(answer.status_code for answer in answers)
        assert statuses == {401: FREE, 429: 25 - FREE}, statuses
        for answer in answers:
            if answer.status_code == 429:
                _assert_throttled(answer, "login_pair", 60)

        # The attacker's address is held even with the right password ...
        _assert_throttled(await _login(attacker, merchant.email, PASSWORD), "login_pair", 60)
        # ... while the owner, from their own address, signs in at once.
        assert (await _login(owner, merchant.email, PASSWORD)).status_code == 200


async def test_the_hold_grows_with_each_attempt_let_through(
    db, throttle_redis: Redis | None
) -> None:
    policy = AuthThrottlePolicy(
        login_per_pair=BackoffRule(
            free_attempts=2, base_delay_s=1, max_delay_s=60, forget_after_s=60
        ),
        login_per_ip=ThrottleRule(max_attempts=100, window_s=60),
    )
    app = build_app(db, redis=throttle_redis, throttle_policy=policy)
    async with client_for(app) as client:
        email = unique_email("guessed")
        assert [(await _login(client, email, WRONG)).status_code for _ in range(2)] == [401, 401]
        held = await _login(client, email, WRONG)
        _assert_throttled(held, "login_pair", 1)
        await asyncio.sleep(1.1)
        assert (
            await _login(client, email, WRONG)
        ).status_code == 401  # the third attempt let through
        held_longer = await _login(client, email, WRONG)
        _assert_throttled(held_longer, "login_pair", 2)
        assert int(held_longer.headers["Retry-After"]) == 2


async def test_one_address_has_a_ceiling_across_all_emails(
    db, throttle_redis: Redis | None
) -> None:
    app = build_app(db, redis=throttle_redis, throttle_policy=POLICY)
    async with client_for(app) as attacker, client_for(app) as someone_else:
        merchant = await register(someone_else)
        for i in range(5):
            assert (await _login(attacker, unique_email(f"guess{i}"), WRONG)).status_code == 401
        _assert_throttled(await _login(attacker, merchant.email, PASSWORD), "login_ip", 60)
        _assert_throttled(await _login(attacker, unique_email("another"), WRONG), "login_ip", 60)
        assert (await _login(someone_else, merchant.email, PASSWORD)).status_code == 200


async def test_successful_sign_ins_do_not_use_up_the_address_ceiling(db, redis: Redis) -> None:
    app = build_app(db, redis=redis, throttle_policy=POLICY)
    async with client_for(app) as office:
        merchants = [await register(office) for _ in range(3)]
        for _ in range(3):  # 9 sign-ins from one address, ceiling 5
            for merchant in merchants:
                assert (await _login(office, merchant.email, PASSWORD)).status_code == 200


async def test_a_success_clears_the_pairs_backoff(db, throttle_redis: Redis | None) -> None:
    app = build_app(db, redis=throttle_redis, throttle_policy=POLICY)
    async with client_for(app) as client:
        merchant = await register(client)
        for _ in range(2):
            for _ in range(FREE - 1):
                assert (await _login(client, merchant.email, WRONG)).status_code == 401
            # The last free attempt: let through (it starts a hold), and right, so cleared.
            assert (await _login(client, merchant.email, PASSWORD)).status_code == 200


async def test_an_account_under_a_distributed_attack_is_slowed_never_locked(
    db, throttle_redis: Redis | None
) -> None:
    policy = AuthThrottlePolicy(
        login_per_pair=POLICY.login_per_pair,
        login_per_ip=POLICY.login_per_ip,
        login_email_slowdown=ThrottleRule(max_attempts=4, window_s=60),
    )
    app = build_app(db, redis=throttle_redis, throttle_policy=policy)
    async with client_for(app) as owner:
        merchant = await register(owner)
        async with client_for(app) as first, client_for(app) as second:
            assert [
                (await _login(first, merchant.email, WRONG)).status_code for _ in range(FREE)
            ] == [401] * FREE
            assert (
                await _login(second, merchant.email, WRONG)
            ).status_code == 401  # 4 failures: slowed now
        async with client_for(app) as third:
            # A new address gets one attempt instead of FREE ...
            assert (await _login(third, merchant.email, WRONG)).status_code == 401
            _assert_throttled(await _login(third, merchant.email, WRONG), "login_pair", 60)
        # ... and that one attempt is all the owner needs.
        assert (await _login(owner, merchant.email, PASSWORD)).status_code == 200


async def test_ipv6_callers_are_counted_per_64_block(db, redis: Redis) -> None:
    site, subnet = random.randint(0, 0xFFFF), random.randint(0, 0xFFFE)
    block, neighbour_block = f"2001:db8:{site:x}:{subnet:x}", f"2001:db8:{site:x}:{subnet + 1:x}"
    app = build_app(db, redis=redis, throttle_policy=POLICY)
    async with client_for(app, ip=random_ip()) as someone_else:
        merchant = await register(someone_else)
    for host in range(1, 6):  # five addresses of one /64 share its ceiling of five
        async with client_for(app, ip=f"{block}::{host}") as attacker:
            assert (await _login(attacker, unique_email("v6"), WRONG)).status_code == 401
    async with client_for(app, ip=f"{block}::ffff") as same_block:
        _assert_throttled(await _login(same_block, merchant.email, PASSWORD), "login_ip", 60)
    async with client_for(app, ip=f"{neighbour_block}::1") as other_block:
        assert (await _login(other_block, merchant.email, PASSWORD)).status_code == 200


async def test_every_redis_key_expires(redis: Redis) -> None:
    prefix = f"test:throttle:{uuid.uuid4().hex}:"
    throttle = AttemptThrottle(redis, key_prefix=prefix)
    attempt = LoginAttempt(email_key=email_identity(unique_email("ttl")), address=random_ip())
    for _ in range(FREE + 2):
        try:
            await throttle.begin_login(attempt, POLICY)
        except RateLimited:
            continue
        await throttle.login_failed(attempt, POLICY)
    await throttle.hit("reset_ip", attempt.address, POLICY.reset_per_ip)
    keys = [key async for key in redis.scan_iter(f"{prefix}*")]
    try:
        assert len(keys) == 4, keys  # login_ip, login_email, login_pair, reset_ip
        for key in keys:
            assert 0 < await redis.pttl(key) <= 60 * 60 * 1000 + 600 * 1000, key
    finally:
        await redis.delete(*keys)


def test_the_in_process_fallback_holds_a_bounded_number_of_keys() -> None:
    now = [0.0]
    counters = _LocalCounters(lambda: now[0], max_keys=100)
    for i in range(1_000):
        counters.increment(f"login_ip:198.51.100.{i}", 60)
        counters.backoff(f"login_pair:{i}", POLICY.login_per_pair, FREE)
    assert len(counters._entries) == 100
    # The newest keys are the ones kept, and still count.
    assert counters.peek("login_ip:198.51.100.999") == 1
    assert counters.peek("login_ip:198.51.100.0") == 0
    now[0] = 10_000.0  # long after every window and hold: nothing counts any more
    assert counters.peek("login_ip:198.51.100.999") == 0
