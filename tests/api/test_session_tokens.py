"""The WidgetSession dependency: only an authentic, live token from its own origin passes."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from api.sessions.tokens import SessionTokens
from core.db.database import Database
from tests.api.harness import SIGNING_KEY, Shop, assert_problem, bearer, open_session, update_bot

EVENT = {"type": "open"}


def _token(
    shop: Shop, *, key: str = SIGNING_KEY, now: datetime | None = None, origin: str | None = None
) -> str:
    token, _ = SessionTokens(key).issue(
        tenant_id=shop.tenant_id, bot_id=shop.bot_id, origin=origin or shop.origin, now=now
    )
    return token


async def test_a_live_token_passes(api: httpx.AsyncClient, shop: Shop) -> None:
    response = await api.post("/widget/v1/events", json=EVENT, headers=bearer(_token(shop)))
    assert response.status_code == 202, response.text
    assert response.headers["access-control-allow-origin"] == shop.origin


async def test_no_token_is_401(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/widget/v1/events", json=EVENT, headers={"Origin": "https://shop.alpha.test"}
    )
    body = assert_problem(response, 401, "invalid_session")
    assert "Bearer" in response.headers["www-authenticate"]
    assert "access-control-allow-origin" not in response.headers
    assert body["detail"]


async def test_expired_token_is_401_and_readable_by_its_origin(
    api: httpx.AsyncClient, shop: Shop
) -> None:
    expired = _token(shop, now=datetime.now(UTC) - timedelta(minutes=31))
    response = await api.post("/widget/v1/events", json=EVENT, headers=bearer(expired))
    assert_problem(response, 401, "invalid_session")
    # The widget must be able to read this 401 to renew its session.
    assert response.headers["access-control-allow-origin"] == shop.origin


def _tamper(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize(
    "kind", ["other_tenant", "other_origin", "wrong_key", "alg_none", "garbage", "wrong_audience"]
)
async def test_tampered_tokens_are_401(
    api: httpx.AsyncClient, db: Database, shop: Shop, kind: str
) -> None:
    good = _token(shop)
    claims = jwt.decode(good, options={"verify_signature": False})
    token = {
        "other_tenant": lambda: _tamper(good, tenant_id="00000000-0000-0000-0000-000000000001"),
        "other_origin": lambda: _tamper(good, origin="https://evil.test"),
        "wrong_key": lambda: _token(shop, key="another-signing-key-" + "z" * 32),
        # Alg "none" takes no key: PyJWT reads "" as that (its annotations do not allow None).
        "alg_none": lambda: jwt.encode(claims, "", algorithm="none"),
        "garbage": lambda: "not.a.token",
        "wrong_audience": lambda: jwt.encode(
            {**claims, "aud": "dashboard"}, SIGNING_KEY, algorithm="HS256"
        ),
    }[kind]()
    response = await api.post("/widget/v1/events", json=EVENT, headers=bearer(token))
    assert_problem(response, 401, "invalid_session")
    assert "access-control-allow-origin" not in response.headers


async def test_token_used_from_another_origin_is_403(api: httpx.AsyncClient, shop: Shop) -> None:
    session = await open_session(api, shop)
    response = await api.post(
        "/widget/v1/events",
        json=EVENT,
        headers=bearer(session["session_token"], origin="https://evil.test"),
    )
    assert_problem(response, 403, "origin_mismatch")
    assert "access-control-allow-origin" not in response.headers


async def test_token_without_origin_header_passes(api: httpx.AsyncClient, shop: Shop) -> None:
    session = await open_session(api, shop)
    response = await api.post(
        "/widget/v1/events",
        json=EVENT,
        headers={"Authorization": f"Bearer {session['session_token']}"},
    )
    assert response.status_code == 202


async def test_deactivating_the_bot_ends_its_sessions(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    session = await open_session(api, shop)
    await update_bot(db, shop, is_active=False)
    response = await api.post(
        "/widget/v1/events", json=EVENT, headers=bearer(session["session_token"])
    )
    assert_problem(response, 401, "invalid_session")


async def test_removing_the_origin_ends_its_sessions(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    session = await open_session(api, shop)
    await update_bot(db, shop, allowed_origins=["https://new-shop.alpha.test"])
    response = await api.post(
        "/widget/v1/events", json=EVENT, headers=bearer(session["session_token"])
    )
    assert_problem(response, 403, "origin_not_allowed")
    assert "access-control-allow-origin" not in response.headers
