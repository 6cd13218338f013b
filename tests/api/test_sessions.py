"""POST /widget/v1/sessions: the origin allow-list decides, and foreign sites learn nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from api.sessions.tokens import SessionTokens
from core.db.database import Database
from tests.api.harness import (
    SIGNING_KEY,
    Shop,
    assert_problem,
    open_session,
    provision_shop,
    update_bot,
)


async def test_allowed_origin_gets_a_session_and_the_bots_public_face(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    await update_bot(
        db,
        shop,
        theme={
            "primary_color": "#0a7",
            "position": "left",
            "title": "Ask Alpha",
            "avatar_url": "javascript:alert(1)",
            "internal_note": "never shown",
        },
    )
    response = await api.post(
        "/widget/v1/sessions", json={"widget_key": shop.widget_key}, headers={"Origin": shop.origin}
    )
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == shop.origin
    assert "Origin" in response.headers["vary"]
    body = response.json()
    assert body["bot"] == {
        "name": "Alpha Outdoors assistant",
        "greeting": "Hi! I can help you find products at Alpha Outdoors. What are you looking for?",
        "theme": {
            "primary_color": "#0a7",
            "position": "left",
            "title": "Ask Alpha",
            "avatar_url": None,
        },
        "consent_required": False,
        "consent_text": None,
    }
    expires_at = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=25) < expires_at - datetime.now(UTC) <= timedelta(minutes=30)

    claims = SessionTokens(SIGNING_KEY).verify(body["session_token"])
    assert (claims.tenant_id, claims.bot_id, claims.origin) == (
        shop.tenant_id,
        shop.bot_id,
        shop.origin,
    )
    assert claims.visitor_id.startswith("v_")
    raw = jwt.decode(body["session_token"], options={"verify_signature": False})
    assert raw["aud"] == "widget" and raw["exp"] - raw["iat"] == 30 * 60


async def test_each_session_gets_its_own_visitor(api: httpx.AsyncClient, shop: Shop) -> None:
    tokens = SessionTokens(SIGNING_KEY)
    first = tokens.verify((await open_session(api, shop))["session_token"])
    second = tokens.verify((await open_session(api, shop))["session_token"])
    assert first.visitor_id != second.visitor_id


@pytest.mark.parametrize(
    "origin",
    [
        "https://www.alpha-brand.test",
        "https://eu.shop.alpha-brand.test",
        "HTTPS://WWW.Alpha-Brand.test:443",
    ],
)
async def test_wildcard_allows_subdomains(api: httpx.AsyncClient, shop: Shop, origin: str) -> None:
    session = await open_session(api, shop, origin=origin)
    claims = SessionTokens(SIGNING_KEY).verify(session["session_token"])
    assert claims.origin == origin.lower().removesuffix(":443")


@pytest.mark.parametrize(
    "origin",
    [
        "https://alpha-brand.test",  # the apex is not a subdomain
        "https://evil-alpha-brand.test",
        "https://alpha-brand.test.evil.test",
        "http://www.alpha-brand.test",  # another scheme
        "https://www.alpha-brand.test:8443",  # another port
        "https://shop.alpha.test.evil.test",
        "https://evil.test",
        "http://shop.alpha.test",
        "null",
        "https://shop.alpha.test/path",
    ],
)
async def test_other_origins_are_refused(api: httpx.AsyncClient, shop: Shop, origin: str) -> None:
    response = await api.post(
        "/widget/v1/sessions", json={"widget_key": shop.widget_key}, headers={"Origin": origin}
    )
    assert_problem(response, 403, "origin_not_allowed")
    assert "access-control-allow-origin" not in response.headers


async def test_missing_origin_is_refused(api: httpx.AsyncClient, shop: Shop) -> None:
    response = await api.post("/widget/v1/sessions", json={"widget_key": shop.widget_key})
    assert_problem(response, 403, "origin_not_allowed")


async def test_unknown_inactive_and_disallowed_look_the_same(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    other = await provision_shop(db, name="Other Shop")
    await update_bot(db, other, is_active=False)
    disallowed = await api.post(
        "/widget/v1/sessions",
        json={"widget_key": shop.widget_key},
        headers={"Origin": "https://evil.test"},
    )
    unknown = await api.post(
        "/widget/v1/sessions",
        json={"widget_key": "wk_does_not_exist"},
        headers={"Origin": "https://evil.test"},
    )
    unknown_from_allowed = await api.post(
        "/widget/v1/sessions",
        json={"widget_key": "wk_does_not_exist"},
        headers={"Origin": shop.origin},
    )
    inactive = await api.post(
        "/widget/v1/sessions",
        json={"widget_key": other.widget_key},
        headers={"Origin": other.origin},
    )
    bodies = [
        assert_problem(r, 403, "origin_not_allowed")
        for r in (disallowed, unknown, unknown_from_allowed, inactive)
    ]
    assert len({(b["title"], b["detail"]) for b in bodies}) == 1
    assert all(
        set(r.headers) == set(disallowed.headers) for r in (unknown, unknown_from_allowed, inactive)
    )


async def test_session_request_is_validated(api: httpx.AsyncClient, shop: Shop) -> None:
    response = await api.post("/widget/v1/sessions", json={}, headers={"Origin": shop.origin})
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["field"] == "widget_key"


async def test_renewing_keeps_the_visitor_of_an_authentic_earlier_session(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    tokens = SessionTokens(SIGNING_KEY)
    expired, old = tokens.issue(
        tenant_id=shop.tenant_id,
        bot_id=shop.bot_id,
        origin=shop.origin,
        now=datetime.now(UTC) - timedelta(hours=2),
    )

    async def renew(previous: str, origin: str = shop.origin) -> str:
        response = await api.post(
            "/widget/v1/sessions",
            json={"widget_key": shop.widget_key, "previous_session_token": previous},
            headers={"Origin": origin},
        )
        assert response.status_code == 200, response.text
        return tokens.verify(response.json()["session_token"]).visitor_id

    assert await renew(expired) == old.visitor_id
    other = await provision_shop(db, name="Beta Books")
    foreign, _ = tokens.issue(tenant_id=other.tenant_id, bot_id=other.bot_id, origin=shop.origin)
    too_old, _ = tokens.issue(
        tenant_id=shop.tenant_id,
        bot_id=shop.bot_id,
        origin=shop.origin,
        now=datetime.now(UTC) - timedelta(days=2),
    )
    forged, _ = SessionTokens("another-key-" + "q" * 40).issue(
        tenant_id=shop.tenant_id, bot_id=shop.bot_id, origin=shop.origin
    )
    for previous in (foreign, too_old, forged, "garbage"):
        assert await renew(previous) != old.visitor_id
    # Another allowed origin of the same bot starts a new visitor too.
    assert await renew(expired, origin="https://www.alpha-brand.test") != old.visitor_id
