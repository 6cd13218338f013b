"""A bot's model endpoint through the merchant API: a `base_url` only with the merchant's own
key, the key write-only and encrypted at rest, the endpoint through the outbound guard, and
the platform's key never sent anywhere but the platform's endpoint (issue 12, items 1, 16).

The fake OpenAI server is the platform's endpoint; a second one on 127.0.0.1 stands for an
endpoint a merchant (or an attacker with a merchant account) controls and records every
request it gets, with its headers.
"""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import update

from api.app import create_app
from core.crypto import SecretBox, generate_key
from core.models import Bot
from emulators.openai import FakeOpenAI
from ingestion.key_rotation import rotate_secrets
from tests.api.harness import bearer, make_deps, open_session, provision_shop
from tests.api.harness import client_for as widget_client_for
from tests.dashboard_api.bot_model_harness import (
    MERCHANT_KEY,
    MERCHANT_KEY_TAIL,
    NEEDS_KEY,
    answer_service,
    assert_problem,
    authorizations,
    process_box,
    process_keys,
    stored_ciphertext,
)
from tests.dashboard_api.harness import build_app, client_for, register
from tests.support.model_endpoints import loopback_policy
from tests.support.plans import put_on_plan

# -- (a) a foreign base_url without a key is refused at write time ---------------------------------


async def test_a_base_url_without_the_bots_own_key_is_a_422(
    platform: httpx.AsyncClient, merchant_endpoint: FakeOpenAI
) -> None:
    merchant = await register(platform)
    patched = await platform.patch(
        f"/v1/bots/{merchant.bot_id}",
        headers=merchant.headers,
        json={"llm": {"provider": "openai", "base_url": merchant_endpoint.base_url}},
    )
    assert_problem(patched, 422, NEEDS_KEY)
    created = await platform.post(
        "/v1/bots",
        headers=merchant.headers,
        json={"name": "Exfiltrator", "llm": {"base_url": merchant_endpoint.base_url}},
    )
    assert_problem(created, 422, NEEDS_KEY)
    bot = (await platform.get(f"/v1/bots/{merchant.bot_id}", headers=merchant.headers)).json()
    assert "base_url" not in bot["llm"]
    assert merchant_endpoint.requests == []


async def test_removing_the_key_while_a_base_url_stays_is_a_422(
    platform: httpx.AsyncClient, merchant_endpoint: FakeOpenAI
) -> None:
    merchant = await register(platform)
    url = f"/v1/bots/{merchant.bot_id}"
    ok = await platform.patch(
        url,
        headers=merchant.headers,
        json={"llm": {"base_url": merchant_endpoint.base_url, "api_key": MERCHANT_KEY}},
    )
    assert ok.status_code == 200, ok.text
    assert_problem(
        await platform.patch(url, headers=merchant.headers, json={"llm": {"api_key": None}}),
        422,
        NEEDS_KEY,
    )
    both = await platform.patch(
        url, headers=merchant.headers, json={"llm": {"api_key": None, "base_url": None}}
    )
    assert both.status_code == 200 and both.json()["llm"] == {"has_api_key": False}


# -- (b) rows written before: the platform key never reaches their base_url ------------------------


async def test_try_never_sends_the_platform_key_to_a_stored_foreign_base_url(
    db, platform: httpx.AsyncClient, fake_openai: FakeOpenAI, merchant_endpoint: FakeOpenAI
) -> None:
    merchant = await register(platform)
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == merchant.bot_id)
            .values(
                llm_settings={
                    "provider": "openai",
                    "base_url": merchant_endpoint.base_url,
                    "max_retries": 0,
                }
            )
        )
    for _ in range(3):
        tried = await platform.post(
            f"/v1/bots/{merchant.bot_id}/try",
            headers=merchant.headers,
            json={"message": "Do you sell tents?"},
        )
        assert tried.status_code == 200, tried.text
    assert merchant_endpoint.requests == []
    assert f"Bearer {fake_openai.api_key}" not in authorizations(merchant_endpoint)
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 3, (
        "the platform's endpoint answered"
    )


async def test_widget_chat_never_sends_the_platform_key_to_a_stored_foreign_base_url(
    db, fake_openai: FakeOpenAI, merchant_endpoint: FakeOpenAI
) -> None:
    shop = await provision_shop(db)
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == shop.bot_id)
            .values(
                llm_settings={
                    "provider": "openai",
                    "base_url": merchant_endpoint.base_url,
                    "max_retries": 0,
                }
            )
        )
    service = answer_service(db, fake_openai, loopback_policy(fake_openai, merchant_endpoint))
    async with widget_client_for(create_app(make_deps(db, answer_service=service))) as widget:
        token = (await open_session(widget, shop))["session_token"]
        chat = await widget.post(
            "/widget/v1/chat", json={"message": "Do you sell tents?"}, headers=bearer(token)
        )
        streamed = await widget.post(
            "/widget/v1/chat",
            json={"message": "Any rain jackets?"},
            headers={**bearer(token), "Accept": "text/event-stream"},
        )
    assert chat.status_code == 200 and streamed.status_code == 200, (chat.text, streamed.text)
    assert merchant_endpoint.requests == []
    assert len(fake_openai.requests_to("/v1/chat/completions")) == 2


# -- (c) + (d) the merchant's own endpoint with the merchant's own key -----------------------------


async def test_an_own_endpoint_gets_its_own_key_stored_encrypted_and_never_shown(
    db,
    platform: httpx.AsyncClient,
    fake_openai: FakeOpenAI,
    merchant_endpoint: FakeOpenAI,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, the openai and httpx clients' too
    merchant = await register(platform)
    url = f"/v1/bots/{merchant.bot_id}"
    patched = await platform.patch(
        url,
        headers=merchant.headers,
        json={
            "llm": {
                "provider": "openai",
                "base_url": merchant_endpoint.base_url,
                "api_key": MERCHANT_KEY,
            },
        },
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["llm"] == {
        "provider": "openai",
        "base_url": merchant_endpoint.base_url,
        "has_api_key": True,
    }

    tried = await platform.post(
        f"{url}/try", headers=merchant.headers, json={"message": "Do you sell tents?"}
    )
    assert tried.status_code == 200, tried.text
    assert tried.json()["answer"] == "Answered by the merchant's own model."
    assert authorizations(merchant_endpoint) == [f"Bearer {MERCHANT_KEY}"]
    assert fake_openai.requests == [], "the platform's endpoint (and key) took no part"

    ciphertext = await stored_ciphertext(db, merchant)
    assert ciphertext and MERCHANT_KEY.encode() not in ciphertext
    assert MERCHANT_KEY_TAIL.encode() not in ciphertext
    assert process_box().decrypt(ciphertext) == MERCHANT_KEY

    responses = [
        patched,
        await platform.get(url, headers=merchant.headers),
        await platform.get("/v1/bots", headers=merchant.headers),
        await platform.patch(url, headers=merchant.headers, json={"llm": {"temperature": 0.5}}),
        await platform.get("/v1/audit-log", headers=merchant.headers),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
        assert MERCHANT_KEY not in response.text and MERCHANT_KEY_TAIL not in response.text
    audit = (
        await platform.get(
            "/v1/audit-log", headers=merchant.headers, params={"action": "bot.llm_api_key_set"}
        )
    ).json()
    assert [entry["target_id"] for entry in audit["items"]] == [str(merchant.bot_id)]
    assert caplog.records and MERCHANT_KEY not in caplog.text
    assert MERCHANT_KEY_TAIL not in caplog.text


async def test_a_new_bot_with_an_own_endpoint_and_key_is_created_with_the_key_encrypted(
    db, platform: httpx.AsyncClient, merchant_endpoint: FakeOpenAI
) -> None:
    merchant = await register(platform)
    await put_on_plan(db, merchant.tenant_id, "starter")  # room for a second bot
    created = await platform.post(
        "/v1/bots",
        headers=merchant.headers,
        json={
            "name": "Own model",
            "llm": {"base_url": merchant_endpoint.base_url, "api_key": MERCHANT_KEY},
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["llm"]["has_api_key"] is True and MERCHANT_KEY not in created.text
    ciphertext = await stored_ciphertext(db, merchant, created.json()["id"])
    assert ciphertext is not None and process_box().decrypt(ciphertext) == MERCHANT_KEY


async def test_a_replaced_key_is_sent_from_then_on(
    db, platform: httpx.AsyncClient, merchant_endpoint: FakeOpenAI
) -> None:
    merchant = await register(platform)
    url = f"/v1/bots/{merchant.bot_id}"
    first = {"llm": {"base_url": merchant_endpoint.base_url, "api_key": "sk-merchant-first-key"}}
    assert (await platform.patch(url, headers=merchant.headers, json=first)).status_code == 200
    old_ciphertext = await stored_ciphertext(db, merchant)
    assert (
        await platform.patch(url, headers=merchant.headers, json={"llm": {"api_key": MERCHANT_KEY}})
    ).status_code == 200
    assert await stored_ciphertext(db, merchant) != old_ciphertext
    tried = await platform.post(
        f"{url}/try", headers=merchant.headers, json={"message": "Do you sell tents?"}
    )
    assert tried.json()["answer"] == "Answered by the merchant's own model."
    assert authorizations(merchant_endpoint) == [f"Bearer {MERCHANT_KEY}"]


@pytest.mark.parametrize("bad_key", ["", "sk-with space", "sk-line\nbreak", "sk-\u00e9", "x" * 501])
async def test_a_malformed_key_is_a_422(platform: httpx.AsyncClient, bad_key: str) -> None:
    merchant = await register(platform)
    response = await platform.patch(
        f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json={"llm": {"api_key": bad_key}}
    )
    assert_problem(response, 422, "validation_failed")
    assert bad_key not in response.text or bad_key == ""


async def test_the_key_survives_secrets_rotate(
    db, redis, platform: httpx.AsyncClient, merchant_endpoint: FakeOpenAI
) -> None:
    merchant = await register(platform)
    patch = {"llm": {"base_url": merchant_endpoint.base_url, "api_key": MERCHANT_KEY}}
    assert (
        await platform.patch(f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json=patch)
    ).status_code == 200
    before = await stored_ciphertext(db, merchant)

    new_key = generate_key()
    old_keys = process_keys().split(",")
    result = await rotate_secrets(db, SecretBox([new_key, *old_keys]))
    assert result.bots >= 1

    after = await stored_ciphertext(db, merchant)
    assert after is not None and after != before and MERCHANT_KEY.encode() not in after
    only_new = SecretBox([new_key])
    assert only_new.decrypt(after) == MERCHANT_KEY
    # A process that holds only the new key still answers with the merchant's key.
    policy = loopback_policy(merchant_endpoint)
    app = build_app(
        db,
        redis=redis,
        answer_service=answer_service(db, None, policy, only_new),
        outbound_policy=policy,
    )
    async with client_for(app) as client:
        tried = await client.post(
            f"/v1/bots/{merchant.bot_id}/try",
            headers=merchant.headers,
            json={"message": "Do you sell tents?"},
        )
    assert tried.status_code == 200, tried.text
    assert authorizations(merchant_endpoint) == [f"Bearer {MERCHANT_KEY}"]
