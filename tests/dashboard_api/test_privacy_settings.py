"""The privacy settings in the merchant API: the business's `retention_days` (admins and
owners only, audited, bounded) and each bot's `mask_contact_details`, `consent_required`
and `consent_text`; and the preview, which stores its turns even when a bot asks shoppers
for consent."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from core.db.database import Database
from engine.answer import AnswerService
from tests.dashboard_api.harness import Merchant, add_member, build_app, client_for, register
from tests.dashboard_api.support import HashingEmbedder


def _problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    return body


async def test_retention_is_reported_set_cleared_and_audited(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    assert (await client.get("/v1/business", headers=merchant.headers)).json()[
        "retention_days"
    ] is None

    for days in (30, 365):
        updated = await client.patch(
            "/v1/business", headers=merchant.headers, json={"retention_days": days}
        )
        assert updated.status_code == 200, updated.text
        assert updated.json()["retention_days"] == days
    assert (await client.get("/v1/business", headers=merchant.headers)).json()[
        "retention_days"
    ] == 365
    cleared = await client.patch(
        "/v1/business", headers=merchant.headers, json={"retention_days": None}
    )
    assert cleared.status_code == 200 and cleared.json()["retention_days"] is None

    audit = (
        await client.get(
            "/v1/audit-log",
            headers=merchant.headers,
            params={"action": "business.retention_changed"},
        )
    ).json()["items"]
    # (One test transaction: the entries share a timestamp, so their order is not checked.)
    changes = sorted((str(e["details"]["from"]), str(e["details"]["to"])) for e in audit)
    assert changes == [("30", "365"), ("365", "None"), ("None", "30")]


@pytest.mark.parametrize("days", [0, -5, 3651, 2.5, "thirty", True])
async def test_retention_out_of_bounds_is_a_422(
    client: httpx.AsyncClient, merchant: Merchant, days: object
) -> None:
    response = await client.patch(
        "/v1/business", headers=merchant.headers, json={"retention_days": days}
    )
    _problem(response, 422, "validation_failed")


async def test_only_admins_and_owners_change_retention(
    app: FastAPI, client: httpx.AsyncClient, merchant: Merchant, db: Database
) -> None:
    editor = await add_member(app, db, merchant.tenant_id, "editor")
    admin = await add_member(app, db, merchant.tenant_id, "admin")
    refused = await client.patch("/v1/business", headers=editor, json={"retention_days": 30})
    assert _problem(refused, 403, "insufficient_role")["required_role"] == "admin"
    assert (await client.patch("/v1/business", headers=editor, json={"language": "de"})).is_success
    allowed = await client.patch("/v1/business", headers=admin, json={"retention_days": 90})
    assert allowed.status_code == 200 and allowed.json()["retention_days"] == 90


async def test_bot_privacy_settings_round_trip_with_defaults(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    path = f"/v1/bots/{merchant.bot_id}"
    bot = (await client.get(path, headers=merchant.headers)).json()
    assert (bot["mask_contact_details"], bot["consent_required"], bot["consent_text"]) == (
        True,
        False,
        None,
    )
    changed = await client.patch(
        path,
        headers=merchant.headers,
        json={
            "mask_contact_details": False,
            "consent_required": True,
            "consent_text": "  May we keep this chat?  ",
        },
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["mask_contact_details"], body["consent_required"], body["consent_text"]) == (
        False,
        True,
        "May we keep this chat?",
    )
    # null leaves the switches as they are; a blank text means the default text.
    again = await client.patch(
        path,
        headers=merchant.headers,
        json={"mask_contact_details": None, "consent_required": None, "consent_text": "   "},
    )
    assert again.status_code == 200, again.text
    body = again.json()
    assert (body["mask_contact_details"], body["consent_required"], body["consent_text"]) == (
        False,
        True,
        None,
    )


@pytest.mark.parametrize(
    "patch",
    [
        {"consent_text": "x" * 501},
        {"consent_required": "sometimes"},
        {"mask_contact_details": [True]},
    ],
)
async def test_bad_bot_privacy_settings_are_a_422(
    client: httpx.AsyncClient, merchant: Merchant, patch: dict
) -> None:
    response = await client.patch(
        f"/v1/bots/{merchant.bot_id}", headers=merchant.headers, json=patch
    )
    _problem(response, 422, "validation_failed")


async def test_the_preview_stores_its_turns_when_the_bot_asks_shoppers_for_consent(
    db: Database, redis
) -> None:
    app = build_app(db, redis=redis, answer_service=AnswerService(db, HashingEmbedder()))
    async with client_for(app) as client:
        merchant = await register(client)
        asked = await client.patch(
            f"/v1/bots/{merchant.bot_id}",
            headers=merchant.headers,
            json={"consent_required": True},
        )
        assert asked.status_code == 200, asked.text
        tried = await client.post(
            f"/v1/bots/{merchant.bot_id}/try",
            headers=merchant.headers,
            json={"message": "Do you sell tents? Mail me at jane@example.com"},
        )
        assert tried.status_code == 200, tried.text
        assert tried.json()["conversation_id"] and tried.json()["message_id"]
