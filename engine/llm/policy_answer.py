"""The offline answerer's replies to questions about the store's shipping and returns.

The merchant's policies are in the business profile (the LLM reads them in its system
prompt). Without them the offline answerer listed the nearest products for "what's your
return policy?". Now a question about shipping or returns is answered with the merchant's
own words; when the profile has no such policy, the answer says so and points at the store
instead of guessing (a knowledge document that covers it is quoted first, by the caller).
"""

from __future__ import annotations

import re

from engine.types import BusinessProfile

_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Not "carrier": a carrier bag, a baby carrier and a bike carrier are products.
    ("shipping", re.compile(
        r"\b(ship|ships|shipping|shipped|deliver(y|ies|s|ed)?|postage|dispatch(ed)?|couriers?)\b", re.I,
    )),
    ("returns", re.compile(
        r"\b(return(s|ed|ing|able)?|refund(s|ed|able)?|exchange[sd]?|money back|send (it|them|this|that) back)\b",
        re.I,
    )),
)


def policy_topics(question: str) -> list[str]:
    """The store policies a question asks about: "shipping", "returns", both or none."""
    return [topic for topic, pattern in _TOPICS if pattern.search(question)]


def _policy(profile: BusinessProfile | None, topic: str) -> str:
    if profile is None:
        return ""
    text = profile.shipping_policy if topic == "shipping" else profile.returns_policy
    return text.strip()


def answer_from_policies(topics: list[str], profile: BusinessProfile | None) -> str | None:
    """The merchant's policy text for each topic asked about, or None if it has none."""
    stated = [(topic, _policy(profile, topic)) for topic in topics]
    stated = [(topic, text) for topic, text in stated if text]
    if not stated:
        return None
    if len(stated) == 1:
        topic, text = stated[0]
        return f"Our {topic} policy: {text}"
    return "\n".join(f"- **{topic.capitalize()}:** {text}" for topic, text in stated)


def no_policy_answer(topics: list[str], profile: BusinessProfile | None) -> str:
    store = profile.name if profile is not None and profile.name else "the store"
    contact = f" at {profile.support_email}" if profile is not None and profile.support_email else ""
    subject = " and ".join(topics)
    return (
        f"I don't have {store}'s {subject} policy to hand, so I'd rather not guess. "
        f"Please ask the store{contact}; they'll know the details."
    )
