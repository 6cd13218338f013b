"""The offline answerer's replies to questions about the store rather than its products:
shipping, returns, payment, warranty, orders, discount codes, a person to talk to, hello.

The merchant's shipping and returns policies are in the business profile (the LLM reads
them in its system prompt). Without this module the offline answerer listed the nearest
products for "what's your return policy?", "can I pay with PayPal?" or "hi". Now a
question about shipping or returns is answered with the merchant's own words, applied to
what was asked when the question has a figure the policy speaks to ("$40 order?" against
"free over $75", policy_facts.py); any other store question, or a policy the profile does
not state, gets a plain "I don't have that here" with the store's contact instead of a
guess (a knowledge document that covers the question is quoted first, by the caller).

Questions are recognised in the six languages the answerer speaks (store_topics.py) and
answered in `language` (engine.offline.phrases); the policy text is quoted as written.
"""

from __future__ import annotations

import re

from engine.offline.phrases import say
from engine.offline.policy_facts import applied_returns, applied_shipping
from engine.offline.store_topics import GREETING_RE, TOPICS
from engine.types import BusinessProfile

# "Can I return it 3 weeks after delivery?" asks about returns only: delivery is when the
# window starts, not a second question.
_DELIVERY_AS_A_DATE_RE = re.compile(
    r"\b(after|since|from|of|upon|on)\s+(the\s+)?(delivery|receiving it|arrival)\b", re.I
)


def policy_topics(question: str) -> list[str]:
    """The store topics a question asks about ("shipping", "returns", "payment", ...)."""
    topics = [topic for topic, pattern in TOPICS if pattern.search(question)]
    if "returns" in topics and "shipping" in topics:
        shipping = dict(TOPICS)["shipping"]
        if not shipping.search(_DELIVERY_AS_A_DATE_RE.sub(" ", question)):
            topics.remove("shipping")
    return topics


def is_greeting(question: str) -> bool:
    return GREETING_RE.match(question) is not None


def _store(profile: BusinessProfile | None, language: str) -> str:
    if profile is not None and profile.name:
        return profile.name
    return say(language, "the_store")


def greeting_answer(profile: BusinessProfile | None, language: str = "en") -> str:
    return say(language, "greeting", store=_store(profile, language))


def _policy(profile: BusinessProfile | None, topic: str) -> str:
    if profile is None:
        return ""
    text = {"shipping": profile.shipping_policy, "returns": profile.returns_policy}.get(topic, "")
    return text.strip()


def _applied(topic: str, policy: str, question: str, language: str) -> list[str]:
    if topic == "shipping":
        return applied_shipping(policy, question, language)
    return applied_returns(policy, question, language)


def answer_from_policies(
    topics: list[str], profile: BusinessProfile | None, question: str = "", language: str = "en"
) -> str | None:
    """The merchant's policy for each topic asked about that the profile states, applied to
    the question and quoted, or None if it states none of them."""
    stated = [(topic, _policy(profile, topic)) for topic in topics]
    stated = [(topic, text) for topic, text in stated if text]
    if not stated:
        return None
    if len(stated) == 1:
        topic, text = stated[0]
        applied = _applied(topic, text, question, language)
        return " ".join([*applied, say(language, f"quote_{topic}", policy=text)])
    lines = []
    for topic, text in stated:
        said = [*_applied(topic, text, question, language), f'"{text}"']
        lines.append(f"- **{say(language, f'label_{topic}')}:** {' '.join(said)}")
    return "\n".join(lines)


def _contact(profile: BusinessProfile | None, language: str) -> str:
    if profile is None or not profile.support_email:
        return ""
    return say(language, "contact_at", email=profile.support_email)


def no_policy_answer(
    topics: list[str], profile: BusinessProfile | None, language: str = "en"
) -> str:
    store = _store(profile, language)
    contact = _contact(profile, language)
    if topics == ["person"]:
        return say(language, "person_contact", store=store, contact=contact)
    subjects = [say(language, f"topic_{topic}") for topic in topics if topic != "person"]
    subject = subjects[0]
    for more in subjects[1:]:
        subject = say(language, "topics_and", first=subject, second=more)
    return say(language, "no_policy", subject=subject, store=store, contact=contact)
