"""Add to cart on a product card, in a real browser: the button sits next to the card's link
(not inside it) with the product in its accessible name, is reached by keyboard, sends the
`add_to_cart` event and takes the store page to WooCommerce's `?add-to-cart=<id>` on the
store's own origin, where the event is counted for the product and the answer."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import select, update

from core.db.database import Database
from core.models import Product, StoreConnection, WidgetEvent
from tests.browser.harness import Shop, browser_test
from tests.browser.servers import BEANIE_EXTERNAL_ID, AppServer, Storefront
from tests.browser.widget import active_test_id, ask, open_widget

pytestmark = browser_test

BEANIE = "Merino Wool Beanie"
BOTTLE = "Insulated Water Bottle"  # out of stock: no Add to cart


async def _events(db: Database, shop: Shop, type_: str) -> list[WidgetEvent]:
    async with db.tenant_session(shop.tenant_id) as session:
        rows = await session.scalars(
            select(WidgetEvent).where(WidgetEvent.bot_id == shop.bot_id, WidgetEvent.type == type_)
        )
        return list(rows.all())


async def _counted(db: Database, shop: Shop, type_: str) -> list[WidgetEvent]:
    """The event is keepalive: it may land a moment after the page has moved on."""
    for _ in range(50):
        events = await _events(db, shop, type_)
        if events:
            return events
        await asyncio.sleep(0.1)
    return []


async def test_add_to_cart_opens_the_stores_add_to_cart_link_and_is_counted(
    page: Any,
    shop: Shop,
    storefront: Storefront,
    app_server: AppServer,
    committed_db: Database,
) -> None:
    async with committed_db.tenant_session(shop.tenant_id) as session:
        # The shop's WooCommerce lives at the storefront's origin.
        await session.execute(
            update(StoreConnection)
            .where(StoreConnection.tenant_id == shop.tenant_id)
            .values(base_url=storefront.origin)
        )
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    answer, events = await ask(page, "do you have anything under $30?")
    message_id = events[-1][1]["message_id"]
    link = f"{storefront.origin}/?add-to-cart={BEANIE_EXTERNAL_ID}"

    cards = answer.get_by_test_id("shopbot-product-card")
    beanie = cards.filter(has_text=BEANIE)
    bottle = cards.filter(has_text=BOTTLE)
    assert await beanie.count() == 1 and await bottle.count() == 1
    item = beanie.locator("xpath=..")
    button = item.get_by_role("button", name=f"Add to cart: {BEANIE}")
    assert await button.count() == 1
    assert await button.text_content() == "Add to cart"
    assert await beanie.locator("button").count() == 0, "no button inside the card's link"
    assert await bottle.locator("xpath=..").get_by_test_id("shopbot-add-to-cart").count() == 0

    # Keyboard: from the card's link, Tab reaches its Add to cart, and Enter presses it.
    await beanie.focus()
    await page.keyboard.press("Tab")
    assert await active_test_id(page) == "shopbot-add-to-cart"
    events_before = app_server.received_from_browser("POST", "/widget/v1/events")
    async with page.expect_navigation(url=link):
        await page.keyboard.press("Enter")
    added = page.get_by_test_id("store-added")
    assert await added.get_attribute("data-product-id") == BEANIE_EXTERNAL_ID

    (event,) = await _counted(committed_db, shop, "add_to_cart")
    assert event.product_id == shop.product_ids[BEANIE]
    assert event.url == link
    assert event.message_id == uuid.UUID(message_id)
    assert event.conversation_id == uuid.UUID(events[-1][1]["conversation_id"])
    assert await _events(committed_db, shop, "product_click") == [], "Add to cart is no click"
    # Sent by the widget, not the test: the server received it from the browser. (Its
    # own record: the browser's listener missed this keepalive request, fired as the page
    # navigates away, in one clean-clone run of four.)
    sent = app_server.received_from_browser("POST", "/widget/v1/events")
    assert sent > events_before, "the event came from the browser"


async def test_a_card_click_still_counts_a_product_click(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database
) -> None:
    product_page = f"{storefront.origin}/product/beanie"
    async with committed_db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Product)
            .where(Product.id == shop.product_ids[BEANIE])
            .values(permalink=product_page)
        )
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    answer, _ = await ask(page, "do you have anything under $30?")
    beanie = answer.get_by_test_id("shopbot-product-card").filter(has_text=BEANIE)
    async with page.expect_navigation(url=product_page):
        await beanie.click()
    (event,) = await _counted(committed_db, shop, "product_click")
    assert event.product_id == shop.product_ids[BEANIE]
    assert event.url == product_page
    assert await _events(committed_db, shop, "add_to_cart") == []
