"""Bots: configuration with validation, the snippet, key rotation and the live preview."""

from __future__ import annotations

import uuid

import httpx
import pytest

from engine.answer import AnswerService
from tests.dashboard_api.harness import (
    PUBLIC_API_URL,
    Merchant,
    build_app,
    client_for,
    register,
)
from tests.dashboard_api.support import HashingEmbedder
from tests.support.plans import put_on_plan


async def test_create_configure_and_delete(
    client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    await put_on_plan(db, merchant.tenant_id, "growth")  # room for a second bot
    created = await client.post(
        "/v1/bots", headers=merchant.headers, json={"name": "  Night shift  "}
    )
    assert created.status_code == 201, created.text
    bot = created.json()
    assert bot["name"] == "Night shift" and bot["widget_key"].startswith("wk_")
    assert bot["llm"] == {"has_api_key": False}

    patch = {
        "persona": "a climbing expert",
        "tone": "warm",
        "greeting": "Hey!",
        "language_policy": "business_language",
        "llm": {
            "provider": "openai",
            "model": "gpt-4o-mini",
            "temperature": 0.7,
            "max_tokens": 400,
        },
        "retrieval": {"top_k": 8, "vector_weight": 0.6, "text_weight": 0.4},
        "theme": {
            "primary_color": "#1f6feb",
            "position": "left",
            "avatar_url": "https://cdn.example.com/a.png",
        },
        "allowed_origins": [
            "https://Shop.Example.com/",
            "https://*.example.com",
            "https://shop.example.com",
        ],
        "rate_limits": {"session": {"per_minute": 6, "burst": 3}},
    }
    updated = await client.patch(f"/v1/bots/{bot['id']}", headers=merchant.headers, json=patch)
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["allowed_origins"] == ["https://shop.example.com", "https://*.example.com"]
    assert body["llm"]["temperature"] == 0.7 and body["retrieval"]["top_k"] == 8

    merged = await client.patch(
        f"/v1/bots/{bot['id']}",
        headers=merchant.headers,
        json={"llm": {"temperature": None, "max_tokens": 200}},
    )
    assert merged.json()["llm"] == {
        "provider": "openai",
        "model": "gpt-4o-mini",
        "max_tokens": 200,
        "has_api_key": False,
    }

    listed = (
        await client.get("/v1/bots", headers=merchant.headers, params={"sort": "name"})
    ).json()["items"]
    assert [b["name"] for b in listed] == ["Night shift", "Peak Outfitters assistant"]

    assert (
        await client.delete(f"/v1/bots/{bot['id']}", headers=merchant.headers)
    ).status_code == 204
    assert (await client.get(f"/v1/bots/{bot['id']}", headers=merchant.headers)).status_code == 404


@pytest.mark.parametrize(
    "patch",
    [
        {"llm": {"temperature": 2.5}},
        {"llm": {"provider": "anthropic"}},
        {"llm": {"base_url": "ftp://models.example.com"}},
        {"retrieval": {"top_k": 0}},
        {"retrieval": {"top_k": 21}},
        {"theme": {"primary_color": "blue"}},
        {"theme": {"position": "top"}},
        {"theme": {"avatar_url": "http://cdn.example.com/a.png"}},
        {"allowed_origins": ["https://shop.example.com/checkout"]},
        {"allowed_origins": ["javascript:alert(1)"]},
        {"rate_limits": {"session": {"per_minute": 0}}},
        {"rate_limits": {"everything": {"per_minute": 5}}},
        {"name": "   "},
        {"unknown_field": 1},
    ],
)
async def test_invalid_configuration_is_a_422_problem(
    client: httpx.AsyncClient, merchant: Merchant, patch: dict
) -> None:
    response = await client.patch(
        f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json=patch
    )
    assert response.status_code == 422, (patch, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_failed" and response.json()["errors"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        # Engine settings a merchant does not set (tests/dashboard_api/test_bot_settings.py).
        ({"retrieval": {"ef_search": 64}}, "retrieval.ef_search"),
        ({"llm": {"max_retries": 5}}, "llm.max_retries"),
        ({"llm": {"temperature": 0.5, "temprature": 0.7}}, "llm.temprature"),
    ],
)
async def test_an_unknown_setting_is_refused_by_name(
    client: httpx.AsyncClient, merchant: Merchant, patch: dict, field: str
) -> None:
    response = await client.patch(
        f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json=patch
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert problem["detail"] == f"{field}: Extra inputs are not permitted"
    assert problem["errors"] == [
        {
            "location": "body",
            "field": field,
            "message": "Extra inputs are not permitted",
            "type": "extra_forbidden",
        }
    ]


async def test_snippet_and_key_rotation(client: httpx.AsyncClient, merchant: Merchant) -> None:
    snippet = (
        await client.get(f"/v1/bots/{merchant.bot_id}/snippet", headers=merchant.headers)
    ).json()
    old_key = snippet["widget_key"]
    assert snippet["snippet"] == (
        f'<script src="{PUBLIC_API_URL}/widget.js" data-widget-key="{old_key}" async></script>'
    )
    rotated = await client.post(
        f"/v1/bots/{merchant.bot_id}/widget-key/rotate", headers=merchant.headers
    )
    assert rotated.status_code == 200 and rotated.json()["widget_key"] not in (old_key, None)
    audit = (
        await client.get(
            "/v1/audit-log", headers=merchant.headers, params={"action": "bot.widget_key_rotated"}
        )
    ).json()
    assert audit["items"][0]["target_id"] == str(merchant.bot_id)


async def test_try_answers_as_the_widget_and_is_marked_as_a_preview(db, redis) -> None:
    app = build_app(db, redis=redis, answer_service=AnswerService(db, HashingEmbedder()))
    async with client_for(app) as client:
        merchant = await register(client)
        first = await client.post(
            f"/v1/bots/{merchant.bot_id}/try",
            headers=merchant.headers,
            json={"message": "Do you sell tents?"},
        )
        assert first.status_code == 200, first.text
        answer = first.json()
        assert answer["answer"] and answer["sources"] == []
        follow = await client.post(
            f"/v1/bots/{merchant.bot_id}/try",
            headers=merchant.headers,
            json={"message": "and sleeping bags?", "conversation_id": answer["conversation_id"]},
        )
        assert follow.json()["conversation_id"] == answer["conversation_id"]

        hidden = (await client.get("/v1/conversations", headers=merchant.headers)).json()["items"]
        assert hidden == []
        shown = (
            await client.get(
                "/v1/conversations", headers=merchant.headers, params={"include_previews": "true"}
            )
        ).json()["items"]
        assert (
            len(shown) == 1
            and shown[0]["is_preview"]
            and shown[0]["visitor_id"].startswith("preview:")
        )
        assert shown[0]["has_no_answer"] is True
        missing = await client.post(
            f"/v1/bots/{uuid.uuid4()}/try", headers=merchant.headers, json={"message": "hi"}
        )
        assert missing.status_code == 404


async def test_try_without_an_answer_service_is_a_503(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    response = await client.post(
        f"/v1/bots/{merchant.bot_id}/try", headers=merchant.headers, json={"message": "hi"}
    )
    assert response.status_code == 503 and response.json()["code"] == "answering_unavailable"
