"""The widget API tests' helpers: the real app's dependencies and an httpx client over its
ASGI transport, provisioned shops, sessions, stored exchanges, problem+json and SSE checks.
Plain helpers; the fixtures are in conftest.py."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import update

from api.dependencies import AnswerStreamer, ApiDependencies
from api.sessions.tokens import SessionTokens
from core.db.database import Database
from core.ids import BotId, TenantId, new_id
from core.models import Bot, Conversation, Message
from core.provisioning import provision_tenant
from core.settings import Settings

SIGNING_KEY = "widget-api-tests-signing-key-" + "k" * 32
SHOP_ORIGIN = "https://shop.alpha.test"
BRAND_WILDCARD = "https://*.alpha-brand.test"
CLIENT_IP = "203.0.113.7"
CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@dataclass(frozen=True)
class Shop:
    tenant_id: TenantId
    bot_id: BotId
    widget_key: str
    origin: str = SHOP_ORIGIN


def make_deps(
    db: Database,
    *,
    redis: Redis | None = None,
    answer_service: AnswerStreamer | None = None,
    widget_js_path: Path | None = None,
) -> ApiDependencies:
    deps = ApiDependencies(
        db=db,
        settings=Settings(),
        signing_key=SIGNING_KEY,
        redis=redis,
        answer_service=answer_service,
    )
    if widget_js_path is not None:
        deps.widget_js_path = widget_js_path
    return deps


def client_for(app: Any, ip: str = CLIENT_IP) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://api.test")


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "code", "detail"} <= body.keys(), body
    assert body["status"] == status and body["code"] == code, body
    assert body["type"] == f"https://shopbot.dev/problems/{code}"
    assert isinstance(body["detail"], str) and body["detail"]
    for leak in ("Traceback", 'File "', "sqlalchemy", "psycopg"):
        assert leak not in response.text
    return body


async def provision_shop(db: Database, name: str = "Alpha Outdoors") -> Shop:
    created = await provision_tenant(db, name=name, allowed_origins=[SHOP_ORIGIN, BRAND_WILDCARD])
    return Shop(tenant_id=created.tenant_id, bot_id=created.bot_id, widget_key=created.widget_key)


async def update_bot(db: Database, shop: Shop, **values: Any) -> None:
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.tenant_id == shop.tenant_id, Bot.id == shop.bot_id)
            .values(**values)
        )


async def add_exchange(
    db: Database, shop: Shop, bot_id: uuid.UUID | None = None, visitor_id: str = "v_test"
) -> dict[str, uuid.UUID]:
    """A conversation of `visitor_id` with one question and one answer, as the answer
    service stores them."""
    conversation_id, question_id, answer_id = new_id(), new_id(), new_id()
    async with db.tenant_session(shop.tenant_id) as session:
        session.add(
            Conversation(
                id=conversation_id,
                tenant_id=shop.tenant_id,
                bot_id=bot_id or shop.bot_id,
                visitor_id=visitor_id,
                message_count=2,
            )
        )
        await session.flush()
        session.add_all(
            [
                Message(
                    id=question_id,
                    tenant_id=shop.tenant_id,
                    conversation_id=conversation_id,
                    role="user",
                    content="Do you sell rain jackets?",
                ),
                Message(
                    id=answer_id,
                    tenant_id=shop.tenant_id,
                    conversation_id=conversation_id,
                    role="assistant",
                    question_id=question_id,
                    content="Yes: the Blue Rain Jacket.",
                ),
            ]
        )
    return {"conversation_id": conversation_id, "question_id": question_id, "answer_id": answer_id}


async def open_session(
    client: httpx.AsyncClient, shop: Shop, origin: str | None = None
) -> dict[str, Any]:
    response = await client.post(
        "/widget/v1/sessions",
        json={"widget_key": shop.widget_key},
        headers={"Origin": origin or shop.origin},
    )
    assert response.status_code == 200, response.text
    return response.json()


def visitor_of(session_token: str) -> str:
    """The visitor a widget session token was issued to (read with the API's own verifier)."""
    return SessionTokens(SIGNING_KEY).verify(session_token).visitor_id


def bearer(token: str, origin: str = SHOP_ORIGIN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Origin": origin}


def sse_events(text: str) -> list[tuple[str, Any]]:
    """An SSE body as (event name, decoded data) pairs; comments (heartbeats) skipped."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.split("\n") if line and not line.startswith(":")
        )
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events
