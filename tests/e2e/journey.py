"""Steps the dashboard tour's tests share: a browsing session that records what went wrong in
its pages (uncaught errors, console errors, failed requests), signing in through the form,
and waiting for what a user sees (a page's heading, the shell's account line)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from tests.support.dashboard_web import DashboardServer, PageAudit, new_audited_context

STEP_TIMEOUT_MS = 15_000


def mailed_link(body: str, route: str) -> str:
    """The link to `/app/<route>?token=...` in a mail's body (the server links without the
    trailing slash; /app redirects to the page with the query string)."""
    match = re.search(rf"https?://\S+?/{re.escape(route)}/?\?token=[A-Za-z0-9_\-.]+", body)
    assert match, f"no {route} link in the mail:\n{body}"
    return match.group(0)


@dataclass
class Browsing:
    """One signed-out browser context with axe-core loaded, and what its pages reported."""

    context: Any
    server: DashboardServer
    audit: PageAudit = field(default_factory=PageAudit)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    async def new_page(self) -> Any:
        page = await self.context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.console.append(message.text) if message.type == "error" else None,
        )
        page.on(
            "response",
            lambda response: (
                self.console.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        return page

    def assert_clean(self) -> None:
        """No uncaught error in any page, and axe-core found nothing serious or critical."""
        assert not self.errors, f"uncaught errors in the pages: {self.errors}"
        assert not self.audit.violations, f"axe-core (serious/critical):\n{self.audit.report()}"


@contextlib.asynccontextmanager
async def browsing(browser: Any, server: DashboardServer) -> AsyncIterator[Browsing]:
    """A fresh context; on a failure, the console and the server's log are printed (pytest
    shows them with the failure)."""
    session = Browsing(await new_audited_context(browser), server)
    try:
        yield session
    except BaseException:
        print("--- console errors and failed requests ---", *session.console, sep="\n")
        print(f"--- shopbot serve log ---\n{server.log_tail()}")
        raise
    finally:
        await session.context.close()


async def heading(page: Any, name: str, timeout: int = STEP_TIMEOUT_MS) -> None:
    """The page's one h1, as the user reads it."""
    await page.get_by_role("heading", name=name, level=1).wait_for(timeout=timeout)


async def settled(page: Any) -> None:
    """Requests done (so the React app has hydrated the exported HTML before it is typed
    into: a form filled earlier would be submitted by the browser, not by the app)."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        await page.wait_for_load_state("networkidle", timeout=5_000)


async def sign_in(page: Any, email: str, password: str) -> None:
    """Fill and send the sign-in form the page is on; the app lands on "Get started"."""
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await heading(page, "Get started")


async def open_sign_in(page: Any, server: DashboardServer) -> None:
    await page.goto(server.app("sign-in/"))
    await page.get_by_role("button", name="Sign in").wait_for()
    await settled(page)


async def shell_shows(page: Any, email: str, role: str) -> None:
    """The navigation's account lines: the email (cut short with an ellipsis when long, the
    full address in its title) and, on a line of its own, always whole, the role."""
    nav = page.get_by_role("navigation", name="Dashboard")
    await nav.get_by_title(email).wait_for(timeout=STEP_TIMEOUT_MS)
    role_line = nav.get_by_text(f"Role: {role}", exact=True)
    await role_line.wait_for(timeout=STEP_TIMEOUT_MS)
    assert not await role_line.evaluate("el => el.scrollWidth > el.clientWidth"), "role cut off"


async def go_to(page: Any, server: DashboardServer, route: str, title: str) -> None:
    """A signed-in page by its address, waited for until its heading shows."""
    await page.goto(server.app(route))
    await heading(page, title)
