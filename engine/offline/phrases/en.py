"""English: the reference every other language mirrors key for key.

`{name}` is a product title already set in bold; `{price}` and `{stock}` are the live facts
in words (engine.offline.wording); `{quote}` is catalogue text, quoted as written.
"""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Sorry, I couldn't find anything in this store that matches that. "
        "Could you tell me a little more about what you're looking for?"
    ),
    # Lists: "a, b and c".
    "list_and": "{head} and {last}",
    # A list of products.
    "list_item": "- {name} — {price}, {stock}",
    "list_intro": "Here's what I found:",
    "list_intro_one": "I found this:",
    "list_intro_ordered": "Here's what I found, {order}:",
    "list_intro_filtered": "Here's what I found {bound}:",
    "list_intro_filtered_ordered": "Here's what I found {bound}, {order}:",
    "list_close_matches": "I couldn't find an exact match, but these might be close:",
    "order_cheapest": "cheapest first",
    "order_priciest": "priciest first",
    "bound_under": "under {amount}",
    "bound_over": "over {amount}",
    "nothing_within_bound": "Sorry, I couldn't find anything matching that {bound}.",
    # Documents.
    "document_quote": 'Here\'s what our {title} says: "{quote}"',
    # One product: its live facts.
    "product_facts": "It's {price} and {stock}.",
    "product_price": "{name} is {price} and {stock}.",
    "product_price_range": "{name} is {low} to {high} depending on the options, and {stock}.",
    "product_stock": "{name} is {stock}, at {price}.",
    "product_sold": "Yes, we sell {name}. It's {price} and {stock}.",
    "product_evidence": 'About {name}: "{quote}" {facts}',
    "product_evidence_more": '"{quote}"',
    "product_silent": (
        "The description of {name} doesn't say anything about that, so I'd rather not guess. "
        "{facts} The store can help with details they haven't listed."
    ),
    # Variants: options and the facts of one variation.
    "options_all": "{name} comes in {options}.",
    "options_attribute": "{attribute}: {values}",
    "options_named": "{name} comes in {options}. {facts}",
    "options_none": "The listing doesn't give any {asked} options for {name}.",
    "variant_facts": "{name} in {options} is {price} and {stock}.",
    "variant_list_intro": "{name} in {options}:",
    "variant_list_item": "- {options} — {price}, {stock}",
    "variant_missing": "{name} doesn't come in {asked}. It comes in {options}.",
    "variant_missing_with": "{name} doesn't come in {asked}. In {given} it comes in {options}.",
    # Attributes.
    "weight": "{name} weighs {weight}.",
    # The store's weight and dimension units are its settings, not part of the listing.
    "weight_no_unit": "The listing gives the weight of {name} as {weight} (no unit given).",
    "weight_unknown": "The listing doesn't give the weight of {name}.",
    "dimensions": "{name} measures {dimensions}.",
    "dimensions_no_unit": "{name} measures {dimensions} (the listing gives no unit).",
    "dimension_part": "{label} {value}",
    "dimension_length": "length",
    "dimension_width": "width",
    "dimension_height": "height",
    "dimensions_unknown": "The listing doesn't give the dimensions of {name}.",
    "attribute_values": "{name} — {attribute}: {values}.",
    "material_unknown": "The listing doesn't say what {name} is made of.",
    # Reviews.
    "reviews_summary": "{name} has {count} reviews, averaging {average} out of 5.",
    "reviews_summary_one": "{name} has 1 review, rated {average} out of 5.",
    "reviews_quote": 'One shopper wrote: "{quote}"',
    "reviews_none": "{name} has no reviews yet.",
    # Not sold here.
    "not_sold": "Sorry, we don't sell {thing} here.",
    "not_sold_closest": "Closest we have:",
    # Comparisons (engine.offline.comparisons): one line per product, then the prices.
    "compare_intro": "Here's how these {count} compare:",
    "compare_rating": "Rated {rating} out of 5 from {count} reviews.",
    "compare_cheaper_of_two": "**{cheaper}** is the cheaper of the two.",
    "compare_cheapest_of_all": "**{cheaper}** is the cheapest of them.",
    "compare_difference": "The difference is {amount}.",
    "compare_same_price": "They cost the same.",
    # Follow-ups on the products the last answer showed (engine.offline.followups).
    "pick_cheapest": "Of those, **{title}** is the cheapest: {price}, {stock}.",
    "pick_cheapest_of_two": "Of the two, **{title}** is the cheaper one: {price}, {stock}.",
    "pick_priciest": "Of those, **{title}** is the most expensive: {price}, {stock}.",
    "pick_priciest_of_two": (
        "Of the two, **{title}** is the more expensive one: {price}, {stock}."
    ),
    "criterion_under": "under {limit}",
    "criterion_over": "over {limit}",
    "criterion_in_stock": "in stock",
    "criterion_on_sale": "on sale",
    "narrow_some": "Of the {count} I showed you, these are {criterion}:",
    "narrow_all": "All {count} I showed you are {criterion}:",
    "tell_more": "Here's more about **{title}**:",
    "narrow_none": "None of the {count} I showed you is {criterion}. Here they are again:",
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
    # Hand-off to a person (engine.handoff): the widget shows the email form under it.
    "handoff_offer": (
        "I'm {store}'s automated assistant, but a person from the store can reply to you: "
        "leave your email below and they'll answer here, or by email if you've left."
    ),
    "handoff_offer_after_failures": (
        "Sorry I couldn't help with that. A person from {store} can reply to you: leave your "
        "email below and they'll answer here, or by email if you've left."
    ),
    "handoff_contact_email": "You can also contact the store at {email}.",
    "handoff_contact": "You can also contact the store directly.",
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
