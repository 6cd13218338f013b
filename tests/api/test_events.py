"""POST /widget/v1/events: analytics rows, references resolved inside the tenant and bot."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from core.db.database import Database
from core.ids import new_id
from core.models import Product, StoreConnection, WidgetEvent
from tests.api.harness import (
    Shop,
    add_exchange,
    assert_problem,
    bearer,
    open_session,
    provision_shop,
    visitor_of,
)


async def _add_product(db: Database, shop: Shop, external_id: str) -> uuid.UUID:
    store_id, product_id = new_id(), new_id()
    async with db.tenant_session(shop.tenant_id) as session:
        session.add(
            StoreConnection(
                id=store_id,
                tenant_id=shop.tenant_id,
                base_url="https://shop.alpha.test",
                credentials_ciphertext=b"x",
            )
        )
        await session.flush()
        session.add(
            Product(
                id=product_id,
                tenant_id=shop.tenant_id,
                store_id=store_id,
                external_id=external_id,
                name="Blue Rain Jacket",
                content_hash="0" * 64,
            )
        )
    return product_id


async def _events(db: Database, shop: Shop) -> list[WidgetEvent]:
    async with db.tenant_session(shop.tenant_id) as session:
        return list(
            (await session.scalars(select(WidgetEvent).order_by(WidgetEvent.created_at))).all()
        )


async def test_product_clicks_resolve_our_id_and_the_stores_id(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    product_id = await _add_product(db, shop, external_id="101")
    token = (await open_session(api, shop))["session_token"]
    exchange = await add_exchange(db, shop, visitor_id=visitor_of(token))
    for given in (str(product_id), "101", 101):
        response = await api.post(
            "/widget/v1/events",
            json={
                "type": "product_click",
                "product_id": given,
                "message_id": str(exchange["answer_id"]),
                "url": "https://shop.alpha.test/p/blue-rain-jacket",
            },
            headers=bearer(token),
        )
        assert response.status_code == 202, response.text
        assert response.content == b""
    events = await _events(db, shop)
    assert [(e.type, e.product_id, e.message_id, e.conversation_id) for e in events] == [
        ("product_click", product_id, exchange["answer_id"], exchange["conversation_id"])
    ] * 3
    assert events[0].bot_id == shop.bot_id and events[0].payload["origin"] == shop.origin


async def test_add_to_cart_is_stored_for_the_product_and_bot_with_or_without_an_answer(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    """What the widget's Add to cart sends: our product uuid and the add-to-cart link, with
    the answer's id, or without one when the answer was given without consent (and so kept
    nothing). Analytics count these rows by type, product and bot."""
    product_id = await _add_product(db, shop, external_id="101")
    token = (await open_session(api, shop))["session_token"]
    exchange = await add_exchange(db, shop, visitor_id=visitor_of(token))
    link = "https://shop.alpha.test/?add-to-cart=101"
    bodies = [
        {"type": "add_to_cart", "product_id": str(product_id), "url": link},
        {
            "type": "add_to_cart",
            "product_id": str(product_id),
            "url": link,
            "message_id": str(exchange["answer_id"]),
        },
    ]
    for body in bodies:
        response = await api.post("/widget/v1/events", json=body, headers=bearer(token))
        assert response.status_code == 202, response.text
    events = await _events(db, shop)
    assert [(e.type, e.bot_id, e.product_id, e.url, e.message_id) for e in events] == [
        ("add_to_cart", shop.bot_id, product_id, link, None),
        ("add_to_cart", shop.bot_id, product_id, link, exchange["answer_id"]),
    ]


async def test_an_event_without_consent_counts_but_names_no_visitor(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    product_id = await _add_product(db, shop, external_id="101")
    token = (await open_session(api, shop))["session_token"]
    exchange = await add_exchange(db, shop, visitor_id=visitor_of(token))
    for consent in (False, True):
        response = await api.post(
            "/widget/v1/events",
            json={
                "type": "add_to_cart",
                "product_id": str(product_id),
                "message_id": str(exchange["answer_id"]),
                "consent": consent,
            },
            headers=bearer(token),
        )
        assert response.status_code == 202, response.text
    anonymous, consented = await _events(db, shop)
    assert (anonymous.product_id, anonymous.message_id, anonymous.conversation_id) == (
        product_id,
        None,
        None,
    )
    assert anonymous.payload == {"origin": shop.origin}
    assert consented.message_id == exchange["answer_id"]
    assert consented.payload["visitor_id"] == visitor_of(token)


async def test_unknown_references_are_stored_as_null(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    other = await provision_shop(db, name="Beta Books")
    foreign_product = await _add_product(db, other, external_id="555")
    foreign_exchange = await add_exchange(db, other)
    token = (await open_session(api, shop))["session_token"]
    for product in ("does-not-exist", str(foreign_product), "555"):
        response = await api.post(
            "/widget/v1/events",
            json={
                "type": "product_click",
                "product_id": product,
                "message_id": str(foreign_exchange["answer_id"]),
            },
            headers=bearer(token),
        )
        assert response.status_code == 202, response.text
    events = await _events(db, shop)
    assert [(e.product_id, e.message_id, e.conversation_id) for e in events] == [
        (None, None, None)
    ] * 3
    assert [e.payload["unresolved_product_id"] for e in events] == [
        "does-not-exist",
        str(foreign_product),
        "555",
    ]
    assert await _events(db, other) == []


async def test_another_visitors_answer_is_not_linked(
    api: httpx.AsyncClient, db: Database, shop: Shop
) -> None:
    owner_token = (await open_session(api, shop))["session_token"]
    stranger_token = (await open_session(api, shop))["session_token"]
    assert visitor_of(owner_token) != visitor_of(stranger_token)
    exchange = await add_exchange(db, shop, visitor_id=visitor_of(owner_token))
    for token in (stranger_token, owner_token):
        response = await api.post(
            "/widget/v1/events",
            json={"type": "product_click", "message_id": str(exchange["answer_id"])},
            headers=bearer(token),
        )
        assert response.status_code == 202, response.text
    events = await _events(db, shop)
    assert [(e.message_id, e.conversation_id) for e in events] == [
        (None, None),
        (exchange["answer_id"], exchange["conversation_id"]),
    ]


async def test_event_types_are_validated(api: httpx.AsyncClient, shop: Shop) -> None:
    token = (await open_session(api, shop))["session_token"]
    response = await api.post(
        "/widget/v1/events", json={"type": "drop_table"}, headers=bearer(token)
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"][0]["field"] == "type"
