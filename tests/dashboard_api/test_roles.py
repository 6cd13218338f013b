"""The role matrix: each role (and each API key scope) against representative operations
of every domain. Allowed means "not a 403"; refused means a 403 problem with a stable code."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.dashboard_api.harness import (
    Merchant,
    add_member,
    build_app,
    client_for,
    register,
    unique_email,
)
from tests.dashboard_api.support import HashingEmbedder

RANK = {"viewer": 0, "editor": 1, "admin": 2, "owner": 3}


def operations(merchant: Merchant) -> list[tuple[str, str, dict | None, str]]:
    """(method, path, body, minimum role)."""
    bot = f"/v1/bots/{merchant.bot_id}"
    return [
        ("GET", "/v1/bots", None, "viewer"),
        ("GET", f"{bot}/snippet", None, "viewer"),
        ("POST", "/v1/bots", {"name": "Second bot"}, "editor"),
        ("PATCH", bot, {"tone": "warm"}, "editor"),
        ("GET", "/v1/business", None, "viewer"),
        ("PATCH", "/v1/business", {"language": "de"}, "editor"),
        ("GET", "/v1/stores", None, "viewer"),
        ("GET", "/v1/knowledge", None, "viewer"),
        ("POST", "/v1/knowledge", {"title": "Hours", "body": "We are open 9-5."}, "editor"),
        ("GET", "/v1/conversations", None, "viewer"),
        ("GET", "/v1/analytics/summary", None, "viewer"),
        ("GET", "/v1/team/members", None, "viewer"),
        ("GET", "/v1/team/invitations", None, "admin"),
        (
            "POST",
            "/v1/team/invitations",
            {"email": unique_email("invitee"), "role": "editor"},
            "admin",
        ),
        (
            "POST",
            "/v1/team/invitations",
            {"email": unique_email("invitee"), "role": "owner"},
            "owner",
        ),
        ("PATCH", f"/v1/team/members/{merchant.user_id}", {"role": "admin"}, "owner"),
        ("GET", "/v1/api-keys", None, "admin"),
        ("POST", "/v1/api-keys", {"name": "ci", "scopes": ["read"]}, "admin"),
        ("GET", "/v1/audit-log", None, "admin"),
    ]


@pytest.fixture
async def setup(
    db, redis
) -> AsyncIterator[tuple[httpx.AsyncClient, Merchant, dict[str, dict[str, str]]]]:
    app = build_app(db, redis=redis, embedder=HashingEmbedder())
    async with client_for(app) as client:
        merchant = await register(client)
        headers = {"owner": merchant.headers}
        for role in ("admin", "editor", "viewer"):
            headers[role] = await add_member(app, db, merchant.tenant_id, role)
        for scope in ("read", "write"):
            created = await client.post(
                "/v1/api-keys", headers=merchant.headers, json={"name": scope, "scopes": [scope]}
            )
            assert created.status_code == 201, created.text
            headers[f"key:{scope}"] = {"Authorization": f"Bearer {created.json()['secret']}"}
        yield client, merchant, headers


@pytest.mark.parametrize("who", ["owner", "admin", "editor", "viewer", "key:read", "key:write"])
async def test_role_matrix(setup, who: str) -> None:
    client, merchant, headers = setup
    effective = {"key:read": "viewer", "key:write": "editor"}.get(who, who)
    for method, path, body, minimum in operations(merchant):
        response = await client.request(method, path, json=body, headers=headers[who])
        label = f"{who} {method} {path} {body}"
        if RANK[effective] >= RANK[minimum]:
            assert response.status_code != 403 and response.status_code < 500, (
                label,
                response.text,
            )
        else:
            assert response.status_code == 403, (label, response.text)
            problem = response.json()
            assert response.headers["content-type"].startswith("application/problem+json")
            expected = (
                "insufficient_scope"
                if who == "key:read" and minimum == "editor"
                else "insufficient_role"
            )
            assert problem["code"] == expected, label


async def test_removed_member_loses_access_at_once(setup, db) -> None:
    client, merchant, headers = setup
    editor = headers["editor"]
    assert (await client.get("/v1/bots", headers=editor)).status_code == 200
    user_id = editor["X-User-Id"]
    removed = await client.delete(f"/v1/team/members/{user_id}", headers=headers["admin"])
    assert removed.status_code == 204
    after = await client.get("/v1/bots", headers=editor)
    assert after.status_code == 401 and after.json()["code"] == "invalid_token"


async def test_revoked_api_key_is_refused(setup) -> None:
    client, merchant, headers = setup
    keys = (await client.get("/v1/api-keys", headers=merchant.headers)).json()["items"]
    read_key = next(k for k in keys if k["name"] == "read")
    assert (
        await client.delete(f"/v1/api-keys/{read_key['id']}", headers=merchant.headers)
    ).status_code == 204
    refused = await client.get("/v1/bots", headers=headers["key:read"])
    assert refused.status_code == 401
    assert (
        await client.delete(f"/v1/api-keys/{uuid.uuid4()}", headers=merchant.headers)
    ).status_code == 404
