"""The chart reads: `/v1/analytics/daily`, `/top-questions` and `/top-products`, with numbers
worked out by hand for a business in New York (UTC-5 in January), where some activity falls
on another calendar day than in UTC."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import update

from core.models import (
    Conversation,
    Feedback,
    Message,
    Product,
    StoreConnection,
    Tenant,
    WidgetEvent,
)
from tests.dashboard_api.harness import Merchant, add_member, register

WINDOW = {"from": "2025-01-09", "to": "2025-01-13"}
GHOST = uuid.UUID("00000000-0000-4000-8000-00000000abcd")  # cited, no longer in the catalogue


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def card(product_id: uuid.UUID, title: str, url: str) -> dict[str, Any]:
    return {"product_id": str(product_id), "title": title, "url": url, "price": "10.00"}


class Shop:
    def __init__(self, session, merchant: Merchant) -> None:
        self.session, self.merchant = session, merchant

    async def conversation(self, visitor: str, created: str) -> Conversation:
        conversation = Conversation(
            tenant_id=self.merchant.tenant_id,
            bot_id=self.merchant.bot_id,
            visitor_id=visitor,
            created_at=at(created),
        )
        self.session.add(conversation)
        await self.session.flush()
        return conversation

    async def turn(
        self,
        conversation: Conversation,
        asked: str,
        question: str,
        status: str | None,
        cards: list[dict[str, Any]] | None = None,
        rating: tuple[str, str] | None = None,
    ) -> None:
        tenant = self.merchant.tenant_id
        self.session.add(
            Message(
                tenant_id=tenant,
                conversation_id=conversation.id,
                role="user",
                content=question,
                created_at=at(asked),
            )
        )
        if status is None:  # no reply was stored
            await self.session.flush()
            return
        reply = Message(
            tenant_id=tenant,
            conversation_id=conversation.id,
            role="assistant",
            content="reply",
            status=status,
            sources=cards or [],
            created_at=at(asked) + timedelta(seconds=5),
        )
        self.session.add(reply)
        await self.session.flush()
        if rating:
            self.session.add(
                Feedback(
                    tenant_id=tenant,
                    message_id=reply.id,
                    rating=rating[0],
                    created_at=at(rating[1]),
                )
            )

    async def click(self, conversation: Conversation, product_id: uuid.UUID, when: str) -> None:
        self.session.add(
            WidgetEvent(
                tenant_id=self.merchant.tenant_id,
                bot_id=self.merchant.bot_id,
                conversation_id=conversation.id,
                type="product_click",
                product_id=product_id,
                created_at=at(when),
            )
        )


@pytest.fixture
async def catalogue(db, merchant: Merchant) -> dict[str, uuid.UUID]:
    tenant = merchant.tenant_id
    async with db.tenant_session(tenant) as session:
        await session.execute(
            update(Tenant).where(Tenant.id == tenant).values(timezone="America/New_York")
        )
        store = StoreConnection(
            tenant_id=tenant, base_url="https://shop.example", credentials_ciphertext=b"x"
        )
        session.add(store)
        await session.flush()
        ids = {}
        for external_id, name in (("1", "Alpine Rain Jacket"), ("2", "Trail Socks")):
            product = Product(
                tenant_id=tenant,
                store_id=store.id,
                external_id=external_id,
                name=name,
                permalink=f"https://shop.example/p/{external_id}",
                content_hash="x" * 64,
            )
            session.add(product)
            await session.flush()
            ids[name] = product.id
    return ids


@pytest.fixture
async def history(db, merchant: Merchant, catalogue: dict[str, uuid.UUID]) -> None:
    jacket, socks = catalogue["Alpine Rain Jacket"], catalogue["Trail Socks"]
    old_jacket_card = card(jacket, "Alpine Jacket (old title)", "https://old.example/j")
    async with db.tenant_session(merchant.tenant_id) as session:
        shop = Shop(session, merchant)
        # A: starts on Jan 9 in New York (22:30), its second question is on Jan 10 (00:10).
        a = await shop.conversation("v-a", "2025-01-10T03:30:00")
        await shop.turn(
            a,
            "2025-01-10T03:30:00",
            "Do you have rain jackets?",
            "ok",
            [old_jacket_card],
            ("up", "2025-01-10T03:31:00"),
        )
        await shop.turn(
            a,
            "2025-01-10T05:10:00",
            "do you have   RAIN jackets!!",
            "no_answer",
            rating=("down", "2025-01-10T05:11:00"),
        )
        # B: Jan 10, one answer citing three products; two cards clicked.
        b = await shop.conversation("v-b", "2025-01-10T15:00:00")
        await shop.turn(
            b,
            "2025-01-10T15:00:00",
            "Where is my order?",
            "ok",
            [
                old_jacket_card,
                card(socks, "Trail Socks", "https://shop.example/p/2"),
                card(GHOST, "Gone Boots", "https://shop.example/p/gone"),
            ],
        )
        await shop.click(b, socks, "2025-01-10T15:01:00")
        await shop.click(b, jacket, "2025-01-10T15:02:00")
        # C: 23:59 on Jan 11 in New York (Jan 12 in UTC); no reply was stored.
        c = await shop.conversation("v-c", "2025-01-12T04:59:00")
        await shop.turn(c, "2025-01-12T04:59:00", "Do you have rain jackets", None)
        # A dashboard preview counts nowhere.
        preview = await shop.conversation("preview:user:x", "2025-01-10T16:00:00")
        await shop.turn(
            preview, "2025-01-10T16:00:00", "Do you have rain jackets?", "ok", [old_jacket_card]
        )


async def get(client: httpx.AsyncClient, path: str, headers, **params) -> dict[str, Any]:
    response = await client.get(f"/v1/analytics/{path}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def day(date: str, *counts: int) -> dict[str, Any]:
    names = ("conversations", "messages", "answered", "no_answer", "thumbs_up", "thumbs_down")
    return {"date": date, **dict(zip(names, counts, strict=True))}


async def test_daily_counts_days_in_the_business_time_zone(
    client: httpx.AsyncClient, merchant: Merchant, history
) -> None:
    body = await get(client, "daily", merchant.headers, **WINDOW)
    assert body["from"] == "2025-01-09" and body["to"] == "2025-01-13"
    assert body["timezone"] == "America/New_York"
    assert body["days"] == [
        day("2025-01-09", 1, 1, 1, 0, 1, 0),
        day("2025-01-10", 1, 2, 1, 1, 0, 1),
        day("2025-01-11", 1, 1, 0, 0, 0, 0),
        day("2025-01-12", 0, 0, 0, 0, 0, 0),
    ]
    # The same window as instants (New York midnights) gives the summary the days add up to.
    summary = await get(
        client,
        "summary",
        merchant.headers,
        **{"from": "2025-01-09T05:00:00Z", "to": "2025-01-13T05:00:00Z"},
    )
    for name in ("conversations", "messages", "answered", "no_answer", "thumbs_up", "thumbs_down"):
        assert sum(d[name] for d in body["days"]) == summary[name], name
    # One bot's view: ours is everything, any other id is nothing.
    ours = await get(client, "daily", merchant.headers, bot_id=str(merchant.bot_id), **WINDOW)
    assert ours["days"] == body["days"]
    other = await get(client, "daily", merchant.headers, bot_id=str(uuid.uuid4()), **WINDOW)
    assert all(d == day(d["date"], 0, 0, 0, 0, 0, 0) for d in other["days"])


async def test_daily_defaults_to_the_30_days_ending_today(
    client: httpx.AsyncClient, merchant: Merchant, catalogue
) -> None:
    body = await get(client, "daily", merchant.headers)
    today = datetime.now(ZoneInfo("America/New_York")).date()
    assert len(body["days"]) == 30 and body["days"][-1]["date"] == today.isoformat()


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-01-09", "to": "2025-01-09"},
        {"from": "2025-01-09", "to": "2025-01-08"},
        {"from": "2024-01-01", "to": "2025-01-02"},  # 367 days
        {"from": "9999-12-31"},  # its default `to` is past the calendar
        {"from": "2025-13-01"},
    ],
)
async def test_invalid_windows_are_422(
    client: httpx.AsyncClient, merchant: Merchant, params: dict[str, str]
) -> None:
    for path in ("daily", "top-questions", "top-products"):
        response = await client.get(
            f"/v1/analytics/{path}", headers=merchant.headers, params=params
        )
        assert response.status_code == 422, (path, params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_full_year_is_allowed(client: httpx.AsyncClient, merchant: Merchant) -> None:
    body = await get(
        client, "daily", merchant.headers, **{"from": "2024-01-01", "to": "2025-01-01"}
    )
    assert len(body["days"]) == 366


async def test_top_products_count_cards_and_clicks(
    client: httpx.AsyncClient, merchant: Merchant, history, catalogue
) -> None:
    body = await get(client, "top-products", merchant.headers, **WINDOW)
    assert body["products"] == [
        {
            "product_id": str(catalogue["Alpine Rain Jacket"]),
            "name": "Alpine Rain Jacket",  # the catalogue's name, not the card's old title
            "permalink": "https://shop.example/p/1",
            "shown": 2,
            "clicks": 1,
            "added_to_cart": 0,
        },
        {
            "product_id": str(catalogue["Trail Socks"]),
            "name": "Trail Socks",
            "permalink": "https://shop.example/p/2",
            "shown": 1,
            "clicks": 1,
            "added_to_cart": 0,
        },
        {
            "product_id": str(GHOST),
            "name": "Gone Boots",
            "permalink": "https://shop.example/p/gone",
            "shown": 1,
            "clicks": 0,
            "added_to_cart": 0,
        },
    ]
    # Jan 12 only (New York): nothing was shown or clicked.
    quiet = await get(
        client, "top-products", merchant.headers, **{"from": "2025-01-12", "to": "2025-01-13"}
    )
    assert quiet["products"] == []


async def test_viewers_read_them_and_other_businesses_see_none_of_it(
    app, db, client: httpx.AsyncClient, merchant: Merchant, history
) -> None:
    viewer = await add_member(app, db, merchant.tenant_id, "viewer")
    for path in ("daily", "top-questions", "top-products"):
        assert (await client.get(f"/v1/analytics/{path}", headers=viewer)).status_code == 200
        assert (await client.get(f"/v1/analytics/{path}")).status_code == 401

    other = await register(client, "Other Shop")
    mine = {**WINDOW, "bot_id": str(merchant.bot_id)}
    daily = await get(client, "daily", other.headers, **mine)
    assert daily["timezone"] == "UTC"
    assert all(d == day(d["date"], 0, 0, 0, 0, 0, 0) for d in daily["days"])
    assert (await get(client, "top-questions", other.headers, **mine))["questions"] == []
    assert (await get(client, "top-products", other.headers, **mine))["products"] == []
