"""Which turns are about an order, and the number and email each gives."""

from __future__ import annotations

import pytest

from engine.orders import OrderQuery, order_query
from engine.types import Turn

ASKED = [Turn("user", "Where is my order?"), Turn("assistant", "Your number and email?")]


@pytest.mark.parametrize(
    ("message", "history", "expected"),
    [
        ("Can you track order number 89331 for me?", [], OrderQuery("89331", None)),
        ("I want to cancel my order #22710", [], OrderQuery("22710", None)),
        ("I placed order #56778 five days ago. Where is it?", [], OrderQuery("56778", None)),
        ("My order hasn't arrived yet", [], OrderQuery(None, None)),
        (
            "Has order 5004 shipped? I'm Ana.B@example.com",
            [],
            OrderQuery("5004", "Ana.B@example.com"),
        ),
        ("The number is 2912", ASKED, OrderQuery("2912", None)),
        ("It is 5004, email ana@example.com", ASKED, OrderQuery("5004", "ana@example.com")),
        (
            "ana@example.com",
            [Turn("user", "Status of order 5003?"), Turn("assistant", "Your email?")],
            OrderQuery("5003", "ana@example.com"),
        ),
    ],
)
def test_order_turns(message: str, history: list[Turn], expected: OrderQuery) -> None:
    assert order_query(message, history) == expected


@pytest.mark.parametrize(
    ("message", "history"),
    [
        ("I would like to order 100 pens", []),
        ("Do you have tents under 100?", ASKED),  # order talk earlier, shopping now
        ("Which jacket is waterproof?", ASKED),
        ("Is the 2000 model in stock?", []),
        ("How long before my order ships?", []),  # the shipping policy answers it
    ],
)
def test_shopping_is_not_an_order_turn(message: str, history: list[Turn]) -> None:
    assert order_query(message, history) is None


def test_an_email_is_read_from_this_message_only() -> None:
    history = [Turn("user", "Order 5003, email [email]"), Turn("assistant", "Not found.")]
    assert order_query("try again please, order 5003", history) == OrderQuery("5003", None)
