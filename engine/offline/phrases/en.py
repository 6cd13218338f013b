"""English: the reference every other language mirrors key for key."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Sorry, I couldn't find anything in this store that matches that. "
        "Could you tell me a little more about what you're looking for?"
    ),
    # Order status (engine.orders). `{contact}` is "order_contact_at" filled, or "".
    "order_contact_at": " at {email}",
    "order_ask_both": (
        "I can check your order's status. Please send me your order number and the billing "
        "email address used for the order. You can also contact the store{contact}."
    ),
    "order_ask_email": (
        "To look up order {number}, I also need the billing email address used for it, so "
        "that only you can see your order. You can also contact the store{contact}."
    ),
    "order_ask_number": (
        "Thanks. What is your order number? You'll find it in your order confirmation email."
    ),
    "order_no_match": (
        "I couldn't find an order with that number and billing email. Please check both and "
        "try again, or contact the store{contact}."
    ),
    "order_limited": (
        "I can't check any more orders right now, after too many unsuccessful attempts. "
        "Please try again later, or contact the store{contact}."
    ),
    "order_unavailable": (
        "I can't reach the store's order system right now. Please try again in a little "
        "while, or contact the store{contact}."
    ),
    "order_found": "Order {number}, placed on {date}, {state}",
    "order_state_pending": "is waiting for payment.",
    "order_state_processing": "has been paid and is being prepared for shipping.",
    "order_state_on-hold": "is on hold until the store confirms the payment.",
    "order_state_completed": "is complete: it has been shipped.",
    "order_state_cancelled": "was cancelled.",
    "order_state_refunded": "was refunded.",
    "order_state_failed": "did not go through: the payment failed.",
    "order_state_other": 'has the status "{status}".',
    "order_items": "It contains {items}.",
    "order_item": "{quantity} × {name}",
    "order_tracking": "The store's note: {note}",
    "order_no_tracking": "There is no tracking information on it yet.",
}
