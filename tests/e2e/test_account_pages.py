"""The dashboard's account pages, each through a real flow against the real server and its
SMTP server: sign-in, a forgotten password reset from the mailed link, a teammate invited
by mail who joins with a password, and the app's not-found page.

Every page is screenshotted at 1280 and 390 px (test-artifacts/dashboard/) in the state a
user sees, dialogs open where cheap, and checked by axe-core (serious and critical
violations fail the test, all listed at its end).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.browser.harness import browser_test
from tests.e2e.journey import (
    browsing,
    heading,
    mailed_link,
    open_sign_in,
    settled,
    shell_shows,
    sign_in,
)
from tests.support.dashboard_web import DashboardServer, register_account
from tests.support.mail import SmtpTestServer

pytestmark = browser_test

NEW_PASSWORD = "a-brand-new-pass-phrase-7"
TEAMMATE_PASSWORD = "teammate-pass-phrase-31"


async def test_a_forgotten_password_is_reset_from_the_mailed_link(
    browser: Any, dashboard: DashboardServer, mailbox: SmtpTestServer
) -> None:
    account = register_account(dashboard, "Fjord Knits")
    async with browsing(browser, dashboard) as session:
        page = await session.new_page()
        await open_sign_in(page, dashboard)
        await page.get_by_text("Manage your store's shopping assistant.").wait_for()
        await session.audit.check(page, "sign-in")

        await page.get_by_role("link", name="Forgot your password?").click()
        await heading(page, "Reset your password")
        await settled(page)
        await session.audit.check(page, "forgot-password")
        await page.get_by_label("Email").fill(account.email)
        await page.get_by_role("button", name="Send reset link").click()
        sent = page.get_by_role("status").filter(has_text="a reset link is on its way")
        await sent.wait_for()
        await session.audit.check(page, "forgot-password-sent")

        mail = mailbox.wait_for(account.email, "Reset your Shopbot password", timeout=20)
        await page.goto(mailed_link(mail.body, "reset-password"))
        await heading(page, "Choose a new password")
        await settled(page)
        await session.audit.check(page, "reset-password")
        await page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        await page.get_by_label("Confirm password", exact=True).fill(NEW_PASSWORD)
        await page.get_by_role("button", name="Set new password").click()
        await page.get_by_role("status").filter(has_text="Your password is changed").wait_for()
        await session.audit.check(page, "reset-password-done")

        await page.get_by_role("link", name="Sign in").click()
        await page.get_by_role("button", name="Sign in").wait_for()
        await settled(page)
        await sign_in(page, account.email, NEW_PASSWORD)
        await shell_shows(page, account.email, "owner")
    session.assert_clean()
    # The old password no longer opens the account.
    old = httpx.post(
        f"{dashboard.url}/v1/auth/login",
        json={"email": account.email, "password": account.password},
        timeout=10,
    )
    assert old.status_code == 401, old.text


async def test_an_invited_teammate_joins_with_a_password_and_signs_in(
    browser: Any, dashboard: DashboardServer, mailbox: SmtpTestServer
) -> None:
    owner = register_account(dashboard, "Harbour Lights")
    # An address of ordinary length (the shell's account line must show its role).
    teammate = f"mia.{uuid.uuid4().hex[:4]}@harbour.example"
    async with browsing(browser, dashboard) as session:
        page = await session.new_page()
        await open_sign_in(page, dashboard)
        await sign_in(page, owner.email, owner.password)

        await page.get_by_role("navigation").get_by_role("link", name="Team").click()
        await heading(page, "Team")
        await page.get_by_role("cell", name=f"{owner.email} (you)").wait_for()
        await page.get_by_text("No pending invitations").wait_for()
        await session.audit.check(page, "team")

        await page.get_by_role("button", name="Invite a teammate").click()
        dialog = page.get_by_role("dialog", name="Invite a teammate")
        await dialog.get_by_label("Email").fill(teammate)
        await dialog.get_by_label("Role").select_option("admin")
        await dialog.get_by_text("Everything except owners").wait_for()  # the role's hint
        await session.audit.check(page, "team-invite-dialog")
        await dialog.get_by_role("button", name="Send invitation").click()
        await (
            dialog.get_by_role("status")
            .filter(has_text=f"Invitation sent to {teammate}")
            .wait_for()
        )
        await dialog.get_by_role("button", name="Done").click()
        await dialog.wait_for(state="hidden")
        pending = page.get_by_role("table", name="Invitations not accepted yet")
        await pending.get_by_role("cell", name=teammate, exact=True).wait_for()

        mail = mailbox.wait_for(teammate, "invited", timeout=20)
        link = mailed_link(mail.body, "accept-invitation")

    # The teammate, in a browser that was never signed in.
    async with browsing(browser, dashboard) as guest:
        page = await guest.new_page()
        await page.goto(link)
        await heading(page, "Join your team on Shopbot")
        await page.get_by_label("Confirm password", exact=True).wait_for()
        await settled(page)
        await guest.audit.check(page, "accept-invitation")
        await page.get_by_label("Password", exact=True).fill(TEAMMATE_PASSWORD)
        await page.get_by_label("Confirm password", exact=True).fill(TEAMMATE_PASSWORD)
        await page.get_by_role("button", name="Create account and join").click()
        joined = page.get_by_role("status").filter(has_text="You joined the team as admin")
        await joined.wait_for()
        await guest.audit.check(page, "accept-invitation-joined")
        # Accepting creates the account but opens no session: the page links to sign-in.
        await page.get_by_role("link", name="Sign in").click()
        await page.get_by_role("button", name="Sign in").wait_for()
        await settled(page)
        await sign_in(page, teammate, TEAMMATE_PASSWORD)
        await shell_shows(page, teammate, "admin")
        await page.get_by_role("navigation").get_by_role("link", name="Team").click()
        await page.get_by_role("cell", name=f"{teammate} (you)").wait_for()
        await page.get_by_role("cell", name=owner.email, exact=True).wait_for()
        await guest.audit.check(page, "team-as-teammate")
    session.assert_clean()
    guest.assert_clean()


async def test_an_unknown_address_shows_the_apps_not_found_page(
    browser: Any, dashboard: DashboardServer
) -> None:
    response = httpx.get(dashboard.app("nope/"), timeout=10)
    assert response.status_code == 404, response.status_code
    assert "Page not found" in response.text
    async with browsing(browser, dashboard) as session:
        page = await session.new_page()
        answer = await page.goto(dashboard.app("nope/"))
        assert answer is not None and answer.status == 404
        await heading(page, "Page not found")
        await page.get_by_text("This page does not exist in the dashboard.").wait_for()
        await page.get_by_role("link", name="Back to the dashboard").wait_for()
        await session.audit.check(page, "not-found")
    session.assert_clean()
