"""Order status offline: the shopper's order number and billing email, looked up in the
store (the WooCommerce emulator, through ingestion's client and the outbound guard), never
another customer's order. Real database, real emulator, the offline answerer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, update

from core.models import Bot, Product, StoreConnection
from emulators.catalog import generate_catalog
from emulators.woocommerce import Fault
from engine.answer_events import DoneEvent, SourcesEvent
from engine.orders import AttemptLimits, OrderAttempts
from tests.engine.support import question
from tests.support.orders import SUPPORT_EMAIL, ask, connect_store, order_service, stored_messages
from tests.support.woo_store import FakeWooStore


@pytest.fixture(scope="module")
def woo() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(20, seed=21), seed=2) as running:
        yield running


@pytest.fixture
async def tenant(db, shop, woo: FakeWooStore) -> Any:
    woo.faults.clear()
    tenant, _ = shop
    await connect_store(db, tenant, woo)
    return tenant


def _order(woo: FakeWooStore, status: str) -> dict[str, Any]:
    return next(o for o in woo.orders() if o["status"] == status)


async def test_the_right_email_gets_status_items_and_tracking(db, shop, tenant, woo) -> None:
    order = _order(woo, "completed")
    email = order["billing"]["email"].upper()  # case does not matter
    note = woo.order_notes(order["id"])[0]["note"]
    item = order["line_items"][0]
    # The catalogue holds the ordered product (as a sync of this store would have it).
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Product)
            .where(Product.id == shop[1]["Alpine Rain Jacket"])
            .values(external_id=str(item["product_id"]), name=item["name"])
        )
    service = order_service(db, woo)

    answer, events = await ask(
        service, question(tenant, f"Where is my order #{order['id']}? My email is {email}")
    )

    assert f"Order {order['id']}" in answer and "shipped" in answer
    assert all(item["name"] in answer for item in order["line_items"])
    assert note in answer and "Payment received" not in answer  # never an internal note
    sources = next(e for e in events if isinstance(e, SourcesEvent)).sources
    assert [s["external_id"] for s in sources] == [str(item["product_id"])]  # its card


async def test_a_wrong_email_and_a_missing_order_get_the_same_refusal(db, tenant, woo) -> None:
    order = _order(woo, "processing")
    service = order_service(db, woo)

    wrong, _ = await ask(
        service, question(tenant, f"Status of order {order['id']}? Email: someone@else.com")
    )
    missing, _ = await ask(
        service, question(tenant, "Status of order 999999? Email: someone@else.com")
    )

    assert wrong.replace(str(order["id"]), "N") == missing.replace("999999", "N")
    assert "couldn't find an order" in wrong and SUPPORT_EMAIL in wrong
    assert order["status"] not in wrong
    assert not any(item["name"] in wrong for item in order["line_items"])


async def test_the_number_then_the_email_in_one_conversation(db, tenant, woo) -> None:
    order = _order(woo, "on-hold")
    service = order_service(db, woo)

    first, events = await ask(service, question(tenant, "Where is my order?"))
    conversation = next(e for e in events if isinstance(e, DoneEvent)).conversation_id
    second, _ = await ask(
        service, question(tenant, f"It's {order['id']}", conversation_id=conversation)
    )
    third, _ = await ask(
        service,
        question(tenant, order["billing"]["email"], conversation_id=conversation),
    )

    assert "order number" in first and "billing email" in first and SUPPORT_EMAIL in first
    assert f"order {order['id']}" in second and "billing email" in second
    assert SUPPORT_EMAIL in second and "on hold" not in second  # no status it does not know
    assert "on hold" in third
    stored = await stored_messages(db, tenant)
    assert order["billing"]["email"] not in " ".join(stored)  # kept masked


async def test_guessing_numbers_hits_the_limit_even_with_the_right_email_after(
    db, tenant, woo
) -> None:
    order = _order(woo, "completed")
    service = order_service(db, woo, attempts=OrderAttempts(None, AttemptLimits(per_shopper=5)))
    email = order["billing"]["email"]

    for guess in range(5):
        answer, _ = await ask(
            service,
            question(tenant, f"Order {order['id'] + 1 + guess}, email {email}", visitor_id="v1"),
        )
        assert "couldn't find an order" in answer
    woo.reset_request_log()
    blocked, _ = await ask(
        service, question(tenant, f"Order {order['id']}, email {email}", visitor_id="v1")
    )
    asked_when_blocked = [r for r in woo.requests if r.route.startswith("/wc/v3/orders")]
    other_visitor, _ = await ask(
        service, question(tenant, f"Order {order['id']}, email {email}", visitor_id="v2")
    )

    assert "too many unsuccessful attempts" in blocked and "shipped" not in blocked
    assert asked_when_blocked == []  # refused before the store is asked
    assert "shipped" in other_visitor  # another shopper is not locked out by one guesser


async def test_the_bot_wide_limit_stops_guessing_across_visitors(db, tenant, woo) -> None:
    limits = AttemptLimits(per_shopper=5, per_bot=3)
    service = order_service(db, woo, attempts=OrderAttempts(None, limits))
    for visitor in ("a", "b", "c"):
        await ask(service, question(tenant, "Order 5003, email x@example.com", visitor_id=visitor))
    answer, _ = await ask(
        service, question(tenant, "Order 5004, email y@example.com", visitor_id="d")
    )
    assert "too many unsuccessful attempts" in answer


async def test_a_store_that_is_down_gets_a_graceful_reply_not_a_failure(db, tenant, woo) -> None:
    order = _order(woo, "completed")
    woo.faults.add(Fault("server_error", route=r"^/wc/v3/orders"))
    limits = AttemptLimits(per_shopper=1)
    service = order_service(db, woo, attempts=OrderAttempts(None, limits))
    message = f"Order {order['id']}, email {order['billing']['email']}"

    down, _ = await ask(service, question(tenant, message, visitor_id="v"))
    woo.faults.clear()
    back, _ = await ask(service, question(tenant, message, visitor_id="v"))

    assert "can't reach the store's order system" in down and SUPPORT_EMAIL in down
    assert "shipped" in back  # an outage is not a failed attempt


async def test_a_store_that_is_slow_times_out_into_the_same_reply(db, tenant, woo) -> None:
    order = _order(woo, "completed")
    woo.faults.add(Fault("slow", route=r"^/wc/v3/orders", delay_s=2.0))
    service = order_service(db, woo, timeout_s=0.5)
    answer, _ = await ask(
        service, question(tenant, f"Order {order['id']}, email {order['billing']['email']}")
    )
    woo.faults.clear()
    assert "can't reach the store's order system" in answer


async def test_no_store_or_unreadable_keys_read_as_unavailable(db, shop, woo) -> None:
    tenant, _ = shop  # the bot has no store yet
    service = order_service(db, woo)
    message = "Order 5004, email ana@example.com"

    no_store, _ = await ask(service, question(tenant, message))
    async with db.tenant_session(tenant.tenant_id) as session:
        store_id = (await session.execute(select(StoreConnection.id))).scalars().first()
        await session.execute(update(Bot).where(Bot.id == tenant.bot_id).values(store_id=store_id))
    bad_keys, _ = await ask(service, question(tenant, message))  # its keys: b"x", not a token

    assert "can't reach the store's order system" in no_store
    assert "can't reach the store's order system" in bad_keys
