"""Asking, streaming, product cards, feedback and persistence, in a real browser."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

from sqlalchemy import select, update

from core.db.database import Database
from core.models import Bot, Conversation, Feedback, Message, Product
from emulators.openai import PacedFakeOpenAI
from tests.browser.harness import PageWatch, Shop, browser_test
from tests.browser.servers import BEANIE_EXTERNAL_ID, Storefront
from tests.browser.widget import (
    ask,
    chat_streams,
    frames,
    open_widget,
    send,
    stored_conversation,
    wait_for_launcher,
    watch_frames,
)
from tests.support.index import set_price

pytestmark = browser_test

UNDER_30 = "do you have anything under $30?"


def _tokens(events: list[tuple[str, Any]]) -> list[str]:
    return [data["delta"] for name, data in events if name == "token"]


async def test_offline_answer_streams_token_by_token(
    page: Any, shop: Shop, storefront: Storefront
) -> None:
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    await watch_frames(page)
    answer, events = await ask(page, UNDER_30)

    names = [name for name, _ in events]
    tokens = _tokens(events)
    # Checked text streams a sentence (here: a line of the list) at a time.
    assert len(tokens) >= 6, f"the answer arrives as one token event per line, got {len(tokens)}"
    assert names[-2:] == ["sources", "done"] and set(names[:-2]) == {"token"}, names
    done = events[-1][1]
    assert "".join(tokens).strip() == done["answer"]
    assert await answer.get_attribute("data-message-id") == done["message_id"]

    # With the offline answerer the deltas come faster than frames (usually in one network
    # chunk), so the text may jump straight to the answer; the paced test below watches it grow.
    seen = await frames(page)
    assert seen[0]["state"] == "streaming" and seen[0]["busy"] == "true", seen[0]
    assert seen[-1]["state"] == "done" and seen[-1]["busy"] == "false", seen[-1]
    # `done` replaces the streamed text with the checked answer, rendered from Markdown.
    shown = await answer.get_by_test_id("shopbot-message-text").inner_text()
    assert shown.startswith("Here's what I found under $30.00:")
    assert "**" not in shown and "Merino Wool Beanie — $24.00, in stock" in shown
    assert await answer.get_by_test_id("shopbot-message-text").locator("li").count() == 5


async def test_a_paced_model_answer_renders_while_it_streams(
    page: Any,
    shop: Shop,
    storefront: Storefront,
    committed_db: Database,
    paced_llm: PacedFakeOpenAI,
) -> None:
    async with committed_db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == shop.bot_id)
            .values(
                llm_settings={
                    "provider": "openai",
                    "model": "gpt-4o-mini",
                    "max_retries": 0,
                    "timeout_s": 10,
                }
            )
        )
    sentences = [
        "Under thirty dollars you could pick the Wool Hiking Socks for $14.00.",
        " The Merino Wool Beanie is $24.00 and very warm.",
        " The Camping Headlamp costs $29.99 and it has a red night mode.",
        " The Insulated Water Bottle is $19.50 but it is out of stock right now.",
    ]
    reply = "".join(sentences)
    paced_llm.reply_with(reply)
    paced_llm.pace(first_token_delay_s=0.4, token_delay_s=0.04)

    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    await watch_frames(page)
    answer, events = await ask(page, UNDER_30)

    assert paced_llm.requests_to("/v1/chat/completions"), "the answer came from the (fake) model"
    tokens = _tokens(events)
    # Only checked text is streamed: one token per sentence, each once the next word
    # confirmed its end (the last one at the end of the stream).
    assert tokens == sentences

    seen = await frames(page)
    streaming = [f for f in seen if f["state"] == "streaming"]
    assert streaming[0]["typing"] and streaming[0]["text"] == "", (
        "typing dots before the first sentence"
    )
    growing = list(dict.fromkeys(f["text"] for f in streaming if f["text"]))
    shown_prefixes = ["".join(sentences[: n + 1]).strip() for n in range(len(sentences))]
    assert len(growing) >= 3, f"expected the text to grow sentence by sentence, saw {growing}"
    assert all(text in shown_prefixes for text in growing), growing
    assert all(f["busy"] == "true" for f in streaming)
    assert not any(f["typing"] for f in streaming if f["text"]), (
        "the dots go with the first sentence"
    )
    assert seen[-1]["state"] == "done" and seen[-1]["text"] == events[-1][1]["answer"] == reply

    # The bytes arrived over time, not in one piece at the end: a sentence is sent as soon
    # as it is complete, while the model is still writing the next one.
    chunks = (await chat_streams(page))[-1]["chunks"]
    token_chunks = [c for c in chunks if "event: token" in c["text"]]
    assert len(token_chunks) >= 3
    later_words = len(reply.split()) - len(sentences[0].split())
    assert token_chunks[-1]["t"] - token_chunks[0]["t"] > 0.5 * 1000 * 0.04 * later_words


async def test_product_cards_show_live_prices_and_stock(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database
) -> None:
    # The shop changed the beanie's price after it was indexed: the card shows today's.
    await set_price(committed_db, shop.tenant_id, shop.product_ids["Merino Wool Beanie"], "21.50")
    async with committed_db.tenant_session(shop.tenant_id) as session:
        rows = (
            await session.scalars(select(Product).where(Product.tenant_id == shop.tenant_id))
        ).all()
    live = {str(p.id): p for p in rows}

    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    answer, _ = await ask(page, UNDER_30)
    cards = answer.get_by_test_id("shopbot-product-card")
    count = await cards.count()
    assert count == sum(1 for p in rows if p.price is not None and p.price <= Decimal("30"))
    for i in range(count):
        card = cards.nth(i)
        product = live[await card.get_attribute("data-product-id")]
        assert await card.get_by_test_id("shopbot-product-title").text_content() == product.name
        assert await card.get_by_test_id("shopbot-price").text_content() == f"${product.price:,.2f}"
        stock = card.get_by_test_id("shopbot-stock")
        in_stock = product.stock_status == "instock"
        assert await stock.text_content() == ("In stock" if in_stock else "Out of stock")
        assert await stock.get_attribute("data-in-stock") == str(in_stock).lower()
        assert unquote(await card.get_attribute("href")) == product.permalink  # (URL-normalised)
    beanie = answer.locator(f'[data-product-id="{shop.product_ids["Merino Wool Beanie"]}"]')
    assert await beanie.get_by_test_id("shopbot-price").text_content() == "$21.50"
    assert "$21.50" in await answer.get_by_test_id("shopbot-message-text").text_content()
    bottle = answer.locator(f'[data-product-id="{shop.product_ids["Insulated Water Bottle"]}"]')
    assert await bottle.get_by_test_id("shopbot-stock").get_attribute("data-in-stock") == "false"
    # Product images come from the store's own origin and load.
    image = beanie.locator("img")
    assert await image.get_attribute("src") == storefront.image_url("102")
    await page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=await image.element_handle()
    )


async def test_thumbs_up_is_recorded_once(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database, watch: PageWatch
) -> None:
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    answer, _ = await ask(page, UNDER_30)
    message_id = await answer.get_attribute("data-message-id")
    up, down = (
        answer.get_by_test_id("shopbot-thumbs-up"),
        answer.get_by_test_id("shopbot-thumbs-down"),
    )
    assert await up.get_attribute("aria-pressed") == "false"

    async with page.expect_response(lambda r: r.url.endswith("/widget/v1/feedback")) as sent:
        await up.click()
    assert (await sent.value).status == 200
    assert await up.get_attribute("aria-pressed") == "true"
    assert await down.get_attribute("aria-disabled") == "true"
    await down.click(force=True)  # already rated (aria-disabled): nothing more is sent
    await page.wait_for_timeout(300)
    assert len(watch.posts_to("/widget/v1/feedback")) == 1
    assert json.loads(watch.posts_to("/widget/v1/feedback")[0] or "{}") == {
        "message_id": message_id,
        "rating": "up",
    }

    async with committed_db.tenant_session(shop.tenant_id) as session:
        stored = (
            await session.scalars(
                select(Feedback).where(Feedback.message_id == uuid.UUID(message_id))
            )
        ).all()
    assert [(f.rating, f.tenant_id) for f in stored] == [("up", shop.tenant_id)]


async def test_the_conversation_survives_a_page_navigation(
    page: Any, shop: Shop, storefront: Storefront, committed_db: Database, watch: PageWatch
) -> None:
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    first, events = await ask(page, UNDER_30)
    message_id = await first.get_attribute("data-message-id")
    conversation_id = events[-1][1]["conversation_id"]
    cards_before = await first.get_by_test_id("shopbot-product-card").all_text_contents()
    async with page.expect_response(lambda r: r.url.endswith("/widget/v1/feedback")):
        await first.get_by_test_id("shopbot-thumbs-up").click()
    # The product page says which product it is about (WooCommerce's add-to-cart button).
    first_request = json.loads(watch.posts_to("/widget/v1/chat")[0] or "{}")
    assert first_request["page"]["product_id"] == BEANIE_EXTERNAL_ID
    assert "conversation_id" not in first_request

    await page.get_by_test_id("store-cart-link").click()
    await page.wait_for_url("**/cart?**")
    await wait_for_launcher(page)
    panel = page.get_by_test_id("shopbot-panel")
    await panel.wait_for(state="visible")  # it was open: it reopens (viewport >= 480 px)

    messages = page.get_by_test_id("shopbot-message")
    assert [
        await messages.nth(i).get_attribute("data-role") for i in range(await messages.count())
    ] == [
        "assistant",
        "user",
        "assistant",
    ]
    assert await messages.nth(1).text_content() == UNDER_30
    restored = page.locator(f'[data-message-id="{message_id}"]')
    assert await restored.get_by_test_id("shopbot-product-card").all_text_contents() == cards_before
    assert (
        await restored.get_by_test_id("shopbot-thumbs-up").get_attribute("aria-pressed") == "true"
    )
    stored = await stored_conversation(page, shop.widget_key)
    assert stored and stored["conversation_id"] == conversation_id and stored["open"] is True

    # A follow-up on the new page continues the same conversation with the same session.
    await send(page, "which of them is warmest?")
    await page.locator('[data-testid="shopbot-message"][data-message-id]').nth(1).wait_for()
    follow_up = json.loads(watch.posts_to("/widget/v1/chat")[1] or "{}")
    assert follow_up["conversation_id"] == conversation_id
    assert "product_id" not in follow_up["page"] and follow_up["page"]["url"].startswith(
        storefront.origin + "/cart"
    )
    assert len(watch.posts_to("/widget/v1/sessions")) == 1, (
        "the session is cached in sessionStorage"
    )
    assert len(await chat_streams(page)) == 1  # (the recorder is per page: one chat on this page)

    async with committed_db.tenant_session(shop.tenant_id) as session:
        conversation = await session.get(Conversation, uuid.UUID(conversation_id))
        assert conversation is not None, "the chat's conversation was stored"
        roles = (
            await session.scalars(
                select(Message.role)
                .where(Message.conversation_id == conversation.id)
                .order_by(Message.created_at)
            )
        ).all()
    assert roles == ["user", "assistant", "user", "assistant"]


async def test_a_row_of_more_cards_than_fit_shows_that_it_scrolls(
    new_page: Any, shop: Shop, storefront: Storefront
) -> None:
    """Five products under $30, room for two cards: the third must peek in, or a shopper on
    a phone or a Mac (overlay scrollbars, nothing drawn until you scroll) never learns that
    three more products exist. Today the row is 313 px (309 px at 375 px) and two 150 px
    cards plus the 8 px gap fill 308 px exactly: the third card shows 0 px."""
    for width, height in ((1280, 800), (375, 812)):
        page = await new_page(width, height)
        await page.goto(storefront.product_url(shop.widget_key))
        await open_widget(page)
        answer, _ = await ask(page, UNDER_30)
        row = answer.get_by_test_id("shopbot-product-card").first.locator("xpath=ancestor::ul[1]")
        visible = await row.evaluate("""ul => {
          const box = ul.getBoundingClientRect();
          return [...ul.children].map((li) => {
            const b = li.getBoundingClientRect();
            return Math.max(0, Math.min(b.right, box.right) - Math.max(b.left, box.left));
          });
        }""")
        assert len(visible) == 5
        hidden = [px for px in visible if px < 150]
        assert hidden and hidden[0] >= 16, (
            f"at {width} px the first card that does not fit shows {hidden[0]:.0f} px "
            f"(cards: {visible})"
        )
