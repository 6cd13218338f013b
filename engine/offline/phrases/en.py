"""English: the reference every other language mirrors key for key."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Sorry, I couldn't find anything in this store that matches that. "
        "Could you tell me a little more about what you're looking for?"
    ),
}

# -- the store rather than its products (engine.offline.store_questions) ---------------------
PHRASES.update(
    {
        # Refusals (engine.guardrails: scope.py, injection.py).
        "refuse_out_of_scope": (
            "I'm here to help with {store}'s products, orders and policies, so I can't help "
            "with that one. Is there anything in the store I can help you find?"
        ),
        "refuse_injection": (
            "I can't help with that: I'm {store}'s shopping assistant, and my instructions "
            "stay private. Is there anything in the store I can help you find?"
        ),
        "greeting": (
            "Hi! I can help you find products at {store}, check prices and stock, and answer "
            "questions about shipping and returns. What are you looking for?"
        ),
        "the_store": "the store",
        "quote_shipping": 'Our shipping policy: "{policy}"',
        "quote_returns": 'Our returns policy: "{policy}"',
        "label_shipping": "Shipping",
        "label_returns": "Returns",
        "topic_shipping": "shipping policy",
        "topic_returns": "returns policy",
        "topic_payment": "payment options",
        "topic_warranty": "warranty terms",
        "topic_orders": "order details",
        "topic_discounts": "discount codes",
        "topic_person": "a person to talk to",
        "topics_and": "{first} and {second}",
        "contact_at": " at {email}",
        "no_policy": (
            "I don't have the {subject} for {store} here, so I'd rather not guess. "
            "Please ask the store{contact}; they'll know the details."
        ),
        "person_contact": (
            "I'm {store}'s automated assistant. "
            "To talk to a person, please contact the store{contact}."
        ),
        # The policy applied to the question (engine.offline.policy_facts): figures come
        # from the merchant's policy and the shopper's question, never from us.
        "shipping_not_free_for": (
            "On a {amount} order shipping isn't free: it's free on orders over {threshold}, "
            "otherwise {fee}."
        ),
        "shipping_not_free_for_no_fee": (
            "On a {amount} order shipping isn't free: it's free on orders over {threshold}."
        ),
        "shipping_free_for": (
            "Yes, a {amount} order ships free: shipping is free on orders over {threshold}."
        ),
        "shipping_costs": "Shipping is free on orders over {threshold}; otherwise it costs {fee}.",
        "shipping_flat": "Shipping costs {fee}.",
        "shipping_free_over": "Shipping is free on orders over {threshold}.",
        "shipping_dispatch": "Orders ship within {days} business days.",
        "returns_inside": "Yes: {days} days is within our {window}-day returns window.",
        "returns_outside": "No, I'm afraid: {days} days is past our {window}-day returns window.",
        "returns_window": "You have {window} days to return an item.",
    }
)
