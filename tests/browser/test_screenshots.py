"""Screenshots of the open widget with an answer, on a desktop and a phone viewport
(written to test-artifacts/, which is gitignored), with the layout each must have."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import Shop, browser_test
from tests.browser.servers import Storefront
from tests.browser.widget import ask, open_widget, settle_images

pytestmark = browser_test


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 812)])
async def test_screenshot_of_the_open_widget(
    new_page: Any, shop: Shop, storefront: Storefront, artifacts: Path, width: int, height: int
) -> None:
    page = await new_page(width, height)
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    answer, _ = await ask(page, "do you have anything under $30?")
    await answer.get_by_test_id("shopbot-product-card").first.scroll_into_view_if_needed()
    await settle_images(page)
    path = artifacts / f"widget-{width}.png"
    await page.screenshot(path=str(path), animations="disabled", caret="hide")
    assert path.stat().st_size > 10_000

    panel = await page.get_by_test_id("shopbot-panel").bounding_box()
    launcher = await page.get_by_test_id("shopbot-launcher").bounding_box()
    if width >= 480:
        # A 380 px panel above a 56 px launcher, both 20 px from the bottom-right corner.
        assert (round(panel["width"]), round(panel["x"] + panel["width"])) == (380, width - 20)
        assert (round(launcher["width"]), round(launcher["x"] + launcher["width"])) == (
            56,
            width - 20,
        )
        assert round(launcher["y"] + launcher["height"]) == height - 20
        assert panel["y"] + panel["height"] <= launcher["y"]
    else:
        # Under 480 px the panel is a full-screen sheet, with its own close button.
        assert [round(v) for v in (panel["x"], panel["y"], panel["width"], panel["height"])] == [
            0,
            0,
            width,
            height,
        ]
        assert await page.get_by_test_id("shopbot-close").is_visible()
    # Nothing overflows the panel sideways (long titles are cut, cards wrap).
    overflow = await page.get_by_test_id("shopbot-log").evaluate(
        "el => el.scrollWidth - el.clientWidth"
    )
    assert overflow <= 0
