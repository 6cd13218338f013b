"""A shopper asks for a person on the storefront and the store answers from the dashboard:
the widget's offer shows the email form, the request is sent with consent, the merchant
finds the conversation under "Asked for a person", replies, and the reply appears in the
shopper's open widget (its poll), marked as from the store."""

from __future__ import annotations

from typing import Any

import httpx

from tests.browser.harness import browser_test
from tests.browser.widget import ANSWER, open_widget, send
from tests.e2e.journey import browsing, go_to, open_sign_in, sign_in
from tests.support.dashboard_web import DashboardServer, SnippetStorefront, register_account

pytestmark = browser_test

SHOPPER_EMAIL = "sam.shopper@example.org"
REPLY = "Hi Sam, Maria here: the beanie is back in stock on Friday."
# The widget polls every 10 s while a hand-off is open.
REPLY_TIMEOUT_MS = 40_000


def _prepare_store(server: DashboardServer, email: str, password: str, origin: str) -> str:
    """Through the API, as a script would: the storefront's origin allowed, a support email;
    returns the snippet."""
    with httpx.Client(base_url=server.url, timeout=30) as api:
        token = api.post("/v1/auth/login", json={"email": email, "password": password}).json()[
            "access_token"
        ]
        headers = {"Authorization": f"Bearer {token}"}
        bot = api.get("/v1/bots", headers=headers).json()["items"][0]
        patched = api.patch(
            f"/v1/bots/{bot['id']}", headers=headers, json={"allowed_origins": [origin]}
        )
        assert patched.status_code == 200, patched.text
        business = api.patch(
            "/v1/business", headers=headers, json={"support_email": "care@example.com"}
        )
        assert business.status_code == 200, business.text
        key = bot["widget_key"]
    return f'<script src="{server.url}/widget.js" data-widget-key="{key}" async></script>'


async def test_the_merchants_reply_reaches_the_shoppers_open_widget(
    browser: Any, dashboard: DashboardServer, snippet_storefront: SnippetStorefront
) -> None:
    account = register_account(dashboard, "Beanie Barn")
    snippet_storefront.paste(
        _prepare_store(dashboard, account.email, account.password, snippet_storefront.origin)
    )
    async with browsing(browser, dashboard) as session:
        shopper = await session.new_page()
        await shopper.goto(f"{snippet_storefront.origin}/")
        await open_widget(shopper)
        await send(shopper, "Can I talk to a real person?")
        await shopper.locator(ANSWER).last.wait_for()
        form = shopper.get_by_test_id("shopbot-handoff")
        await form.get_by_test_id("shopbot-handoff-email").fill(SHOPPER_EMAIL)
        await form.get_by_test_id("shopbot-handoff-consent").check()
        await form.get_by_role("button", name="Ask a person").click()
        await shopper.get_by_test_id("shopbot-handoff-sent").wait_for()
        await session.audit.check(shopper, "handoff-requested")

        merchant = await session.new_page()
        await open_sign_in(merchant, dashboard)
        await sign_in(merchant, account.email, account.password)
        await go_to(merchant, dashboard, "conversations/", "Conversations")
        await merchant.get_by_label("Asked for a person").select_option("open")
        await merchant.get_by_text("Can I talk to a real person?").first.click()
        await merchant.get_by_text(SHOPPER_EMAIL).wait_for()
        await session.audit.check(merchant, "handoff-conversation")
        await merchant.get_by_label("Your reply").fill(REPLY)
        await merchant.get_by_role("button", name="Send reply").click()
        await merchant.get_by_text("Reply sent.").wait_for()

        from_store = shopper.locator('[data-testid="shopbot-message"][data-role="merchant"]')
        await from_store.get_by_text(REPLY).wait_for(timeout=REPLY_TIMEOUT_MS)
        assert "From the store" in (await from_store.inner_text())
    session.assert_clean()
