"""The issue's proof: a merchant onboards through the web app alone, against the real server.

Sign up → verify the email from the mail the SMTP server received → business profile →
connect the fake WooCommerce store → sync with live progress → configure the bot with its live
widget preview → allow the storefront's origin → copy the snippet → the widget on the
storefront (another origin) answers → the conversation and the analytics show it.

Every page visited is screenshotted at 1280 and 390 px (test-artifacts/dashboard/) and
checked by axe-core; serious and critical violations fail the test, all listed at the end.
"""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import expect

from tests.browser.harness import browser_test
from tests.browser.widget import ANSWER, open_widget, send
from tests.support.dashboard_web import (
    AXE_JS,
    DashboardServer,
    PageAudit,
    SnippetStorefront,
    require_axe,
)
from tests.support.mail import SmtpTestServer
from tests.support.woo_store import FakeWooStore

pytestmark = browser_test

PASSWORD = "correct-horse-battery-9"
COLOUR = "#7a3e00"
COLOUR_RGB = "rgb(122, 62, 0)"
GREETING = "Howdy from Peak Outfitters! Ask me about hats."
# The fake store's catalogue (generate_catalog(12, seed=15)) has a "Nordkap Rain Jacket".
QUESTION = "Do you have a rain jacket for hiking?"
STEP_TIMEOUT_MS = 15_000


def _verification_link(mail_body: str) -> str:
    match = re.search(r"https?://\S+?/verify-email/?\?token=[A-Za-z0-9_\-.]+", mail_body)
    assert match, f"no verification link in the mail:\n{mail_body}"
    return match.group(0)


async def _heading(page: Any, name: str) -> None:
    await page.get_by_role("heading", name=name, level=1).wait_for(timeout=STEP_TIMEOUT_MS)


async def _sign_up(page: Any, dashboard: DashboardServer, audit: PageAudit, email: str) -> None:
    await page.goto(dashboard.app("sign-up/"))
    await page.get_by_text("Create your account").first.wait_for()
    await audit.check(page, "sign-up")
    await page.get_by_label("Business name").fill("Peak Outfitters")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Create account").click()
    await _heading(page, "Get started")
    await page.get_by_text("Verify your email").first.wait_for()
    await audit.check(page, "overview")


async def _verify_email(page: Any, mailbox: SmtpTestServer, audit: PageAudit, email: str) -> None:
    mail = mailbox.wait_for(email, timeout=20)
    await page.goto(_verification_link(mail.body))
    await page.get_by_text("Email verified").wait_for(timeout=STEP_TIMEOUT_MS)
    await audit.check(page, "verify-email")
    await page.get_by_role("link", name="Continue").click()


async def _business_profile(page: Any, dashboard: DashboardServer, audit: PageAudit) -> None:
    await page.goto(dashboard.app("profile/"))
    await _heading(page, "Business profile")
    await page.get_by_label("Website").fill("https://peak-outfitters.example")
    await page.get_by_label("Support email").fill("help@peak-outfitters.example")
    await page.get_by_label("Shipping policy").fill("Free shipping on orders over $50.")
    await page.get_by_label("Returns policy").fill("Returns within 30 days.")
    await page.get_by_role("button", name="Save profile").click()
    await page.get_by_role("status").filter(has_text="Profile saved").wait_for()
    await audit.check(page, "profile")


async def _connect_and_sync(
    page: Any, dashboard: DashboardServer, audit: PageAudit, store: FakeWooStore
) -> None:
    await page.goto(dashboard.app("stores/"))
    await _heading(page, "Stores")
    await page.get_by_role("button", name="Connect a store").click()
    dialog = page.get_by_role("dialog")
    await dialog.get_by_label("Store URL").fill(store.url)
    await dialog.get_by_label("Consumer key").fill(store.consumer_key)
    await dialog.get_by_label("Consumer secret").fill(store.consumer_secret)
    await dialog.get_by_role("button", name="Connect", exact=True).click()
    await dialog.wait_for(state="hidden", timeout=STEP_TIMEOUT_MS)
    await page.get_by_role("button", name="Sync now").first.click()
    # Seen while the job is queued or running (the page polls it every second).
    await page.get_by_role("progressbar", name="Sync progress").wait_for(timeout=STEP_TIMEOUT_MS)
    await page.get_by_text("Sync completed").wait_for(timeout=60_000)
    await audit.check(page, "stores")


async def _configure_bot(page: Any, audit: PageAudit) -> str:
    """Set the colour and greeting, see them in the live preview, save; the bot's id."""
    await page.get_by_role("navigation").get_by_role("link", name="Bots").first.click()
    await _heading(page, "Bots")
    await audit.check(page, "bots")
    await page.get_by_role("link", name="Configure").first.click()
    await page.wait_for_url(re.compile(r"/app/bots/edit/\?id="))
    bot_id = parse_qs(urlsplit(page.url).query)["id"][0]
    await page.get_by_role("tab", name="Persona").click()
    await page.get_by_label("Greeting").fill(GREETING)
    await page.get_by_role("tab", name="Appearance").click()
    colour = page.get_by_label("Primary colour")
    # A colour picker paired with a hex text box: type into the text box when there is one.
    boxes = [c for c in await colour.all() if await c.get_attribute("type") != "color"]
    await (boxes[0] if boxes else colour.first).fill(COLOUR)
    await _preview_shows(page)
    await audit.check(page, "bot-edit")
    await page.get_by_role("button", name="Save changes").click()
    await page.get_by_role("status").filter(has_text="Saved").wait_for()
    return bot_id


async def _preview_shows(page: Any) -> None:
    # The preview is re-created (debounced) from the unsaved values: wait for the frame
    # that carries both, then look inside it (locators pierce the widget's shadow root).
    await page.wait_for_function(
        """([colour, greeting]) => {
             const frame = document.querySelector('iframe[title="Widget preview"]');
             const query = frame && new URL(frame.src, location.href).searchParams;
             return !!query && query.get('color') === colour && query.get('greeting') === greeting;
           }""",
        arg=[COLOUR, GREETING],
        timeout=STEP_TIMEOUT_MS,
    )
    preview = page.frame_locator('iframe[title="Widget preview"]')
    # The preview column is under 480 px wide, where the widget never opens by itself (it
    # would be a full-screen sheet): open it as the merchant would, with its launcher.
    launcher = preview.get_by_test_id("shopbot-launcher")
    await launcher.wait_for(timeout=STEP_TIMEOUT_MS)
    if await launcher.get_attribute("aria-expanded") != "true":
        await launcher.click()
    greeting = preview.get_by_test_id("shopbot-message").filter(has_text=GREETING)
    await greeting.wait_for(timeout=STEP_TIMEOUT_MS)
    painted = await preview.get_by_test_id("shopbot-host").evaluate(
        """(host, rgb) => [...host.shadowRoot.querySelectorAll('*')]
             .some((el) => getComputedStyle(el).backgroundColor === rgb)""",
        COLOUR_RGB,
    )
    assert painted, f"nothing in the widget preview is painted {COLOUR}"


async def _allow_origin(page: Any, origin: str) -> None:
    """The storefront's origin through the "Origins" tab: "Add origin" adds an empty
    "Allowed origin N" field."""
    await page.get_by_role("tab", name="Origins").click()
    await page.get_by_role("button", name="Add origin").click()
    await page.get_by_label(re.compile(r"^Allowed origin \d+$")).last.fill(origin)
    await page.get_by_role("button", name="Save changes").click()
    await page.get_by_role("status").filter(has_text="Saved").wait_for()


async def _copy_snippet(page: Any, dashboard: DashboardServer, audit: PageAudit) -> str:
    await page.goto(dashboard.app("install/"))
    await _heading(page, "Install")
    await page.locator("pre code").first.wait_for()
    await audit.check(page, "install")
    await page.get_by_role("button", name="Copy snippet").click()
    await page.get_by_text("Copied").first.wait_for()
    snippet = await page.evaluate("() => navigator.clipboard.readText()")
    assert "data-widget-key" in snippet and "/widget.js" in snippet, snippet
    return str(snippet)


async def _shopper_asks(page: Any, storefront: SnippetStorefront, audit: PageAudit) -> None:
    await page.goto(f"{storefront.origin}/")
    await open_widget(page)
    await send(page, QUESTION)
    answer = page.locator(ANSWER).first
    await answer.wait_for(state="visible", timeout=30_000)
    text = await answer.text_content() or ""
    assert "Rain Jacket" in text, f"the widget's answer does not show the jacket: {text!r}"
    await audit.check(page, "storefront")


async def _insights(page: Any, dashboard: DashboardServer, audit: PageAudit) -> None:
    await page.goto(dashboard.app("conversations/"))
    await _heading(page, "Conversations")
    # The list's rows (ConversationSummary) carry no message text: the first message is
    # checked on the conversation's own page, which the row links to.
    row_link = page.locator("main table tbody a").first
    await row_link.wait_for(timeout=STEP_TIMEOUT_MS)
    await audit.check(page, "conversations")
    await row_link.click()
    await _heading(page, "Conversation")
    await page.get_by_text(QUESTION).first.wait_for(timeout=STEP_TIMEOUT_MS)
    await audit.check(page, "conversation")
    await page.goto(dashboard.app("analytics/"))
    await _heading(page, "Analytics")
    # The summary card's own value (a <dd> beside its <dt>): the charts below also hold
    # "Conversations" and digits, and render later on a loaded machine.
    value = (
        page.locator("main dl > div")
        .filter(has=page.locator("dt", has_text=re.compile(r"^Conversations$")))
        .locator("dd")
    )
    await expect(value).to_have_text(re.compile(r"^[1-9][\d,]*$"), timeout=STEP_TIMEOUT_MS)
    await audit.check(page, "analytics")


async def test_a_merchant_onboards_and_sees_the_first_conversation(
    browser: Any,
    dashboard: DashboardServer,
    mailbox: SmtpTestServer,
    woo_store: FakeWooStore,
    snippet_storefront: SnippetStorefront,
) -> None:
    require_axe()
    audit = PageAudit()
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="en-US",
        timezone_id="UTC",
        reduced_motion="reduce",
        service_workers="block",
    )
    await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=dashboard.url)
    await context.add_init_script(path=str(AXE_JS))
    errors: list[str] = []
    console: list[str] = []  # printed on failure: CSP and framing refusals show up here
    email = f"owner-{uuid.uuid4().hex[:8]}@peak-outfitters.example"
    try:
        page = await context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: console.append(message.text) if message.type == "error" else None,
        )
        page.on(
            "response",
            lambda response: (
                console.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        await _sign_up(page, dashboard, audit, email)
        await _verify_email(page, mailbox, audit, email)
        await _business_profile(page, dashboard, audit)
        await _connect_and_sync(page, dashboard, audit, woo_store)
        await _configure_bot(page, audit)
        await _allow_origin(page, snippet_storefront.origin)
        snippet_storefront.paste(await _copy_snippet(page, dashboard, audit))
        await _shopper_asks(await context.new_page(), snippet_storefront, audit)
        await _insights(page, dashboard, audit)
    except Exception:
        print("--- console errors ---", *console, sep="\n")
        print(f"--- shopbot serve log ---\n{dashboard.log_tail()}")
        raise
    finally:
        await context.close()
    assert not errors, f"uncaught errors in the pages: {errors}"
    assert not audit.violations, f"axe-core (serious/critical):\n{audit.report()}"
