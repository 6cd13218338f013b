"""A bot's own model endpoint goes through the outbound guard when it is written: internal
addresses in any spelling are a 422, and loopback only with the tests' explicit policy."""

from __future__ import annotations

import httpx
import pytest

from emulators.openai import FakeOpenAI
from tests.dashboard_api.bot_model_harness import MERCHANT_KEY, assert_problem
from tests.dashboard_api.harness import build_app, client_for, register


@pytest.mark.parametrize(
    "base_url",
    [
        "http://169.254.169.254/v1",
        "https://169.254.169.254/latest/meta-data",
        "http://[::1]/v1",
        "http://10.0.0.8/v1",
        "http://2130706433/v1",
    ],
)
async def test_an_own_endpoint_at_an_internal_address_is_refused(
    platform: httpx.AsyncClient, base_url: str
) -> None:
    merchant = await register(platform)
    response = await platform.patch(
        f"/v1/bots/{merchant.bot_id}",
        headers=merchant.headers,
        json={"llm": {"base_url": base_url, "api_key": MERCHANT_KEY}},
    )
    assert_problem(response, 422, "url_not_allowed")
    bot = (await platform.get(f"/v1/bots/{merchant.bot_id}", headers=merchant.headers)).json()
    assert bot["llm"] == {"has_api_key": False}


async def test_an_own_endpoint_on_loopback_is_refused_without_the_tests_policy(
    db, redis, merchant_endpoint: FakeOpenAI
) -> None:
    # The app's policy comes from the process settings: the secure default.
    async with client_for(build_app(db, redis=redis)) as client:
        merchant = await register(client)
        response = await client.patch(
            f"/v1/bots/{merchant.bot_id}",
            headers=merchant.headers,
            json={"llm": {"base_url": merchant_endpoint.base_url, "api_key": MERCHANT_KEY}},
        )
    assert_problem(response, 422, "url_not_allowed")
    assert merchant_endpoint.requests == []
