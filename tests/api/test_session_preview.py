"""The dashboard's live widget preview: the API's own public origin may open a session for
any bot, the session is a preview (visitor `preview:...`), and its conversations stay out of
the merchant's conversation list and analytics like `POST /v1/bots/{id}/try`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.sessions.preview import PREVIEW_VISITOR_PREFIX, preview_origin
from core.db.database import Database
from core.models import Conversation
from core.settings import Settings
from dashboard_api.bots.service import PREVIEW_VISITOR_PREFIX as DASHBOARD_PREVIEW_PREFIX
from dashboard_api.conversations.repository import ConversationFilter, filtered
from tests.api.harness import (
    Shop,
    assert_problem,
    bearer,
    client_for,
    make_deps,
    open_session,
    visitor_of,
)

API_URL = "https://api.shopbot.test/"
API_ORIGIN = "https://api.shopbot.test"


@pytest.fixture
async def api_with_url(db: Database, widget_js: Path) -> AsyncIterator[httpx.AsyncClient]:
    deps = make_deps(db, widget_js_path=widget_js)
    deps.settings = Settings(public_api_url=API_URL)
    async with client_for(create_app(deps)) as client:
        yield client


def test_the_preview_origin_is_the_public_urls_origin() -> None:
    assert preview_origin(Settings(public_api_url="https://API.shopbot.test:443/base/")) == (
        API_ORIGIN
    )
    assert preview_origin(Settings(public_api_url="http://127.0.0.1:8000")) == (
        "http://127.0.0.1:8000"
    )
    assert preview_origin(Settings(public_api_url=None)) is None
    assert PREVIEW_VISITOR_PREFIX == DASHBOARD_PREVIEW_PREFIX


async def test_the_api_origin_gets_a_preview_session_for_any_bot(
    api_with_url: httpx.AsyncClient, shop: Shop
) -> None:
    session = await open_session(api_with_url, shop, origin=API_ORIGIN)
    assert visitor_of(session["session_token"]).startswith(PREVIEW_VISITOR_PREFIX)
    # Its token works on the session endpoints from that origin (the bot does not list it).
    event = await api_with_url.post(
        "/widget/v1/events",
        json={"type": "open"},
        headers=bearer(session["session_token"], origin=API_ORIGIN),
    )
    assert event.status_code in (200, 202, 204), event.text


async def test_a_shop_session_is_not_a_preview(api_with_url: httpx.AsyncClient, shop: Shop) -> None:
    session = await open_session(api_with_url, shop)
    assert visitor_of(session["session_token"]).startswith("v_")


@pytest.mark.parametrize(
    "origin", ["https://evil.test", "http://api.shopbot.test", "https://api.shopbot.test:8443"]
)
async def test_foreign_origins_are_still_refused(
    api_with_url: httpx.AsyncClient, shop: Shop, origin: str
) -> None:
    response = await api_with_url.post(
        "/widget/v1/sessions", json={"widget_key": shop.widget_key}, headers={"Origin": origin}
    )
    assert_problem(response, 403, "origin_not_allowed")
    assert "access-control-allow-origin" not in response.headers


async def test_without_a_public_url_there_is_no_preview_origin(
    api: httpx.AsyncClient, shop: Shop
) -> None:
    response = await api.post(
        "/widget/v1/sessions",
        json={"widget_key": shop.widget_key},
        headers={"Origin": API_ORIGIN},
    )
    assert_problem(response, 403, "origin_not_allowed")


async def test_a_preview_conversation_is_marked_and_left_out_of_the_list(
    db: Database, shop: Shop, widget_js: Path
) -> None:
    from engine.answer import AnswerService
    from engine.embeddings import shared_local_embedder

    deps = make_deps(
        db, answer_service=AnswerService(db, shared_local_embedder()), widget_js_path=widget_js
    )
    deps.settings = Settings(public_api_url=API_URL)
    async with client_for(create_app(deps)) as client:
        token = (await open_session(client, shop, origin=API_ORIGIN))["session_token"]
        response = await client.post(
            "/widget/v1/chat",
            json={"message": "Do you sell rain jackets?"},
            headers=bearer(token, origin=API_ORIGIN),
        )
    assert response.status_code == 200, response.text
    conversation_id = uuid.UUID(response.json()["conversation_id"])
    async with db.tenant_session(shop.tenant_id) as session:
        stored = await session.get(Conversation, conversation_id)
        assert stored is not None and stored.visitor_id is not None
        assert stored.visitor_id.startswith(PREVIEW_VISITOR_PREFIX)
        listed = (await session.execute(filtered(shop.tenant_id, ConversationFilter()))).all()
        assert conversation_id not in {row[0].id for row in listed}
        everything = filtered(shop.tenant_id, ConversationFilter(include_previews=True))
        assert (await session.execute(everything)).all()
