"""Conversations: filters, one conversation with messages and sources, streamed export;
and the analytics summary over the same data."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.models import Conversation, Feedback, Message, WidgetEvent
from tests.dashboard_api.harness import Merchant

SOURCE = {
    "product_id": "00000000-0000-0000-0000-000000000001",
    "title": "Alpine Rain Jacket",
    "price": "89.00",
}


@pytest.fixture
async def history(db, merchant: Merchant) -> dict[str, Conversation]:
    """Three shopper conversations (answered+thumbs up, no answer+thumbs down, a formula
    injection attempt) and one dashboard preview."""
    tenant = merchant.tenant_id
    conversations: dict[str, Conversation] = {}
    async with db.tenant_session(tenant) as session:
        for name, visitor, status, rating, question in (
            ("good", "v-good", "ok", "up", "rain jacket?"),
            ("empty", "v-empty", "no_answer", "down", "do you sell boats?"),
            ("formula", "v-formula", "ok", None, '=HYPERLINK("http://evil")'),
            ("preview", "preview:user:x", "no_answer", None, "test"),
        ):
            conversation = Conversation(
                tenant_id=tenant, bot_id=merchant.bot_id, visitor_id=visitor, message_count=2
            )
            session.add(conversation)
            await session.flush()
            # Explicit times: everything here shares one transaction (and so one now()).
            asked = datetime.now(UTC) - timedelta(seconds=5)
            session.add(
                Message(
                    tenant_id=tenant,
                    conversation_id=conversation.id,
                    role="user",
                    content=question,
                    created_at=asked,
                )
            )
            await session.flush()
            answer = Message(
                tenant_id=tenant,
                conversation_id=conversation.id,
                role="assistant",
                content=f"answer to {name}",
                created_at=asked + timedelta(seconds=1),
                status=status,
                sources=[SOURCE] if status == "ok" else [],
            )
            session.add(answer)
            await session.flush()
            if rating:
                session.add(
                    Feedback(
                        tenant_id=tenant,
                        message_id=answer.id,
                        rating=rating,
                        comment="thanks" if rating == "up" else None,
                    )
                )
            conversations[name] = conversation
        session.add(
            WidgetEvent(
                tenant_id=tenant,
                bot_id=merchant.bot_id,
                conversation_id=conversations["good"].id,
                type="product_click",
            )
        )
        session.add(WidgetEvent(tenant_id=tenant, bot_id=merchant.bot_id, type="open"))
    return conversations


async def _ids(client: httpx.AsyncClient, merchant: Merchant, **params) -> set[str]:
    response = await client.get("/v1/conversations", headers=merchant.headers, params=params)
    assert response.status_code == 200, response.text
    return {c["id"] for c in response.json()["items"]}


async def test_filters(client: httpx.AsyncClient, merchant: Merchant, history) -> None:
    ids = {name: str(c.id) for name, c in history.items()}
    assert await _ids(client, merchant) == {ids["good"], ids["empty"], ids["formula"]}
    assert await _ids(client, merchant, rating="up") == {ids["good"]}
    assert await _ids(client, merchant, rating="down") == {ids["empty"]}
    assert await _ids(client, merchant, has_no_answer="true") == {ids["empty"]}
    assert await _ids(client, merchant, has_no_answer="true", include_previews="true") == {
        ids["empty"],
        ids["preview"],
    }
    assert await _ids(client, merchant, has_no_answer="false") == {ids["good"], ids["formula"]}
    assert await _ids(client, merchant, bot_id=str(merchant.bot_id), rating="up") == {ids["good"]}
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert await _ids(client, merchant, **{"from": future}) == set()
    assert len(await _ids(client, merchant, to=future)) == 3


async def test_list_shows_the_first_question_and_searches_message_text(
    client: httpx.AsyncClient, merchant: Merchant, history
) -> None:
    ids = {name: str(c.id) for name, c in history.items()}
    response = await client.get("/v1/conversations", headers=merchant.headers)
    first = {c["id"]: c["first_message"] for c in response.json()["items"]}
    assert first[ids["good"]] == "rain jacket?"
    assert first[ids["empty"]] == "do you sell boats?"
    assert await _ids(client, merchant, q="BOATS") == {ids["empty"]}
    assert await _ids(client, merchant, q="answer to good") == {ids["good"]}
    # LIKE's wildcards are literal: "%" matches no message here, "_" neither.
    assert await _ids(client, merchant, q="%") == set()
    assert await _ids(client, merchant, q="_") == set()
    response = await client.get("/v1/conversations", headers=merchant.headers, params={"q": ""})
    assert response.status_code == 422


async def test_one_conversation_with_messages_sources_and_feedback(
    client: httpx.AsyncClient, merchant: Merchant, history
) -> None:
    body = (
        await client.get(f"/v1/conversations/{history['good'].id}", headers=merchant.headers)
    ).json()
    assert [m["role"] for m in body["messages"]] == ["user", "assistant"]
    assert body["messages"][1]["sources"] == [SOURCE]
    assert body["messages"][1]["feedback"]["rating"] == "up" and body["thumbs_up"] == 1


async def test_export_csv_and_json(client: httpx.AsyncClient, merchant: Merchant, history) -> None:
    response = await client.get(
        "/v1/conversations/export", headers=merchant.headers, params={"format": "csv"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 6  # three conversations, two messages each; the preview is left out
    injected = next(r for r in rows if "HYPERLINK" in r["content"])
    assert injected["content"].startswith("'=")
    assert {r["rating"] for r in rows} == {"up", "down", ""}

    exported = await client.get(
        "/v1/conversations/export",
        headers=merchant.headers,
        params={"format": "json", "rating": "down"},
    )
    assert exported.headers["content-type"].startswith("application/json")
    data = json.loads(exported.text)
    assert [c["id"] for c in data] == [str(history["empty"].id)] and len(data[0]["messages"]) == 2


async def test_analytics_summary(client: httpx.AsyncClient, merchant: Merchant, history) -> None:
    summary = (await client.get("/v1/analytics/summary", headers=merchant.headers)).json()
    assert summary["conversations"] == 3  # the preview does not count
    assert summary["messages"] == 3 and summary["answers"] == 3
    assert (
        summary["answered"] == 2
        and summary["no_answer"] == 1
        and summary["answer_rate"] == round(2 / 3, 4)
    )
    assert (
        summary["thumbs_up"] == 1 and summary["thumbs_down"] == 1 and summary["product_clicks"] == 1
    )
    assert "from" in summary and "to" in summary
    empty = (
        await client.get(
            "/v1/analytics/summary",
            headers=merchant.headers,
            params={"from": "2020-01-01T00:00:00Z", "to": "2020-02-01T00:00:00Z"},
        )
    ).json()
    assert empty["conversations"] == 0 and empty["answer_rate"] is None
    backwards = await client.get(
        "/v1/analytics/summary",
        headers=merchant.headers,
        params={"from": "2021-01-01", "to": "2020-01-01"},
    )
    assert backwards.status_code == 422
