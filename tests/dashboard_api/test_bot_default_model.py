"""New bots answer through the platform's model when the platform has a key, and offline
when it has none (nothing is sent to an endpoint without its key)."""

from __future__ import annotations

import httpx

from emulators.openai import FakeOpenAI
from engine.answer import AnswerService
from tests.dashboard_api.bot_model_harness import process_box
from tests.dashboard_api.harness import build_app, client_for, register
from tests.dashboard_api.support import HashingEmbedder
from tests.support.plans import put_on_plan


async def test_new_bots_answer_through_the_platforms_model_when_it_has_a_key(
    platform: httpx.AsyncClient, fake_openai: FakeOpenAI, db
) -> None:
    fake_openai.reply_fn(lambda messages: "Answered by the platform's model.")
    merchant = await register(platform)  # its default bot
    await put_on_plan(db, merchant.tenant_id, "starter")  # room for a second
    created = await platform.post("/v1/bots", headers=merchant.headers, json={"name": "Second"})
    for bot_id in (merchant.bot_id, created.json()["id"]):
        tried = await platform.post(
            f"/v1/bots/{bot_id}/try",
            headers=merchant.headers,
            json={"message": "Do you sell tents?"},
        )
        assert tried.status_code == 200, tried.text
        assert tried.json()["answer"] == "Answered by the platform's model."
    calls = fake_openai.requests_to("/v1/chat/completions")
    assert len(calls) == 2 and all(
        c.headers["authorization"] == f"Bearer {fake_openai.api_key}" for c in calls
    )


async def test_new_bots_answer_offline_when_the_platform_has_no_key(
    db, redis, fake_openai: FakeOpenAI
) -> None:
    # The platform's endpoint is configured, its key is not: nothing may be sent there.
    service = AnswerService(
        db, HashingEmbedder(), openai_base_url=fake_openai.base_url, secret_box=process_box()
    )
    app = build_app(db, redis=redis, answer_service=service)
    async with client_for(app) as client:
        merchant = await register(client)
        tried = await client.post(
            f"/v1/bots/{merchant.bot_id}/try",
            headers=merchant.headers,
            json={"message": "Do you sell tents?"},
        )
    assert tried.status_code == 200 and tried.json()["answer"]
    assert fake_openai.requests == []
