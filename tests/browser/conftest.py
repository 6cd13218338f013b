"""Browser tests: Debian's Chromium, driven by Playwright, against the real app.

Two origins on 127.0.0.1: the Shopbot app (`AppServer`, the process's one ASGI app under
uvicorn) and a storefront (`Storefront`) whose product page carries the merchant's snippet.
Each test gets its own tenant (so its own widget key, rate-limit buckets and
sessionStorage key), created through `provision_tenant` with the storefront as the one
allowed origin and a small catalogue seeded with the real MiniLM embedder. Rate limits are
the product's defaults.

Every page fails its test on a JavaScript dialog (an `alert` means script ran), an uncaught
page error, or a request to any host but this machine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update
from sqlalchemy.engine import URL

from core.db.database import Database
from core.models import Bot, Product
from core.provisioning import provision_tenant
from emulators.openai import PacedFakeOpenAI
from engine.embeddings import shared_local_embedder
from engine.embeddings.base import Embedder, EmbeddingSpace
from engine.guardrails.spans import sentence_ends
from tests.browser.harness import (
    ARTIFACTS,
    CATALOGUE,
    CHROMIUM,
    CHROMIUM_ARGS,
    HOSTILE_TITLE,
    LOCAL_HOSTS,
    PageWatch,
    Shop,
)
from tests.browser.servers import AppServer, Storefront
from tests.browser.widget import RECORD_CHAT_STREAMS
from tests.support.index import seed_store


@pytest.fixture(scope="session")
def fake_llm() -> Iterator[PacedFakeOpenAI]:
    with PacedFakeOpenAI(sentence_ends=sentence_ends) as server:
        yield server


@pytest.fixture
def paced_llm(fake_llm: PacedFakeOpenAI) -> Iterator[PacedFakeOpenAI]:
    fake_llm.reset()
    yield fake_llm
    fake_llm.pace(first_token_delay_s=0.0, token_delay_s=0.0)
    fake_llm.reset()


@pytest.fixture(scope="session")
def app_server(owner_url: URL, app_url: URL, fake_llm: PacedFakeOpenAI) -> Iterator[AppServer]:
    server = AppServer(
        owner_url, app_url, openai_api_key=fake_llm.api_key, openai_base_url=fake_llm.base_url
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def storefront(app_server: AppServer) -> Iterator[Storefront]:
    store = Storefront(app_server.url).start()
    yield store
    store.stop()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.fail(
            "the browser tests need Playwright: pip install playwright==1.65.2 "
            "(never `playwright install`)"
        )
    playwright = await async_playwright().start()
    chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        await chromium.close()
        await playwright.stop()


class _RememberingEmbedder:
    """The real MiniLM, asked once per text: every test seeds the same catalogue."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, list[float]] = {}

    @property
    def space(self) -> EmbeddingSpace:
        return self._embedder.space

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(
                zip(missing, await self._embedder.embed_documents(missing), strict=True)
            )
        return [self._vectors[t] for t in texts]

    async def embed_query(self, text: str) -> list[float]:
        return await self._embedder.embed_query(text)


@pytest.fixture(scope="session")
def catalogue_embedder() -> _RememberingEmbedder:
    return _RememberingEmbedder(shared_local_embedder())


@pytest.fixture
async def shop(
    committed_db: Database, storefront: Storefront, catalogue_embedder: _RememberingEmbedder
) -> Shop:
    tenant = await provision_tenant(
        committed_db, name="Peak Outfitters", allowed_origins=[storefront.origin]
    )
    ids = await seed_store(committed_db, tenant.tenant_id, catalogue_embedder, CATALOGUE)
    async with committed_db.tenant_session(tenant.tenant_id) as session:
        # The app has the (fake) platform model configured, which new bots would use: these
        # tests expect the offline answerer's grounded answers unless one chooses the model.
        await session.execute(
            update(Bot).where(Bot.id == tenant.bot_id).values(llm_settings={"provider": "offline"})
        )
        for product in CATALOGUE:
            if product.name != HOSTILE_TITLE:
                await session.execute(
                    update(Product)
                    .where(Product.id == ids[product.name])
                    .values(image_url=storefront.image_url(product.external_id or ""))
                )
    return Shop(tenant.tenant_id, tenant.bot_id, tenant.widget_key, ids)


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
async def new_page(browser: Any, watch: PageWatch) -> AsyncIterator[Any]:
    """`await new_page(width=1280, height=800)`: a page in a fresh context (fresh
    sessionStorage), watched; all of them are closed after the test."""
    contexts: list[Any] = []

    async def make(width: int = 1280, height: int = 800) -> Any:
        context = await browser.new_context(
            viewport={"width": width, "height": height},
            locale="en-US",
            timezone_id="UTC",
            reduced_motion="reduce",
            service_workers="block",
        )
        contexts.append(context)
        await context.add_init_script(RECORD_CHAT_STREAMS)
        page = await context.new_page()
        page.set_default_timeout(10_000)

        async def on_dialog(dialog: Any) -> None:
            watch.dialogs.append(f"{dialog.type}: {dialog.message}")
            await dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.on("console", lambda message: watch.console.append((message.type, message.text)))
        # On the context, not the page: a keepalive request the page sends as it navigates
        # away (an Add to cart's event) belongs to a document that is gone by then, and the
        # page's listener missed it once (the clean suite run had its row, not its request).
        context.on(
            "request",
            lambda request: watch.requests.append((request.method, request.url, request.post_data)),
        )
        return page

    yield make
    for context in contexts:
        await context.close()
    assert not watch.dialogs, f"a JavaScript dialog opened, so injected script ran: {watch.dialogs}"
    assert not watch.errors, f"uncaught errors in the page: {watch.errors}"
    hosts = {urlsplit(url).hostname for _, url, _ in watch.requests}
    foreign = sorted({host for host in hosts if host is not None} - LOCAL_HOSTS)
    assert not foreign, f"the page reached beyond this machine: {foreign}"


@pytest.fixture
async def page(new_page: Any) -> Any:
    return await new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
