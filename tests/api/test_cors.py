"""CORS on /widget/v1/*: per bot, never allow-all, always `Vary: Origin`."""

from __future__ import annotations

import httpx
import pytest

from tests.api.harness import SHOP_ORIGIN, Shop, assert_problem, bearer, open_session


def _preflight(
    origin: str, method: str = "POST", headers: str = "authorization, content-type"
) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/widget/v1/sessions",
        "/widget/v1/chat",
        "/widget/v1/feedback",
        "/widget/v1/events",
        "/widget/v1/handoff",
    ],
)
async def test_preflight_for_the_widgets_request(api: httpx.AsyncClient, path: str) -> None:
    response = await api.options(path, headers=_preflight(SHOP_ORIGIN))
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == SHOP_ORIGIN
    assert response.headers["access-control-allow-methods"] == "POST"
    allowed = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "accept"} <= allowed
    assert "access-control-allow-credentials" not in response.headers
    assert "Origin" in response.headers["vary"]
    assert int(response.headers["access-control-max-age"]) > 0


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/widget/v1/me", "DELETE"),
        ("/widget/v1/me/export", "GET"),
        ("/widget/v1/conversations/5f0c6a4e-8d2b-4c1e-9a7f-2b3c4d5e6f70/messages", "GET"),
    ],
)
async def test_preflight_for_the_shoppers_own_data(
    api: httpx.AsyncClient, path: str, method: str
) -> None:
    response = await api.options(path, headers=_preflight(SHOP_ORIGIN, method=method))
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == SHOP_ORIGIN
    assert response.headers["access-control-allow-methods"] == method
    refused = await api.options(path, headers=_preflight(SHOP_ORIGIN, method="POST"))
    assert_problem(refused, 403, "cors_preflight_rejected")


@pytest.mark.parametrize(
    "headers",
    [
        _preflight("null"),
        _preflight("https://shop.alpha.test/page"),
        _preflight(SHOP_ORIGIN, method="DELETE"),
        _preflight(SHOP_ORIGIN, headers="authorization, x-forwarded-for"),
        _preflight("ftp://shop.alpha.test"),
    ],
)
async def test_preflight_refused(api: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await api.options("/widget/v1/chat", headers=headers)
    assert_problem(response, 403, "cors_preflight_rejected")
    assert "access-control-allow-origin" not in response.headers
    assert "Origin" in response.headers["vary"]


async def test_responses_answer_only_the_allowed_origin(api: httpx.AsyncClient, shop: Shop) -> None:
    allowed = await api.post(
        "/widget/v1/sessions", json={"widget_key": shop.widget_key}, headers={"Origin": SHOP_ORIGIN}
    )
    assert allowed.headers["access-control-allow-origin"] == SHOP_ORIGIN
    refused = await api.post(
        "/widget/v1/sessions",
        json={"widget_key": shop.widget_key},
        headers={"Origin": "https://evil.test"},
    )
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
    assert "Origin" in refused.headers["vary"]


async def test_wildcard_origin_is_echoed_not_the_pattern(
    api: httpx.AsyncClient, shop: Shop
) -> None:
    origin = "https://www.alpha-brand.test"
    session = await open_session(api, shop, origin=origin)
    response = await api.post(
        "/widget/v1/events", json={"type": "open"}, headers=bearer(session["session_token"], origin)
    )
    assert response.headers["access-control-allow-origin"] == origin


async def test_no_cors_outside_the_widget_api(api: httpx.AsyncClient) -> None:
    response = await api.get("/healthz", headers={"Origin": SHOP_ORIGIN})
    assert "access-control-allow-origin" not in response.headers
    preflight = await api.options("/healthz", headers=_preflight(SHOP_ORIGIN, method="GET"))
    assert "access-control-allow-origin" not in preflight.headers
