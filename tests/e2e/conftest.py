"""End-to-end tests of the merchant web app: Debian's Chromium, driven by Playwright, against
a real `shopbot serve` serving the built export at /app/ (with the embedded PostgreSQL), a real
SMTP server, the fake WooCommerce store and a storefront on another origin.

Everything here is session-scoped and started once: the onboarding journey is one long test,
and the static-HTML test needs only the server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from emulators.catalog import generate_catalog
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS
from tests.support.dashboard_web import DashboardServer, SnippetStorefront, require_export
from tests.support.mail import SmtpTestServer
from tests.support.woo_store import FakeWooStore


@pytest.fixture(scope="session")
def dashboard_export() -> Path:
    return require_export()


@pytest.fixture(scope="session")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpTestServer]:
    # Plain SMTP: what is proven here is the link in the mail, not the transport's TLS
    # (tests/dashboard_api/test_email.py covers STARTTLS and AUTH).
    server = SmtpTestServer(tmp_path_factory.mktemp("smtp"), mode="plain").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def woo_store() -> Iterator[FakeWooStore]:
    # A small catalogue: the sync embeds every product with the real MiniLM on two cores.
    with FakeWooStore(generate_catalog(12, seed=15)) as store:
        yield store


@pytest.fixture(scope="session")
def dashboard(
    owner_url: URL,
    mailbox: SmtpTestServer,
    woo_store: FakeWooStore,
    dashboard_export: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[DashboardServer]:
    server = DashboardServer(owner_url, mailbox, woo_store, tmp_path_factory.mktemp("serve"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def snippet_storefront() -> Iterator[SnippetStorefront]:
    site = SnippetStorefront().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.async_api import async_playwright

    playwright = await async_playwright().start()
    chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        await chromium.close()
        await playwright.stop()
