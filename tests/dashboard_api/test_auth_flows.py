"""Registration, sign-in, rotation with reuse detection, sign-out and the emailed flows."""

from __future__ import annotations

import re
import uuid

import httpx
from sqlalchemy import select

from core.models import AuditLogEntry, Membership, User
from tests.dashboard_api.harness import PASSWORD, Merchant, register, unique_email


async def test_register_creates_user_business_and_owner_membership(
    client: httpx.AsyncClient, db, mailbox
) -> None:
    email = unique_email()
    merchant = await register(client, "Trail Shop", email=email.upper())
    assert merchant.refresh_token.startswith("rt_")
    async with db.tenant_session(merchant.tenant_id) as session:
        membership = await session.scalar(
            select(Membership).where(Membership.user_id == merchant.user_id)
        )
        user = await session.get(User, merchant.user_id)
    assert membership.role == "owner"
    assert user.email == email.lower()
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert "/verify-email?token=" in mailbox.wait_for(email, "confirm your email").body

    me = await client.get("/v1/auth/me", headers=merchant.headers)
    assert me.status_code == 200
    assert me.json()["role"] == "owner" and me.json()["email_verified"] is False

    again = await client.post(
        "/v1/auth/register", json={"email": email, "password": PASSWORD, "business_name": "X"}
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "email_taken"


async def test_password_policy(client: httpx.AsyncClient) -> None:
    for weak in ("short", "aaaaaaaaaaaa", "1234567890"):
        response = await client.post(
            "/v1/auth/register",
            json={"email": unique_email(), "password": weak, "business_name": "X"},
        )
        assert response.status_code == 422, weak
        assert response.json()["code"] == "weak_password"


async def test_login_refresh_rotation_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, merchant: Merchant
) -> None:
    login = await client.post(
        "/v1/auth/login", json={"email": merchant.email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    body = login.json()
    assert body["token_type"] == "bearer" and 600 <= body["expires_in"] <= 1800
    first = body["refresh_token"]

    rotated = await client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    assert (
        await client.get(
            "/v1/auth/me", headers={"Authorization": f"Bearer {rotated.json()['access_token']}"}
        )
    ).status_code == 200

    reused = await client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.json()["code"] == "refresh_token_reused"
    # The whole family is gone, including the newest token.
    after = await client.post("/v1/auth/refresh", json={"refresh_token": second})
    assert after.status_code == 401
    # Another sign-in (another family) is untouched.
    assert (
        await client.post("/v1/auth/refresh", json={"refresh_token": merchant.refresh_token})
    ).status_code == 200


async def test_logout_revokes_the_family(client: httpx.AsyncClient, merchant: Merchant) -> None:
    assert (
        await client.post("/v1/auth/logout", json={"refresh_token": merchant.refresh_token})
    ).status_code == 204
    assert (
        await client.post("/v1/auth/refresh", json={"refresh_token": merchant.refresh_token})
    ).status_code == 401


async def test_bad_tokens_are_401_problems(client: httpx.AsyncClient, merchant: Merchant) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": "Bearer sk_live_nope"},
    ):
        response = await client.get("/v1/auth/me", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_token"
    forged = "rt_" + merchant.tenant_id.hex + "_" + "x" * 43
    assert (
        await client.post("/v1/auth/refresh", json={"refresh_token": forged})
    ).status_code == 401


async def test_wrong_password_is_audited_without_the_password(
    client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    response = await client.post(
        "/v1/auth/login", json={"email": merchant.email, "password": "wrong password!"}
    )
    assert response.status_code == 401 and response.json()["code"] == "invalid_credentials"
    unknown = await client.post(
        "/v1/auth/login", json={"email": unique_email(), "password": "wrong password!"}
    )
    assert unknown.status_code == 401 and unknown.json() == {
        **response.json(),
        "instance": unknown.json()["instance"],
    }
    async with db.tenant_session(merchant.tenant_id) as session:
        entries = (
            await session.scalars(
                select(AuditLogEntry).where(AuditLogEntry.tenant_id == merchant.tenant_id)
            )
        ).all()
    failed = [e for e in entries if e.action == "auth.login_failed"]
    assert len(failed) == 1 and "wrong password" not in str(failed[0].details)


async def test_login_chooses_among_several_businesses(
    client: httpx.AsyncClient, merchant: Merchant, db
) -> None:
    other = await register(client, "Second Shop")
    async with db.tenant_session(other.tenant_id) as session:
        session.add(Membership(tenant_id=other.tenant_id, user_id=merchant.user_id, role="viewer"))
    default = await client.post(
        "/v1/auth/login", json={"email": merchant.email, "password": PASSWORD}
    )
    assert default.json()["tenant_id"] == str(merchant.tenant_id)
    chosen = await client.post(
        "/v1/auth/login",
        json={"email": merchant.email, "password": PASSWORD, "tenant_id": str(other.tenant_id)},
    )
    assert chosen.status_code == 200 and chosen.json()["tenant_id"] == str(other.tenant_id)
    assert chosen.json()["role"] == "viewer"
    stranger = await client.post(
        "/v1/auth/login",
        json={"email": merchant.email, "password": PASSWORD, "tenant_id": str(uuid.uuid4())},
    )
    assert stranger.status_code == 404


def _token_from(body: str) -> str:
    match = re.search(r"token=([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


async def test_verify_email_once(client: httpx.AsyncClient, merchant: Merchant, mailbox) -> None:
    token = _token_from(mailbox.wait_for(merchant.email, "confirm your email").body)
    assert (await client.post("/v1/auth/verify-email", json={"token": token})).status_code == 200
    me = await client.get("/v1/auth/me", headers=merchant.headers)
    assert me.json()["email_verified"] is True
    again = await client.post("/v1/auth/verify-email", json={"token": token})
    assert again.status_code == 410 and again.json()["code"] == "token_gone"


async def test_password_reset_flow_ends_sessions(
    client: httpx.AsyncClient, merchant: Merchant, mailbox
) -> None:
    unknown = await client.post("/v1/auth/request-password-reset", json={"email": unique_email()})
    known = await client.post("/v1/auth/request-password-reset", json={"email": merchant.email})
    assert unknown.status_code == known.status_code == 202 and unknown.json() == known.json()
    token = _token_from(mailbox.wait_for(merchant.email, "reset your").body)
    weak = await client.post("/v1/auth/reset-password", json={"token": token, "password": "short"})
    assert weak.status_code == 422
    new_password = "a brand new passphrase"
    assert (
        await client.post(
            "/v1/auth/reset-password", json={"token": token, "password": new_password}
        )
    ).status_code == 204
    assert (
        await client.post(
            "/v1/auth/reset-password", json={"token": token, "password": new_password}
        )
    ).status_code == 410
    assert (
        await client.post("/v1/auth/refresh", json={"refresh_token": merchant.refresh_token})
    ).status_code == 401
    old = await client.post("/v1/auth/login", json={"email": merchant.email, "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post(
        "/v1/auth/login", json={"email": merchant.email, "password": new_password}
    )
    assert new.status_code == 200
