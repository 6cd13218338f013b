"""API keys (shown once, hashed, scoped, revocable, audited) and cursor pagination."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from core.crypto import token_hash
from core.models import ApiKey
from tests.dashboard_api.harness import Merchant
from tests.support.plans import put_on_plan


async def test_key_lifecycle(client: httpx.AsyncClient, merchant: Merchant, db) -> None:
    created = await client.post(
        "/v1/api-keys",
        headers=merchant.headers,
        json={"name": "ERP sync", "scopes": ["write", "read", "write"]},
    )
    assert created.status_code == 201
    key = created.json()
    secret = key["secret"]
    assert (
        secret.startswith("sk_live_")
        and key["prefix"] == secret[:12]
        and key["scopes"] == ["read", "write"]
    )
    async with db.tenant_session(merchant.tenant_id) as session:
        stored = await session.scalar(select(ApiKey).where(ApiKey.id == key["id"]))
    assert stored.key_hash == token_hash(secret) and secret not in stored.key_hash

    listed = (await client.get("/v1/api-keys", headers=merchant.headers)).json()["items"]
    assert listed[0]["id"] == key["id"] and "secret" not in listed[0]

    as_key = {"Authorization": f"Bearer {secret}"}
    me = (await client.get("/v1/auth/me", headers=as_key)).json()
    assert me["api_key_id"] == key["id"] and me["role"] == "editor" and me["user_id"] is None
    assert (
        await client.patch(f"/v1/bots/{merchant.bot_id}", headers=as_key, json={"tone": "dry"})
    ).status_code == 200
    assert (await client.get("/v1/api-keys", headers=as_key)).status_code == 403
    used = (await client.get("/v1/api-keys", headers=merchant.headers)).json()["items"][0]
    assert used["last_used_at"] is not None

    assert (
        await client.delete(f"/v1/api-keys/{key['id']}", headers=merchant.headers)
    ).status_code == 204
    assert (await client.get("/v1/bots", headers=as_key)).status_code == 401
    assert (await client.get("/v1/api-keys", headers=merchant.headers)).json()["items"] == []
    revoked = (
        await client.get(
            "/v1/api-keys", headers=merchant.headers, params={"include_revoked": "true"}
        )
    ).json()
    assert revoked["items"][0]["revoked_at"] is not None

    actions = [
        e["action"]
        for e in (await client.get("/v1/audit-log", headers=merchant.headers)).json()["items"]
    ]
    # (All of a rolled-back test shares one transaction, so the entries share one time.)
    assert {"api_key.revoked", "api_key.created"} <= set(actions)


async def test_expired_key_is_refused(client: httpx.AsyncClient, merchant: Merchant) -> None:
    created = await client.post(
        "/v1/api-keys",
        headers=merchant.headers,
        json={"name": "old", "expires_at": "2001-01-01T00:00:00Z"},
    )
    response = await client.get(
        "/v1/bots", headers={"Authorization": f"Bearer {created.json()['secret']}"}
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="dashboard"'


async def test_cursor_pagination_walks_every_item_once(
    client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    await put_on_plan(db, merchant.tenant_id, "scale")  # room for eight bots
    for i in range(7):
        assert (
            await client.post("/v1/bots", headers=merchant.headers, json={"name": f"Bot {i}"})
        ).status_code == 201
    for sort in ("created_at", "-created_at", "name", "-name"):
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            params = {"limit": 3, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/v1/bots", headers=merchant.headers, params=params)).json()
            seen.extend(b["id"] for b in page["items"])
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 8 and pages == 3, sort
    names = [
        b["name"]
        for b in (
            await client.get(
                "/v1/bots", headers=merchant.headers, params={"sort": "-name", "limit": 100}
            )
        ).json()["items"]
    ]
    assert names == sorted(names, reverse=True)


async def test_bad_cursor_and_limits(client: httpx.AsyncClient, merchant: Merchant, db) -> None:
    await put_on_plan(db, merchant.tenant_id, "starter")  # room for a second bot
    first = (await client.get("/v1/bots", headers=merchant.headers, params={"limit": 1})).json()
    await client.post("/v1/bots", headers=merchant.headers, json={"name": "Another"})
    first = (await client.get("/v1/bots", headers=merchant.headers, params={"limit": 1})).json()
    other_sort = await client.get(
        "/v1/bots",
        headers=merchant.headers,
        params={"cursor": first["next_cursor"], "sort": "name"},
    )
    assert other_sort.status_code == 400 and other_sort.json()["code"] == "invalid_cursor"
    garbage = await client.get(
        "/v1/bots", headers=merchant.headers, params={"cursor": "not-a-cursor!"}
    )
    assert garbage.status_code == 400
    assert (
        await client.get("/v1/bots", headers=merchant.headers, params={"limit": 101})
    ).status_code == 422
    assert (
        await client.get("/v1/bots", headers=merchant.headers, params={"sort": "widget_key"})
    ).status_code == 422
