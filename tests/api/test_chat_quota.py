"""POST /widget/v1/chat when the business's messages for the month run out: a 402
problem+json with the fallback (JSON), a 200 stream whose one event is `error` with the
fallback (SSE), and exact admission under a burst of concurrent shoppers."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import update

from api.app import create_app
from core.billing import usage
from core.db.database import Database
from core.models import Tenant
from core.models.billing import UsageMetric
from engine.answer import AnswerService
from tests.api.harness import (
    Shop,
    assert_problem,
    bearer,
    client_for,
    make_deps,
    open_session,
    provision_shop,
    sse_events,
    update_bot,
)
from tests.dashboard_api.support import HashingEmbedder

FREE_MESSAGES = 500  # the Free plan's messages_per_month (migration 0005)
FALLBACK = "Our assistant is resting. Email help@alpha.test and we reply within a day."
SSE = {"Accept": "text/event-stream"}


async def _use_up(db: Database, shop: Shop, leave: int = 0) -> None:
    async with db.tenant_session(shop.tenant_id) as session:
        await usage.add(session, shop.tenant_id, UsageMetric.MESSAGES, FREE_MESSAGES - leave)


async def _messages_used(db: Database, shop: Shop) -> int:
    async with db.tenant_session(shop.tenant_id) as session:
        used = await usage.used_this_month(session, shop.tenant_id, [UsageMetric.MESSAGES])
    return used[UsageMetric.MESSAGES]


def _app(db: Database) -> Any:
    return create_app(make_deps(db, answer_service=AnswerService(db, HashingEmbedder())))


async def test_json_refusal_is_a_402_with_the_fallback_and_no_merchant_numbers(
    db: Database, shop: Shop
) -> None:
    await update_bot(db, shop, fallback_message=FALLBACK)
    await _use_up(db, shop)
    async with client_for(_app(db)) as client:
        token = (await open_session(client, shop))["session_token"]
        response = await client.post(
            "/widget/v1/chat", json={"message": "do you sell tents?"}, headers=bearer(token)
        )
    body = assert_problem(response, 402, "quota_exceeded")
    assert set(body) - {"instance"} == {
        "type",
        "title",
        "status",
        "code",
        "detail",
        "quota",
        "fallback",
    }
    assert (body["quota"], body["fallback"]) == ("messages_per_month", FALLBACK)
    assert response.headers["access-control-allow-origin"] == shop.origin, "the widget reads it"


async def test_sse_refusal_is_one_error_event_with_the_contact_details(
    db: Database, shop: Shop
) -> None:
    async with db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == shop.tenant_id).values(support_email="hi@alpha.test")
        )
    await _use_up(db, shop)
    async with client_for(_app(db)) as client:
        token = (await open_session(client, shop))["session_token"]
        response = await client.post(
            "/widget/v1/chat",
            json={"message": "do you sell tents?"},
            headers={**bearer(token), **SSE},
        )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert [name for name, _ in events] == ["error"]
    data = events[0][1]
    assert set(data) == {"code", "detail", "fallback"}
    assert data["code"] == "quota_exceeded"
    assert data["fallback"].endswith("You can reach us at hi@alpha.test.")


async def test_the_chat_operation_documents_the_402(db: Database) -> None:
    async with client_for(_app(db)) as client:
        document = (await client.get("/openapi.json")).json()
    operation = document["paths"]["/widget/v1/chat"]["post"]
    refused = operation["responses"]["402"]["content"]["application/problem+json"]["schema"]
    assert refused == {"$ref": "#/components/schemas/QuotaProblem"}
    schema = document["components"]["schemas"]["QuotaProblem"]
    assert {"code", "quota", "fallback"} <= set(schema["required"])
    assert "quota_exceeded" in operation["responses"]["200"]["description"]


async def _ask(app: Any, shop: Shop, index: int, *, stream: bool) -> str:
    """One shopper (own address, own session) asking once: "answered" or "refused"."""
    async with client_for(app, ip=f"198.51.100.{index + 1}") as client:
        token = (await open_session(client, shop))["session_token"]
        headers = {**bearer(token), **(SSE if stream else {})}
        response = await client.post(
            "/widget/v1/chat", json={"message": f"do you sell tents? ({index})"}, headers=headers
        )
    if not stream:
        if response.status_code == 200:
            return "answered"
        body = assert_problem(response, 402, "quota_exceeded")
        assert body["fallback"] == FALLBACK
        return "refused"
    assert response.status_code == 200, response.text
    events = sse_events(response.text)
    if events[-1][0] == "done":
        return "answered"
    assert [name for name, _ in events] == ["error"], events
    assert (events[0][1]["code"], events[0][1]["fallback"]) == ("quota_exceeded", FALLBACK)
    return "refused"


@pytest.mark.timeout(180)
async def test_fifty_concurrent_shoppers_at_limit_minus_ten_get_exactly_ten_answers(
    committed_db: Database,
) -> None:
    db = committed_db
    shop = await provision_shop(db, name=f"Busy Alpha {uuid.uuid4()}")
    await update_bot(db, shop, fallback_message=FALLBACK)
    await _use_up(db, shop, leave=10)
    app = _app(db)

    outcomes = await asyncio.gather(
        *(_ask(app, shop, i, stream=i % 2 == 1) for i in range(50))  # 25 JSON, 25 SSE
    )

    by_mode = Counter((("sse" if i % 2 else "json"), o) for i, o in enumerate(outcomes))
    assert sum(n for (_, o), n in by_mode.items() if o == "answered") == 10, by_mode
    assert sum(n for (_, o), n in by_mode.items() if o == "refused") == 40, by_mode
    # At most 10 of each 25 were answered: both modes refused, each in its own shape.
    assert by_mode[("json", "refused")] >= 15 and by_mode[("sse", "refused")] >= 15
    assert await _messages_used(db, shop) == FREE_MESSAGES
