""" "Delete my conversation" in a real browser: a confirmation, the shopper's rows erased,
nothing left in sessionStorage, a fresh greeting, and the next question starts anew."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import func, select

from core.db.database import Database
from core.models import Conversation, Message
from tests.browser.harness import PageWatch, Shop, browser_test
from tests.browser.servers import Storefront
from tests.browser.widget import ask, open_widget, stored_conversation

pytestmark = browser_test

CONFIRM = "Delete this conversation and everything you sent? This cannot be undone."


async def test_a_shopper_deletes_their_conversation(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database, watch: PageWatch
) -> None:
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    _, events = await ask(page, "do you have anything under $30?")
    conversation_id = uuid.UUID(events[-1][1]["conversation_id"])

    await page.get_by_test_id("shopbot-forget").click()
    confirm = page.get_by_test_id("shopbot-forget-confirm")
    await confirm.wait_for(state="visible")
    assert CONFIRM in (await confirm.text_content() or "")
    async with page.expect_response(lambda r: r.url.endswith("/widget/v1/me")) as erased:
        await page.get_by_test_id("shopbot-forget-yes").click()
    assert (await erased.value).status == 204
    await confirm.wait_for(state="hidden")

    messages = page.get_by_test_id("shopbot-message")
    assert await messages.count() == 1
    assert await messages.first.get_attribute("data-greeting") == "true"
    assert await stored_conversation(page, shop.widget_key) is None
    session = await page.evaluate(
        "key => sessionStorage.getItem(key)", f"shopbot:{shop.widget_key}:session"
    )
    assert session is None
    async with committed_db.tenant_session(shop.tenant_id) as db_session:
        assert await db_session.get(Conversation, conversation_id) is None
        left = await db_session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation_id)
        )
    assert left == 0

    # The next question opens a new session (a new visitor) and a new conversation.
    _, again = await ask(page, "any warm hats?")
    assert uuid.UUID(again[-1][1]["conversation_id"]) != conversation_id
    assert len(watch.posts_to("/widget/v1/sessions")) == 2
    assert "conversation_id" not in json.loads(watch.posts_to("/widget/v1/chat")[1] or "{}")
