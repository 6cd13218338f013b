"""The plan's quotas on stores, seats and knowledge documents through the real API and
database: 402 at the limit (before any request to a store), a suspended store that does not
sync, a suspended seat that acts on nothing, and suspended documents shown as such."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from core.crypto import SecretBox
from core.models import KnowledgeDocument, Membership, StoreConnection
from tests.dashboard_api.harness import Merchant, add_member, build_app, unique_email
from tests.dashboard_api.support import HashingEmbedder


@pytest.fixture
def app(db, redis) -> FastAPI:
    return build_app(db, redis=redis, embedder=HashingEmbedder())


def assert_quota(response: httpx.Response, quota: str, limit: int, usage: int) -> dict:
    assert response.status_code == 402, response.text
    body = response.json()
    assert (body["code"], body["quota"], body["limit"], body["usage"]) == (
        "quota_exceeded",
        quota,
        limit,
        usage,
    )
    assert body["plan"] == "free" and body["upgrade_plan"]
    return body


async def _store(app: FastAPI, db, merchant: Merchant, url: str, **values) -> StoreConnection:
    box: SecretBox = app.state.shopbot_dashboard_runtime.deps.secret_box
    async with db.tenant_session(merchant.tenant_id) as session:
        store = StoreConnection(
            tenant_id=merchant.tenant_id,
            base_url=url,
            credentials_ciphertext=box.encrypt_json(
                {"consumer_key": "ck", "consumer_secret": "cs"}
            ),
            **values,
        )
        session.add(store)
        await session.flush()
        return store


async def test_a_second_store_is_a_402_before_any_request_to_it(
    app: FastAPI, client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    await _store(app, db, merchant, "https://first.example.com")
    refused = await client.post(
        "/v1/stores",
        headers=merchant.headers,
        # Nothing listens there: a 402 proves the plan was checked before the store.
        json={"url": "https://second.example.com", "consumer_key": "ck", "consumer_secret": "cs"},
    )
    assert_quota(refused, "stores", 1, 1)


async def test_a_suspended_store_does_not_sync_and_says_so(
    app: FastAPI, client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    store = await _store(
        app,
        db,
        merchant,
        "https://suspended.example.com",
        suspended_by_plan_at=datetime.now(UTC),
        sync_warning="Indexed 500 of 1000 products: the Free plan allows 500.",
    )
    shown = (await client.get(f"/v1/stores/{store.id}", headers=merchant.headers)).json()
    assert shown["suspended_by_plan"] is True
    assert shown["sync_warning"].startswith("Indexed 500 of 1000")
    refused = await client.post(f"/v1/stores/{store.id}/sync", headers=merchant.headers)
    body = assert_quota(refused, "stores", 1, 0)
    assert "suspended" in body["detail"]
    jobs = (await client.get(f"/v1/stores/{store.id}/sync-jobs", headers=merchant.headers)).json()
    assert jobs["items"] == []


async def test_invitations_hold_seats_and_a_suspended_seat_acts_on_nothing(
    app: FastAPI, client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    invited = await client.post(
        "/v1/team/invitations", headers=merchant.headers, json={"email": unique_email()}
    )
    assert invited.status_code == 201, invited.text
    refused = await client.post(
        "/v1/team/invitations", headers=merchant.headers, json={"email": unique_email()}
    )
    assert_quota(refused, "seats", 2, 2)  # the owner and the pending invitation

    editor = await add_member(app, db, merchant.tenant_id, "editor")
    assert (await client.get("/v1/bots", headers=editor)).status_code == 200
    async with db.tenant_session(merchant.tenant_id) as session:
        await session.execute(
            update(Membership)
            .where(Membership.user_id == editor["X-User-Id"])
            .values(suspended_by_plan_at=datetime.now(UTC))
        )
    blocked = await client.get("/v1/bots", headers=editor)
    assert blocked.status_code == 403 and blocked.json()["code"] == "seat_suspended"
    assert (await client.get("/v1/bots", headers=merchant.headers)).status_code == 200


async def _documents(db, merchant: Merchant, *bodies: str, suspended: bool = False) -> list:
    async with db.tenant_session(merchant.tenant_id) as session:
        rows = [
            KnowledgeDocument(
                tenant_id=merchant.tenant_id,
                title=f"Doc {i}",
                content_hash=f"hash-{i}-{len(body)}",
                body=body,
                suspended_by_plan_at=datetime.now(UTC) if suspended else None,
            )
            for i, body in enumerate(bodies)
        ]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


async def test_knowledge_documents_count_and_bytes(
    client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    big = "x" * 200_000
    await _documents(db, merchant, *([big] * 4), "y" * 199_990)  # 999,990 bytes, 5 documents
    too_big = await client.post(
        "/v1/knowledge", headers=merchant.headers, json={"title": "More", "body": "z" * 11}
    )
    assert_quota(too_big, "knowledge_bytes", 1_000_000, 999_990)
    fits = await client.post(
        "/v1/knowledge", headers=merchant.headers, json={"title": "Fits", "body": "z" * 10}
    )
    assert fits.status_code == 201, fits.text
    longer = await client.patch(
        f"/v1/knowledge/{fits.json()['id']}", headers=merchant.headers, json={"body": "z" * 11}
    )
    assert_quota(longer, "knowledge_bytes", 1_000_000, 1_000_000)
    shorter = await client.patch(
        f"/v1/knowledge/{fits.json()['id']}", headers=merchant.headers, json={"body": "z" * 5}
    )
    assert shorter.status_code == 200, shorter.text

    await _documents(db, merchant, *(["w"] * 4))  # ten documents now
    eleventh = await client.post(
        "/v1/knowledge", headers=merchant.headers, json={"title": "Eleventh", "body": "v"}
    )
    assert_quota(eleventh, "knowledge_documents", 10, 10)


async def test_suspended_documents_are_shown_as_suspended_and_take_no_room(
    client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    [suspended] = await _documents(db, merchant, "x" * 200_000, suspended=True)
    listed = (await client.get("/v1/knowledge", headers=merchant.headers)).json()["items"]
    assert [(d["id"], d["suspended_by_plan"]) for d in listed] == [(str(suspended), True)]
    one = (await client.get(f"/v1/knowledge/{suspended}", headers=merchant.headers)).json()
    assert one["suspended_by_plan"] is True
