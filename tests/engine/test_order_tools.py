"""Order status through the model's `lookup_order` tool, with the fake OpenAI server
driving the calls in the real wire format (streamed `delta.tool_calls`, finish_reason
"tool_calls"; emulators/openai/tools.py has its rule) and the WooCommerce emulator as the
store. Real database, real clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from emulators.catalog import generate_catalog
from emulators.openai import FakeOpenAI
from engine.answer_events import DoneEvent
from engine.orders import OrderTools, OrderTurn
from tests.engine.support import question, use_openai
from tests.support.orders import ask, connect_store, order_desk, order_service
from tests.support.woo_store import FakeWooStore

CHAT = "/v1/chat/completions"


@pytest.fixture(scope="module")
def woo() -> Iterator[FakeWooStore]:
    with FakeWooStore(generate_catalog(20, seed=22), seed=3) as running:
        yield running


@pytest.fixture
async def tenant(db, shop, woo: FakeWooStore) -> Any:
    tenant, _ = shop
    await connect_store(db, tenant, woo)
    await use_openai(db, tenant)
    return tenant


def _shipped(woo: FakeWooStore) -> dict[str, Any]:
    return next(o for o in woo.orders() if o["status"] == "completed")


def _order_data(woo: FakeWooStore, order: dict[str, Any]) -> list[str]:
    """What of the order must never be where it does not belong."""
    notes = [n["note"] for n in woo.order_notes(order["id"])]
    items = [item["name"] for item in order["line_items"]]
    return [order["billing"]["email"], str(order["id"]), *notes, *items]


async def test_the_tool_call_gives_the_status_unchanged_by_the_guardrails(
    db, tenant, woo, fake_openai: FakeOpenAI
) -> None:
    order = _shipped(woo)
    tracking = woo.order_notes(order["id"])[0]["note"]
    service = order_service(db, woo, openai=fake_openai)

    answer, _ = await ask(
        service,
        question(tenant, f"Has order {order['id']} shipped? I'm {order['billing']['email']}"),
    )

    first, second = fake_openai.requests_to(CHAT)
    assert [t["function"]["name"] for t in first.body["tools"]] == ["lookup_order"]
    call = second.messages[-2]["tool_calls"][0]
    assert json.loads(call["function"]["arguments"]) == {
        "order_number": str(order["id"]),
        "billing_email": order["billing"]["email"],
    }
    result = json.loads(second.messages[-1]["content"])
    assert second.messages[-1]["tool_call_id"] == call["id"]
    assert result["result"] == "found" and result["order"]["status"] == "completed"
    # The fake repeats the tool's facts; the checks leave item names and tracking alone.
    assert tracking in answer and "shipped" in answer
    assert all(f"× {item['name']}" in answer for item in order["line_items"])


async def test_a_wrong_email_gets_a_refusal_and_the_model_no_order_data(
    db, tenant, woo, fake_openai: FakeOpenAI
) -> None:
    order = _shipped(woo)
    service = order_service(db, woo, openai=fake_openai)

    answer, _ = await ask(
        service, question(tenant, f"Where is my order {order['id']}? Email: not.me@example.com")
    )

    tool_message = fake_openai.requests_to(CHAT)[-1].messages[-1]
    assert tool_message["role"] == "tool"
    assert json.loads(tool_message["content"])["result"] == "no_match"
    assert "couldn't find an order" in answer
    leaked = [d for d in _order_data(woo, order)[2:] if d in tool_message["content"] + answer]
    assert leaked == [] and "completed" not in answer


async def test_an_email_the_shopper_did_not_write_is_not_looked_up(db, tenant, woo) -> None:
    """A model talked into guessing gets nothing: the email must be in this turn's words."""
    order = _shipped(woo)
    woo.reset_request_log()
    forged = {"order_number": str(order["id"]), "billing_email": order["billing"]["email"]}
    turn = OrderTurn(tenant.tenant_id, str(tenant.bot_id), None, "v")

    tools = OrderTools(order_desk(db, woo), turn, f"where is order {order['id']}?")
    result = await tools.run("lookup_order", json.dumps(forged))

    assert json.loads(result) == {"result": "need_billing_email_from_shopper"}
    assert woo.requests == []


async def test_another_conversations_prompt_holds_no_data_of_the_order(
    db, tenant, woo, fake_openai: FakeOpenAI
) -> None:
    order = _shipped(woo)
    service = order_service(db, woo, openai=fake_openai)
    _, events = await ask(
        service,
        question(
            tenant,
            f"Status of order {order['id']}, email {order['billing']['email']}",
            visitor_id="shopper-1",
        ),
    )
    first_conversation = next(e for e in events if isinstance(e, DoneEvent)).conversation_id
    fake_openai.reset()
    fake_openai.reply_with("We have a waterproof Alpine Rain Jacket.")

    await ask(service, question(tenant, "Do you have a rain jacket?", visitor_id="shopper-2"))
    await ask(
        service,
        question(tenant, "And what did the last order contain?", visitor_id="shopper-2"),
    )

    other_prompts = json.dumps([r.body for r in fake_openai.requests_to(CHAT)])
    assert first_conversation is not None
    assert [d for d in _order_data(woo, order) if d in other_prompts] == []
