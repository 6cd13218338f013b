"""The web app's cookie sign-in: `session: cookie` on login and registration, and the two
cookie routes `POST /v1/auth/session/refresh` and `/session/logout` (CSRF header, Origin,
rotation with reuse detection, sign-out)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from core.crypto import SecretBox
from core.email import LoggingEmailSender
from core.settings import get_settings
from dashboard_api.dependencies import DashboardDependencies
from dashboard_api.routes import include_dashboard_api
from tests.dashboard_api.harness import (
    FAST_HASHER,
    PASSWORD,
    PUBLIC_API_URL,
    Merchant,
    random_ip,
    unique_email,
)
from web.errors import install_error_handlers
from web.guards import install_request_guards

THIRTY_DAYS = 30 * 24 * 3600


def app_on(db, redis, public_api_url: str) -> FastAPI:
    """The dashboard API as harness.build_app makes it, on a given public URL (http or https)."""
    settings = get_settings().model_copy(update={"public_api_url": public_api_url})
    assert settings.secret_key is not None and settings.encryption_keys is not None
    app = FastAPI()
    install_error_handlers(app)
    install_request_guards(app)
    include_dashboard_api(
        app,
        DashboardDependencies(
            db=db,
            settings=settings,
            signing_key=settings.secret_key.get_secret_value(),
            secret_box=SecretBox.from_setting(settings.encryption_keys.get_secret_value()),
            redis=redis,
            answer_service=None,
            email_sender=LoggingEmailSender(),
            password_hasher=FAST_HASHER,
        ),
    )
    return app


def browser_for(app: FastAPI, base_url: str) -> httpx.AsyncClient:
    """A client with a cookie jar on the app's own origin, as the web app's browser is."""
    transport = httpx.ASGITransport(app=app, client=(random_ip(), 40000))
    return httpx.AsyncClient(transport=transport, base_url=base_url)


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with browser_for(app, PUBLIC_API_URL) as client:
        yield client


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """Each Set-Cookie header by cookie name, as sent."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_list("set-cookie")}


def attributes(header: str) -> list[str]:
    return [part.strip() for part in header.split(";")][1:]


async def cookie_login(browser: httpx.AsyncClient, merchant: Merchant) -> httpx.Response:
    response = await browser.post(
        "/v1/auth/login",
        json={"email": merchant.email, "password": PASSWORD, "session": "cookie"},
    )
    assert response.status_code == 200, response.text
    return response


def csrf(browser: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": browser.cookies["shopbot_csrf"]}


async def test_cookie_login_sets_both_cookies_and_no_refresh_token_in_the_body(
    browser: httpx.AsyncClient, merchant: Merchant
) -> None:
    response = await cookie_login(browser, merchant)
    body = response.json()
    assert body["refresh_token"] is None and body["access_token"]
    cookies = set_cookies(response)
    refresh, csrf_cookie = cookies["shopbot_refresh"], cookies["shopbot_csrf"]
    assert refresh.startswith("shopbot_refresh=rt_")
    assert attributes(refresh) == [
        "Path=/v1/auth/session",
        f"Max-Age={THIRTY_DAYS}",
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
    ]
    assert attributes(csrf_cookie) == [
        "Path=/",
        f"Max-Age={THIRTY_DAYS}",
        "SameSite=Strict",
        "Secure",
    ]
    me = await browser.get(
        "/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200


async def test_plain_http_public_url_gets_no_secure_attribute(db, redis) -> None:
    app = app_on(db, redis, "http://127.0.0.1:8800")
    async with browser_for(app, "http://127.0.0.1:8800") as browser:
        registered = await browser.post(
            "/v1/auth/register",
            json={
                "email": unique_email(),
                "password": PASSWORD,
                "business_name": "Plain Shop",
                "session": "cookie",
            },
        )
        assert registered.status_code == 201, registered.text
        assert registered.json()["refresh_token"] is None
        for header in set_cookies(registered).values():
            assert "Secure" not in attributes(header) and "SameSite=Strict" in attributes(header)
        refreshed = await browser.post(
            "/v1/auth/session/refresh",
            headers={**csrf(browser), "Origin": "http://127.0.0.1:8800"},
        )
        assert refreshed.status_code == 200, refreshed.text


async def test_token_mode_is_unchanged(browser: httpx.AsyncClient, merchant: Merchant) -> None:
    for body in (
        {"email": merchant.email, "password": PASSWORD},
        {"email": merchant.email, "password": PASSWORD, "session": "token"},
    ):
        response = await browser.post("/v1/auth/login", json=body)
        assert response.status_code == 200
        assert response.json()["refresh_token"].startswith("rt_")
        assert "set-cookie" not in response.headers
    assert merchant.refresh_token.startswith("rt_")  # registration without `session`
    refused = await browser.post(
        "/v1/auth/login", json={"email": merchant.email, "password": PASSWORD, "session": "jar"}
    )
    assert refused.status_code == 422


async def test_refresh_needs_the_csrf_header_and_our_origin(
    browser: httpx.AsyncClient, merchant: Merchant
) -> None:
    await cookie_login(browser, merchant)
    for headers in (
        {},
        {"X-CSRF-Token": "forged"},
        {"X-CSRF-Token": browser.cookies["shopbot_csrf"] + "x"},
        {**csrf(browser), "Origin": "https://evil.example"},
        {**csrf(browser), "Origin": "null"},
    ):
        refused = await browser.post("/v1/auth/session/refresh", headers=headers)
        assert refused.status_code == 403, headers
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["code"] == "csrf_failed"
        assert "set-cookie" not in refused.headers

    old_refresh = browser.cookies["shopbot_refresh"]
    refreshed = await browser.post(
        "/v1/auth/session/refresh", headers={**csrf(browser), "Origin": PUBLIC_API_URL}
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["refresh_token"] is None and refreshed.json()["access_token"]
    assert set(set_cookies(refreshed)) == {"shopbot_refresh", "shopbot_csrf"}
    assert browser.cookies["shopbot_refresh"] != old_refresh
    # No Origin header (some same-origin requests carry none) is fine too.
    again = await browser.post("/v1/auth/session/refresh", headers=csrf(browser))
    assert again.status_code == 200


async def test_a_csrf_token_of_another_sign_in_does_not_fit(
    app: FastAPI, browser: httpx.AsyncClient, merchant: Merchant
) -> None:
    await cookie_login(browser, merchant)
    async with browser_for(app, PUBLIC_API_URL) as attacker:
        await cookie_login(attacker, merchant)
        refused = await browser.post("/v1/auth/session/refresh", headers=csrf(attacker))
    assert refused.status_code == 403


async def test_missing_cookie_is_not_signed_in(browser: httpx.AsyncClient) -> None:
    for path in ("/v1/auth/session/refresh", "/v1/auth/session/logout"):
        response = await browser.post(path, headers={"X-CSRF-Token": "anything"})
        assert response.status_code == 401
        assert response.json()["code"] == "not_signed_in"


async def test_rotation_reuse_revokes_the_family_and_clears_the_cookies(
    browser: httpx.AsyncClient, merchant: Merchant
) -> None:
    await cookie_login(browser, merchant)
    stolen_refresh = browser.cookies["shopbot_refresh"]
    stolen_csrf = browser.cookies["shopbot_csrf"]
    assert (
        await browser.post("/v1/auth/session/refresh", headers=csrf(browser))
    ).status_code == 200
    newest = browser.cookies["shopbot_refresh"]

    browser.cookies.clear()
    browser.cookies.set("shopbot_refresh", stolen_refresh, path="/v1/auth/session")
    reused = await browser.post("/v1/auth/session/refresh", headers={"X-CSRF-Token": stolen_csrf})
    assert reused.status_code == 401
    assert reused.json()["code"] == "refresh_token_reused"
    cleared = set_cookies(reused)
    assert attributes(cleared["shopbot_refresh"])[:2] == ["Path=/v1/auth/session", "Max-Age=0"]
    assert attributes(cleared["shopbot_csrf"])[:2] == ["Path=/", "Max-Age=0"]

    # The whole family is revoked: the newest cookie no longer works either.
    browser.cookies.set("shopbot_refresh", newest, path="/v1/auth/session")
    token_route = await browser.post("/v1/auth/refresh", json={"refresh_token": newest})
    assert token_route.status_code == 401


async def test_logout_revokes_and_clears(browser: httpx.AsyncClient, merchant: Merchant) -> None:
    await cookie_login(browser, merchant)
    refresh, headers = browser.cookies["shopbot_refresh"], csrf(browser)
    refused = await browser.post("/v1/auth/session/logout")
    assert refused.status_code == 403
    logout = await browser.post("/v1/auth/session/logout", headers=headers)
    assert logout.status_code == 204
    cleared = set_cookies(logout)
    assert attributes(cleared["shopbot_refresh"])[:2] == ["Path=/v1/auth/session", "Max-Age=0"]
    assert attributes(cleared["shopbot_csrf"])[:2] == ["Path=/", "Max-Age=0"]
    assert "shopbot_refresh" not in browser.cookies

    browser.cookies.set("shopbot_refresh", refresh, path="/v1/auth/session")
    after = await browser.post("/v1/auth/session/refresh", headers=headers)
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_token"


async def test_the_cookie_routes_are_rate_limited_per_address(
    browser: httpx.AsyncClient,
) -> None:
    statuses = [(await browser.post("/v1/auth/session/refresh")).status_code for _ in range(61)]
    assert statuses[:60] == [401] * 60
    assert statuses[60] == 429
