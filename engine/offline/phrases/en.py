"""English: the reference every other language mirrors key for key."""

from __future__ import annotations

PHRASES: dict[str, str] = {
    "nothing_found": (
        "Sorry, I couldn't find anything in this store that matches that. "
        "Could you tell me a little more about what you're looking for?"
    ),
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
