"""The consent bar against the real server, in a real browser: a bot that asks before it keeps
a conversation shows its question; "No thanks" still gets the shopper an answer, with nothing
stored on the server or in the page and nothing to rate; "Allow" stores the conversation. The
choice is remembered across a reload."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, update

from core.db.database import Database
from core.models import Bot, Conversation, Message
from tests.browser.harness import PageWatch, Shop, browser_test
from tests.browser.servers import Storefront
from tests.browser.widget import chat_streams, open_widget, send, sse_events, stored_conversation

pytestmark = browser_test

CONSENT_TEXT = "Can we keep this chat to help us answer better?"
# An answer (not the greeting) that has finished: without consent it has no message id.
DONE_ANSWER = (
    '[data-testid="shopbot-message"][data-role="assistant"][data-state="done"]:not([data-greeting])'
)


async def _require_consent(db: Database, shop: Shop) -> None:
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == shop.bot_id)
            .values(consent_required=True, consent_text=CONSENT_TEXT)
        )


async def _stored(db: Database, shop: Shop) -> tuple[int, int]:
    async with db.tenant_session(shop.tenant_id) as session:
        conversations = await session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.bot_id == shop.bot_id)
        )
        messages = await session.scalar(
            select(func.count())
            .select_from(Message)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.bot_id == shop.bot_id)
        )
    return int(conversations or 0), int(messages or 0)


async def _ask_and_wait(page: Any, text: str) -> tuple[Any, list[tuple[str, Any]]]:
    before = len(await chat_streams(page))
    await send(page, text)
    answer = page.locator(DONE_ANSWER).last
    await answer.wait_for(state="visible")
    await page.wait_for_function(
        "n => (window.__shopbotChatStreams || []).filter((s) => s.done).length > n", arg=before
    )
    streams = await chat_streams(page)
    assert len(streams) == before + 1
    return answer, sse_events("".join(chunk["text"] for chunk in streams[-1]["chunks"]))


async def test_no_thanks_answers_and_keeps_nothing(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database, watch: PageWatch
) -> None:
    await _require_consent(committed_db, shop)
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    bar = page.get_by_test_id("shopbot-consent")
    await bar.wait_for(state="visible")
    assert CONSENT_TEXT in (await bar.text_content() or "")
    await page.get_by_test_id("shopbot-consent-false").click()
    assert await bar.count() == 0

    answer, events = await _ask_and_wait(page, "do you have anything under $30?")
    done = dict(events)["done"]
    assert done["conversation_id"] is None and done["message_id"] is None
    assert (await answer.text_content() or "").strip(), "the shopper still gets an answer"
    assert await answer.get_attribute("data-message-id") is None
    assert await answer.get_by_role("button", name="Helpful").count() == 0, "nothing to rate"
    (body,) = [json.loads(b or "{}") for b in watch.posts_to("/widget/v1/chat")]
    assert body["consent"] is False
    assert await _stored(committed_db, shop) == (0, 0)
    assert await stored_conversation(page, shop.widget_key) is None

    await page.reload()
    await open_widget(page)
    assert await page.get_by_test_id("shopbot-consent").count() == 0, "the choice is kept"


async def test_allow_stores_the_conversation(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database, watch: PageWatch
) -> None:
    await _require_consent(committed_db, shop)
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    await page.get_by_test_id("shopbot-consent-true").click()

    _, events = await _ask_and_wait(page, "do you have anything under $30?")
    done = dict(events)["done"]
    assert done["conversation_id"] and done["message_id"]
    (body,) = [json.loads(b or "{}") for b in watch.posts_to("/widget/v1/chat")]
    assert body["consent"] is True
    assert await _stored(committed_db, shop) == (1, 2)
