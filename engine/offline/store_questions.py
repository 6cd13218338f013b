"""The offline answerer's replies to questions about the store rather than its products:
shipping, returns, payment, warranty, orders, discount codes, a person to talk to, hello.

The merchant's shipping and returns policies are in the business profile (the LLM reads
them in its system prompt). Without this module the offline answerer listed the nearest
products for "what's your return policy?", "can I pay with PayPal?" or "hi". Now a
question about shipping or returns is answered with the merchant's own words; any other
store question, or a policy the profile does not state, gets a plain "I don't have that
here" with the store's contact instead of a guess (a knowledge document that covers the
question is quoted first, by the caller).
"""

from __future__ import annotations

import re

from engine.types import BusinessProfile

# (topic, what it is called in a reply, how a question asks about it). Topics with a
# profile field (shipping, returns) come first: they can be answered.
_TOPICS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    # Not "carrier": a carrier bag, a baby carrier and a bike carrier are products.
    (
        "shipping",
        "shipping policy",
        re.compile(
            r"\b(ship|ships|shipping|shipped|deliver(y|ies|s|ed)?|postage|dispatch(ed)?|couriers?)\b",
            re.I,
        ),
    ),
    (
        "returns",
        "returns policy",
        re.compile(
            r"\b(return(s|ed|ing|able)?|refund(s|ed|able)?|exchange[sd]?|money back"
            r"|send (it|them|this|that) back)\b",
            re.I,
        ),
    ),
    (
        "payment",
        "payment options",
        re.compile(
            # Not a bare "pay": "how much would I pay for the tent?" asks for a price.
            r"\b(pay (with|by|via|using|in)|payments?|paypal|credit cards?|debit cards?"
            r"|apple pay|google pay|klarna|afterpay|installments?)\b",
            re.I,
        ),
    ),
    ("warranty", "warranty terms", re.compile(r"\b(warrant(y|ies)|guarantee[ds]?)\b", re.I)),
    (
        "orders",
        "order details",
        re.compile(
            r"\b(track(ing)? (my |an |the )?(order|package|parcel)"
            r"|where is my (order|package|parcel)|order status|order (number |no\.? )?#?\s?\d+"
            r"|cancel (my |an |the )?order)\b",
            re.I,
        ),
    ),
    # "discounted jackets" is a search (the on-sale filter); a code is a store question.
    (
        "discounts",
        "discount codes",
        re.compile(r"\b((discount|promo|promotion) codes?|coupons?|vouchers?)\b", re.I),
    ),
    (
        "person",
        "a person to talk to",
        re.compile(
            r"\b(human|real person|talk to (someone|somebody|a person|an agent|support)"
            r"|customer (service|support)|support team)\b",
            re.I,
        ),
    ),
)
_GREETING_RE = re.compile(
    r"^\W*(hi|hello|hey|hiya|good (morning|afternoon|evening)|hola|bonjour|hallo)\W*$", re.I
)


def policy_topics(question: str) -> list[str]:
    """The store topics a question asks about ("shipping", "returns", "payment", ...)."""
    return [topic for topic, _, pattern in _TOPICS if pattern.search(question)]


def is_greeting(question: str) -> bool:
    return _GREETING_RE.match(question) is not None


def _store(profile: BusinessProfile | None) -> str:
    return profile.name if profile is not None and profile.name else "the store"


def greeting_answer(profile: BusinessProfile | None) -> str:
    store = _store(profile)
    return (
        f"Hi! I can help you find products at {store}, check prices and stock, and answer "
        "questions about shipping and returns. What are you looking for?"
    )


def _policy(profile: BusinessProfile | None, topic: str) -> str:
    if profile is None:
        return ""
    text = {"shipping": profile.shipping_policy, "returns": profile.returns_policy}.get(topic, "")
    return text.strip()


def answer_from_policies(topics: list[str], profile: BusinessProfile | None) -> str | None:
    """The merchant's policy text for each topic asked about that the profile states, or
    None if it states none of them."""
    stated = [(topic, _policy(profile, topic)) for topic in topics]
    stated = [(topic, text) for topic, text in stated if text]
    if not stated:
        return None
    if len(stated) == 1:
        topic, text = stated[0]
        return f"Our {topic} policy: {text}"
    return "\n".join(f"- **{topic.capitalize()}:** {text}" for topic, text in stated)


def no_policy_answer(topics: list[str], profile: BusinessProfile | None) -> str:
    store = _store(profile)
    contact = (
        f" at {profile.support_email}" if profile is not None and profile.support_email else ""
    )
    if topics == ["person"]:
        return (
            f"I'm {store}'s automated assistant. "
            f"To talk to a person, please contact the store{contact}."
        )
    labels = {topic: label for topic, label, _ in _TOPICS}
    subject = " and ".join(labels[t] for t in topics if t != "person")
    return (
        f"I don't have the {subject} for {store} here, so I'd rather not guess. "
        f"Please ask the store{contact}; they'll know the details."
    )
