"""The launcher and the origin lock, in a real browser on a real cross-origin page."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.browser.harness import PageWatch, Shop, browser_test
from tests.browser.servers import AppServer, Storefront
from tests.browser.widget import active_test_id, wait_for_launcher

pytestmark = browser_test


async def test_launcher_opens_into_the_input_and_escape_returns_to_the_launcher(
    page: Any, shop: Shop, storefront: Storefront
) -> None:
    await page.goto(storefront.product_url(shop.widget_key))
    launcher = await wait_for_launcher(page)
    panel = page.get_by_test_id("shopbot-panel")
    assert await launcher.get_attribute("aria-expanded") == "false"
    assert await panel.is_hidden()
    assert await page.get_by_test_id("shopbot-title").text_content() == "Peak Outfitters assistant"

    await launcher.click()
    await panel.wait_for(state="visible")
    assert await launcher.get_attribute("aria-expanded") == "true"
    assert await active_test_id(page) == "shopbot-input"
    greeting = page.locator('[data-testid="shopbot-message"][data-greeting="true"]')
    assert "What are you looking for?" in await greeting.text_content()

    await page.keyboard.press("Escape")
    await panel.wait_for(state="hidden")
    assert await launcher.get_attribute("aria-expanded") == "false"
    assert await active_test_id(page) == "shopbot-launcher"

    # The keyboard path too: Enter on the focused launcher opens it again, the close button
    # closes it and focus goes back to the launcher.
    await page.keyboard.press("Enter")
    await panel.wait_for(state="visible")
    assert await active_test_id(page) == "shopbot-input"
    await page.get_by_test_id("shopbot-close").click()
    await panel.wait_for(state="hidden")
    assert await active_test_id(page) == "shopbot-launcher"


async def test_a_page_on_an_origin_the_bot_does_not_allow_gets_no_widget(
    page: Any, shop: Shop, storefront: Storefront, app_server: AppServer, watch: PageWatch
) -> None:
    # The very same page and snippet, but served from http://127.0.0.1:<port>.
    failed_sessions: list[str] = []
    page.on(
        "requestfailed",
        lambda r: (
            failed_sessions.append(r.failure or "")
            if r.url.endswith("/widget/v1/sessions") and r.method == "POST"
            else None
        ),
    )
    await page.goto(storefront.product_url(shop.widget_key, origin=storefront.foreign_origin))
    # A CORS-less 403 looks like a network failure to the widget: it retries once, 2 s later.
    await page.wait_for_event(
        "console", predicate=lambda m: m.type == "warning" and "[Shopbot]" in m.text, timeout=8_000
    )
    await asyncio.sleep(0.5)

    assert await page.locator("[data-shopbot]").count() == 0
    assert await page.get_by_test_id("shopbot-launcher").count() == 0
    added = "body > :not(header, nav, main, footer, script)"
    assert await page.locator(added).count() == 0, "the widget added something to the page"
    warnings = watch.warnings()
    assert len(warnings) == 1, warnings
    assert "not an allowed origin" in warnings[0] and shop.widget_key in warnings[0]
    assert await page.evaluate("() => window.Shopbot.ask('hello')") is False
    assert not watch.posts_to("/widget/v1/chat")
    # The first try and the one retry both failed for the page (no CORS grant)...
    assert len(failed_sessions) == 2, failed_sessions
    # ...because the server refused the origin, and said so without CORS headers.
    async with httpx.AsyncClient(base_url=app_server.url) as client:
        refused = await client.post(
            "/widget/v1/sessions",
            json={"widget_key": shop.widget_key},
            headers={"Origin": storefront.foreign_origin},
        )
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers
