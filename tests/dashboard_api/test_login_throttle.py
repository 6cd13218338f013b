"""Brute-force throttling of sign-in: per email and per client address, in Redis and,
without it, in process; a 429 problem with Retry-After."""

from __future__ import annotations

import pytest

from dashboard_api.throttle import AuthThrottlePolicy, ThrottleRule
from tests.dashboard_api.conftest import PASSWORD, build_app, client_for, register

POLICY = AuthThrottlePolicy(
    login_per_email=ThrottleRule(max_attempts=3, window_s=60),
    login_per_ip=ThrottleRule(max_attempts=5, window_s=60),
)


@pytest.mark.parametrize("with_redis", [True, False], ids=["redis", "in-process"])
async def test_failures_per_email_lock_that_email_only(db, redis, with_redis: bool) -> None:
    app = build_app(db, redis=redis if with_redis else None, throttle_policy=POLICY)
    async with client_for(app) as client, client_for(app) as elsewhere:
        merchant = await register(client)
        for _ in range(3):
            wrong = await elsewhere.post("/v1/auth/login", json={"email": merchant.email, "password": "not the password"})
            assert wrong.status_code == 401
        # Even the right password is refused now: the lock is checked before the password.
        locked = await client.post("/v1/auth/login", json={"email": merchant.email, "password": PASSWORD})
        assert locked.status_code == 429
        assert locked.headers["content-type"].startswith("application/problem+json")
        assert locked.json()["code"] == "rate_limited"
        assert 1 <= int(locked.headers["Retry-After"]) <= 60
        other = await register(client)
        ok = await client.post("/v1/auth/login", json={"email": other.email, "password": PASSWORD})
        assert ok.status_code == 200


async def test_failures_per_address_lock_that_address(db, redis) -> None:
    app = build_app(db, redis=redis, throttle_policy=POLICY)
    async with client_for(app) as attacker, client_for(app) as someone_else:
        merchant = await register(someone_else)
        for i in range(5):
            wrong = await attacker.post("/v1/auth/login", json={"email": f"guess{i}@example.com", "password": "x" * 12})
            assert wrong.status_code == 401
        blocked = await attacker.post("/v1/auth/login", json={"email": merchant.email, "password": PASSWORD})
        assert blocked.status_code == 429 and "Retry-After" in blocked.headers
        assert (await someone_else.post("/v1/auth/login", json={"email": merchant.email, "password": PASSWORD})).status_code == 200


async def test_success_clears_the_email_counter(db, redis) -> None:
    app = build_app(db, redis=redis, throttle_policy=POLICY)
    async with client_for(app) as client:
        merchant = await register(client)
        for _ in range(2):
            await client.post("/v1/auth/login", json={"email": merchant.email, "password": "not the password"})
        assert (await client.post("/v1/auth/login", json={"email": merchant.email, "password": PASSWORD})).status_code == 200
        for _ in range(2):
            await client.post("/v1/auth/login", json={"email": merchant.email, "password": "not the password"})
        assert (await client.post("/v1/auth/login", json={"email": merchant.email, "password": PASSWORD})).status_code == 200
