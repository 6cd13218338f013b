"""A store whose messages for the month are used up: the shopper reads the store's fallback
as the assistant's reply (no error line), and can still type."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from core.billing import usage
from core.billing.entitlements import entitlement_for
from core.db.database import Database
from core.models import Bot
from core.models.billing import UsageMetric
from tests.browser.harness import Shop, browser_test
from tests.browser.servers import Storefront
from tests.browser.widget import chat_streams, open_widget, send, sse_events, stored_conversation

pytestmark = browser_test

FALLBACK = "We can't take questions right now. Email help@peak.test and we reply within a day."
REPLY = (
    '[data-testid="shopbot-message"][data-role="assistant"][data-state="done"]:not([data-greeting])'
)


async def test_a_store_out_of_messages_shows_its_fallback_as_the_reply(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database
) -> None:
    async with committed_db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Bot).where(Bot.id == shop.bot_id).values(fallback_message=FALLBACK)
        )
        limit = (await entitlement_for(session, shop.tenant_id)).limits.messages_per_month
        await usage.add(session, shop.tenant_id, UsageMetric.MESSAGES, limit)

    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    await send(page, "do you have a rain jacket?")

    reply = page.locator(REPLY)
    await reply.wait_for(state="visible")
    assert await reply.get_by_test_id("shopbot-message-text").inner_text() == FALLBACK
    assert await reply.get_attribute("data-message-id") is None
    assert await reply.get_by_test_id("shopbot-thumbs-up").count() == 0, "nothing to rate"
    assert await page.get_by_test_id("shopbot-status").is_hidden(), "not shown as an error"

    streams = await chat_streams(page)
    assert len(streams) == 1 and streams[0]["status"] == 200
    events = sse_events("".join(chunk["text"] for chunk in streams[0]["chunks"]))
    assert [name for name, _ in events] == ["error"]
    assert (events[0][1]["code"], events[0][1]["fallback"]) == ("quota_exceeded", FALLBACK)

    # The input stays usable: the shopper can type (and send) the next question.
    box = page.get_by_test_id("shopbot-input")
    await box.fill("and a tent?")
    assert await box.is_enabled()
    assert await page.get_by_test_id("shopbot-send").is_enabled()
    stored = await stored_conversation(page, shop.widget_key)
    assert stored is not None
    assert [m["text"] for m in stored["messages"]][-1] == FALLBACK, "kept across pages"
