"""The sign-in page is real HTML: the form and the stylesheet are in the exported page itself,
so the merchant sees a styled form before (or without) any JavaScript."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.browser.harness import browser_test
from tests.support.dashboard_web import DashboardServer

pytestmark = browser_test


def test_the_sign_in_html_carries_the_form_and_its_stylesheet(dashboard: DashboardServer) -> None:
    response = httpx.get(dashboard.app("sign-in/"), timeout=10)
    assert response.status_code == 200, response.text[:500]
    page = response.text
    assert "<form" in page
    assert re.search(r'<input[^>]*type="email"', page), "no email input in the static HTML"
    assert re.search(r'<input[^>]*type="password"', page), "no password input in the static HTML"
    assert re.search(r'<link[^>]*rel="stylesheet"[^>]*href="/app/_next/', page), (
        "no stylesheet linked from the static HTML"
    )


async def test_the_sign_in_form_shows_with_javascript_disabled(
    browser: Any, dashboard: DashboardServer
) -> None:
    context = await browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 800}
    )
    try:
        page = await context.new_page()
        await page.goto(dashboard.app("sign-in/"))
        await page.get_by_label("Email").wait_for(state="visible", timeout=5_000)
        assert await page.get_by_label("Password").is_visible()
        assert await page.get_by_role("button", name="Sign in").is_visible()
        # Styled: the stylesheet applied (the button is not the browser's default grey).
        background = await page.get_by_role("button", name="Sign in").evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        assert background not in ("rgb(239, 239, 239)", "rgba(0, 0, 0, 0)"), background
    finally:
        await context.close()
