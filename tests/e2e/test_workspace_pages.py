"""The dashboard's workspace pages, each through a real flow against the real server: a
knowledge document added, an API key created (its secret shown once, working as a Bearer
token, then revoked), the audit log showing those actions, and billing on a server without
Stripe (the plan, the usage meters and the sentence that online payments are not set up).

Every page is screenshotted at 1280 and 390 px (test-artifacts/dashboard/) in the state a
user sees, dialogs open where cheap, and checked by axe-core (serious and critical
violations fail the test, all listed at its end).
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.browser.harness import browser_test
from tests.e2e.journey import Browsing, browsing, go_to, open_sign_in, sign_in
from tests.support.dashboard_web import DashboardServer, register_account

pytestmark = browser_test

DOC_TITLE = "Care of merino wool"
DOC_BODY = "Wash merino by hand in cold water and dry it flat; never tumble-dry it."
KEY_NAME = "Nightly stock report"
# The document is embedded by the real model in the server process (first use loads it).
INDEXING_TIMEOUT_MS = 60_000


async def _signed_in(session: Browsing, business_name: str) -> tuple[Any, str]:
    """A new merchant (through the API) signed in through the form: its page and email."""
    account = register_account(session.server, business_name)
    page = await session.new_page()
    await open_sign_in(page, session.server)
    await sign_in(page, account.email, account.password)
    return page, account.email


async def test_a_knowledge_document_is_added_and_listed(
    browser: Any, dashboard: DashboardServer
) -> None:
    async with browsing(browser, dashboard) as session:
        page, _ = await _signed_in(session, "Merino Mill")
        await go_to(page, dashboard, "knowledge/", "Knowledge")
        await page.get_by_text("No documents yet").wait_for()
        await session.audit.check(page, "knowledge-empty")

        await page.get_by_role("button", name="Add document").click()
        dialog = page.get_by_role("dialog", name="Add document")
        await dialog.get_by_label("Title").fill(DOC_TITLE)
        await dialog.get_by_label("Content").fill(DOC_BODY)
        await dialog.get_by_label("Kind").wait_for()
        await session.audit.check(page, "knowledge-add-dialog")
        await dialog.get_by_role("button", name="Add document").click()
        await dialog.wait_for(state="hidden", timeout=INDEXING_TIMEOUT_MS)

        row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=DOC_TITLE))
        await row.get_by_text("Indexed", exact=True).wait_for(timeout=INDEXING_TIMEOUT_MS)
        await row.get_by_role("button", name=f"Edit {DOC_TITLE}").wait_for()
        await session.audit.check(page, "knowledge")
    session.assert_clean()


async def test_an_api_key_works_once_created_and_stops_when_revoked_as_the_audit_log_shows(
    browser: Any, dashboard: DashboardServer
) -> None:
    async with browsing(browser, dashboard) as session:
        page, owner_email = await _signed_in(session, "Keystone Goods")
        await page.get_by_role("navigation").get_by_role("link", name="API keys").click()
        await page.get_by_role("heading", name="API keys", level=1).wait_for()
        await page.get_by_text("No API keys yet").wait_for()
        await session.audit.check(page, "api-keys-empty")

        await page.get_by_role("button", name="Create API key").click()
        dialog = page.get_by_role("dialog", name="Create API key")
        await dialog.get_by_label("Name").fill(KEY_NAME)
        await dialog.get_by_label("Access").select_option("read")
        await session.audit.check(page, "api-key-create-dialog")
        await dialog.get_by_role("button", name="Create key").click()
        shown = page.get_by_role("dialog", name="Your new API key")
        await shown.get_by_text("This key is shown only once").wait_for()
        secret = await shown.get_by_label("API key").input_value()
        assert len(secret) > 20, f"the dialog shows {secret!r} as the key"
        await session.audit.check(page, "api-key-secret")
        await shown.get_by_role("button", name="Done").click()
        await shown.wait_for(state="hidden")
        row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=KEY_NAME))
        await row.get_by_text("Read only").wait_for()
        assert secret not in await page.content(), "the secret is still in the page once closed"

        me = httpx.get(
            f"{dashboard.url}/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}, timeout=10
        )
        assert me.status_code == 200, me.text
        await session.audit.check(page, "api-keys")

        await row.get_by_role("button", name=f"Revoke {KEY_NAME}").click()
        confirm = page.get_by_role("dialog", name="Revoke this API key?")
        await confirm.get_by_text("Scripts using").wait_for()
        await session.audit.check(page, "api-key-revoke-dialog")
        await confirm.get_by_role("button", name="Revoke key").click()
        await page.get_by_role("status").filter(has_text=f"“{KEY_NAME}” was revoked").wait_for()
        await page.get_by_text("No API keys yet").wait_for()
        gone = httpx.get(
            f"{dashboard.url}/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}, timeout=10
        )
        assert gone.status_code == 401, gone.text

        await page.get_by_role("navigation").get_by_role("link", name="Audit log").click()
        await page.get_by_role("heading", name="Audit log", level=1).wait_for()
        for action in ("api_key.created", "api_key.revoked"):
            entry = page.get_by_role("row").filter(
                has=page.get_by_role("cell", name=action, exact=True)
            )
            await entry.get_by_role("cell", name=owner_email, exact=True).wait_for()
        await page.get_by_text("That is everything.").wait_for()
        await session.audit.check(page, "audit-log")
    session.assert_clean()


async def test_billing_without_stripe_shows_the_plan_the_usage_and_why_payments_are_off(
    browser: Any, dashboard: DashboardServer
) -> None:
    async with browsing(browser, dashboard) as session:
        page, _ = await _signed_in(session, "Lantern Supply")
        await page.get_by_role("navigation").get_by_role("link", name="Billing").click()
        await page.get_by_role("heading", name="Billing", level=1).wait_for()
        await page.get_by_text("Current plan").wait_for()
        await (
            page.get_by_role("status")
            .filter(has_text="Online payments are not set up on this Shopbot server")
            .wait_for()
        )
        for meter in ("Messages this month", "Bots", "Team seats"):
            await page.get_by_role("progressbar", name=meter, exact=True).wait_for()
        bots = await page.get_by_role("progressbar", name="Bots", exact=True).get_attribute(
            "aria-valuenow"
        )
        assert bots == "1", f"a new business has its default bot; the Bots meter reads {bots}"
        manage = page.get_by_role("button", name="Manage billing")
        assert await manage.is_disabled(), "Manage billing is enabled without Stripe"
        await session.audit.check(page, "billing")
    session.assert_clean()
