"""English: the reference every other language mirrors key for key."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Sorry, I couldn't find anything in this store that matches that. "
        "Could you tell me a little more about what you're looking for?"
    ),
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
}
