"""The plan's quotas where the merchant meets them: bots (slots, models on the platform's key,
rate-limit ceilings, the merchant choosing which bots stay), the preview's rate limit and
the downgrade the issue asks to see, through the real API and database."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI

from core.billing.plan_changes import set_plan_manually
from core.billing.plans import offered_plan
from dashboard_api.throttle import PreviewThrottlePolicy, ThrottleRule
from engine.answer import AnswerService
from tests.dashboard_api.harness import (
    Merchant,
    add_member,
    build_app,
    client_for,
    register,
)
from tests.dashboard_api.support import HashingEmbedder
from tests.support.plans import put_on_plan


def assert_quota(response: httpx.Response, **members: object) -> dict:
    assert response.status_code == 402, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == "https://shopbot.dev/problems/quota_exceeded"
    assert body["title"] == "Plan quota exceeded"
    assert (body["status"], body["code"]) == (402, "quota_exceeded")
    assert body["detail"]
    for key, value in members.items():
        assert body[key] == value, (key, body)
    return body


async def test_at_the_bot_limit_the_next_post_is_a_402_quota_exceeded(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    refused = await client.post("/v1/bots", headers=merchant.headers, json={"name": "Second"})
    body = assert_quota(
        refused, quota="bots", limit=1, usage=1, plan="free", upgrade_plan="starter"
    )
    assert "Free" in body["detail"] and "Starter" in body["detail"]
    listed = (await client.get("/v1/bots", headers=merchant.headers)).json()["items"]
    assert [bot["id"] for bot in listed] == [str(merchant.bot_id)]
    # An inactive bot takes no slot, so it may be created (and enabled only with room).
    parked = await client.post(
        "/v1/bots", headers=merchant.headers, json={"name": "Parked", "is_active": False}
    )
    assert parked.status_code == 201, parked.text
    enabled = await client.patch(
        f"/v1/bots/{parked.json()['id']}", headers=merchant.headers, json={"is_active": True}
    )
    assert_quota(enabled, quota="bots", limit=1, usage=1, plan="free")


async def test_the_merchant_chooses_which_bots_stay_after_a_downgrade(
    client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    await put_on_plan(db, merchant.tenant_id, "growth")
    second = (
        await client.post("/v1/bots", headers=merchant.headers, json={"name": "Second"})
    ).json()
    await put_on_plan(db, merchant.tenant_id, "free")
    # One transaction shares one created_at: whichever was suspended, exactly one stays.
    bots = {
        b["id"]: b for b in (await client.get("/v1/bots", headers=merchant.headers)).json()["items"]
    }
    suspended = [b for b in bots.values() if b["suspended_by_plan"]]
    assert len(bots) == 2 and len(suspended) == 1 and not suspended[0]["is_active"]
    kept = next(b for b in bots.values() if not b["suspended_by_plan"])
    assert kept["is_active"]

    # The merchant swaps: disable the one that stayed, enable the suspended one.
    off = await client.patch(
        f"/v1/bots/{kept['id']}", headers=merchant.headers, json={"is_active": False}
    )
    assert off.status_code == 200 and off.json()["suspended_by_plan"] is False
    on = await client.patch(
        f"/v1/bots/{suspended[0]['id']}", headers=merchant.headers, json={"is_active": True}
    )
    assert on.status_code == 200, on.text
    assert on.json()["is_active"] and on.json()["suspended_by_plan"] is False

    # An upgrade resumes only what the plan suspended: the bot the merchant turned off stays off.
    await put_on_plan(db, merchant.tenant_id, "growth")
    after = {
        b["id"]: b for b in (await client.get("/v1/bots", headers=merchant.headers)).json()["items"]
    }
    assert after[kept["id"]]["is_active"] is False
    assert after[suspended[0]["id"]]["is_active"] is True
    assert {second["id"], str(merchant.bot_id)} == set(after)


async def test_a_downgrade_from_three_bots_to_one_disables_two_and_an_upgrade_restores_them(
    committed_db, redis
) -> None:
    """The issue's "must show", at the API: the oldest bot stays, the two newest are
    disabled, none is deleted, and the upgrade enables both again. Committed transactions:
    "newest" is by creation time, which one transaction shares."""
    db = committed_db
    async with client_for(build_app(db, redis=redis)) as client:
        merchant = await register(client, f"Three Bots {uuid.uuid4().hex[:8]}")
        await put_on_plan(db, merchant.tenant_id, "growth")
        for name in ("Second", "Third"):
            created = await client.post("/v1/bots", headers=merchant.headers, json={"name": name})
            assert created.status_code == 201, created.text
        async with db.tenant_session(merchant.tenant_id) as session:
            _, down = await set_plan_manually(
                session, merchant.tenant_id, await offered_plan(session, "free")
            )
        bots = (await client.get("/v1/bots", headers=merchant.headers)).json()["items"]
        assert len(bots) == 3 and len(down.suspended["bots"]) == 2
        assert [b["id"] for b in bots if b["is_active"]] == [str(merchant.bot_id)]
        assert sorted(b["name"] for b in bots if b["suspended_by_plan"]) == ["Second", "Third"]
        await put_on_plan(db, merchant.tenant_id, "growth")
        bots = (await client.get("/v1/bots", headers=merchant.headers)).json()["items"]
        assert len(bots) == 3
        assert all(b["is_active"] and not b["suspended_by_plan"] for b in bots)


async def test_models_outside_the_plan_need_the_bots_own_key(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    refused = await client.patch(
        f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json={"llm": {"model": "gpt-4o"}}
    )
    body = assert_quota(refused, quota="models", plan="free", upgrade_plan="growth")
    assert body["allowed"] == ["gpt-4o-mini"] and body["model"] == "gpt-4o"
    bot = (await client.get(f"/v1/bots/{merchant.bot_id}", headers=merchant.headers)).json()
    assert "model" not in bot["llm"]
    # With its own key the bot pays for its model: any model goes.
    own = await client.patch(
        f"/v1/bots/{merchant.bot_id}",
        headers=merchant.headers,
        json={"llm": {"model": "gpt-4o", "api_key": "sk-merchant-own-key"}},
    )
    assert own.status_code == 200, own.text
    assert own.json()["llm"]["model"] == "gpt-4o" and own.json()["llm"]["has_api_key"]
    # Removing the key puts the platform back on the bill: the model is checked again.
    dropped = await client.patch(
        f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json={"llm": {"api_key": None}}
    )
    assert_quota(dropped, quota="models", plan="free")


async def test_rate_limit_overrides_above_the_plans_ceiling_are_a_422(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    refused = await client.patch(
        f"/v1/bots/{merchant.bot_id}",
        headers=merchant.headers,
        json={"rate_limits": {"bot": {"per_minute": 1_000_000}}},
    )
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "validation_failed" and body["plan"] == "free"
    assert body["errors"][0]["field"] == "rate_limits.bot.per_minute"
    assert body["errors"][0]["ceiling"] == 120
    burst = await client.patch(
        f"/v1/bots/{merchant.bot_id}",
        headers=merchant.headers,
        json={"rate_limits": {"session": {"per_minute": 5, "burst": 21}}},
    )
    assert burst.status_code == 422 and burst.json()["errors"][0]["ceiling"] == 20
    within = await client.patch(
        f"/v1/bots/{merchant.bot_id}",
        headers=merchant.headers,
        json={"rate_limits": {"bot": {"per_minute": 120, "burst": 100}}},
    )
    assert within.status_code == 200, within.text
    assert within.json()["rate_limits"] == {"bot": {"per_minute": 120, "burst": 100}}


async def test_fallback_message_is_written_read_and_reset(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    path = f"/v1/bots/{merchant.bot_id}"
    text = "We are busy: write to help@peak.example or call +1 555 0100."
    patched = await client.patch(path, headers=merchant.headers, json={"fallback_message": text})
    assert patched.status_code == 200 and patched.json()["fallback_message"] == text
    assert (await client.get(path, headers=merchant.headers)).json()["fallback_message"] == text
    too_long = await client.patch(
        path, headers=merchant.headers, json={"fallback_message": "x" * 1001}
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "fallback_message"
    reset = await client.patch(path, headers=merchant.headers, json={"fallback_message": None})
    assert reset.status_code == 200 and reset.json()["fallback_message"] is None


@pytest.fixture
def preview_app(db, redis) -> FastAPI:
    return build_app(
        db,
        redis=redis,
        answer_service=AnswerService(db, HashingEmbedder()),
        preview_throttle=PreviewThrottlePolicy(
            per_actor=ThrottleRule(max_attempts=2, window_s=60),
            per_tenant=ThrottleRule(max_attempts=3, window_s=60),
        ),
    )


async def test_try_is_rate_limited_per_user_and_per_business(preview_app: FastAPI, db) -> None:
    async with client_for(preview_app) as client:
        merchant = await register(client, f"Preview {uuid.uuid4().hex[:6]}")
        path = f"/v1/bots/{merchant.bot_id}/try"
        ask = {"message": "Do you sell tents?"}
        for _ in range(2):
            answered = await client.post(path, headers=merchant.headers, json=ask)
            assert answered.status_code == 200, answered.text
        refused = await client.post(path, headers=merchant.headers, json=ask)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["code"] == "rate_limited"
        assert refused.json()["scope"] == "bot_try_actor"
        # A teammate has their own allowance, until the business's is used up.
        await put_on_plan(db, merchant.tenant_id, "starter")
        teammate = await add_member(preview_app, db, merchant.tenant_id, "editor")
        assert (await client.post(path, headers=teammate, json=ask)).status_code == 200
        business = await client.post(path, headers=teammate, json=ask)
        assert business.status_code == 429 and business.json()["scope"] == "bot_try_tenant"
