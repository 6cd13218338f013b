"""Is this turn about the shopper's order, and which number and billing email does it give?

The order number may come from this message or from the conversation's earlier shopper
turns ("Where is my order?" … "The number is 98435"): numbers are stored unmasked. The
billing email is read ONLY from this turn's raw message: stored history is masked
(`[email]`), and an email typed in an earlier turn is not re-used for a new look-up.
A bare number counts as an order number only once the conversation is about an order
(this message or one of the last shopper turns asked about one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.privacy.masking import EMAIL_TOKEN
from engine.types import Turn

# Asking about an order (not "I'd like to order a tent": that is shopping).
_ORDER_TOPIC_RE = re.compile(
    r"\b(track(ing)?\b.{0,20}\b(order|package|parcel)|where('?s| is) my (order|package|parcel)"
    # What became of an order ("hasn't arrived", "has it shipped"); not "how long before
    # my order ships?", which the shipping policy answers.
    r"|(my|an|the) (order|package|parcel)\b.{0,40}\b(arrived|shipped|delivered|dispatched"
    r"|status|come|came|late|lost|missing|yet)"
    r"|order status|status of (my |an |the |this )?order|order (number|no\.?|#)\s*#?\s*\d"
    r"|(my|an|the|your) order\s*#?\s*\d|(?<!to )\border\s*(number\s*|no\.?\s*)?#?\s*\d{3}"
    r"|cancel (my |an |the )?order|placed (an |my )?order"
    r"|(pedido|commande|bestellung|ordine|encomenda)\s*(n[ºo°.]?\s*)?#?\s*\d)",
    re.I,
)
_NUMBER_AFTER_ORDER_RE = re.compile(
    r"\b(?:order|pedido|commande|bestellung|ordine|encomenda)\b\D{0,20}?#?\s*(\d{3,10})\b", re.I
)
_HASH_NUMBER_RE = re.compile(r"#\s*(\d{3,10})\b")
_BARE_NUMBER_RE = re.compile(
    r"(?<![\w.,$€£/-])(\d{3,10})(?![\w%/-]|[.,]\d|\s*(?:\$|€|£|usd|eur))", re.I
)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PRICE_WORDS_RE = re.compile(
    r"[$€£]|\b(under|below|over|above|less|more|cheaper|than|dollars?|euros?|usd|eur)\b", re.I
)
# How far back an earlier order question keeps the conversation about the order.
RECENT_SHOPPER_TURNS = 3


@dataclass(frozen=True, slots=True)
class OrderQuery:
    order_number: str | None
    billing_email: str | None  # from this turn's raw message only


def asks_about_an_order(message: str) -> bool:
    """Whether the message alone reads as a question about an existing order."""
    return _ORDER_TOPIC_RE.search(message) is not None


def has_email(message: str) -> bool:
    return _EMAIL_RE.search(message) is not None


def order_query(message: str, history: Sequence[Turn]) -> OrderQuery | None:
    """The order this turn is about, or None when the turn is not about an order."""
    recent = [t.content for t in history if t.role == "user"][-RECENT_SHOPPER_TURNS:]
    about_now = asks_about_an_order(message)
    if not about_now and not any(asks_about_an_order(t) for t in recent):
        return None
    email = _email(message)
    number = _number(message, bare_allowed=about_now or _gives_a_number(message))
    if not about_now and number is None and email is None:
        return None  # order talk earlier, something else now ("do you have tents?")
    for earlier in reversed(recent):
        if number is not None:
            break
        number = _number(earlier, bare_allowed=_gives_a_number(earlier))
    return OrderQuery(order_number=number, billing_email=email)


def _gives_a_number(message: str) -> bool:
    """A short reply or one that names a number ("The number is 98435"), not a price."""
    if _PRICE_WORDS_RE.search(message):
        return False
    return len(message.split()) <= 6 or re.search(r"\bnumber\b", message, re.I) is not None


def _email(message: str) -> str | None:
    found = _EMAIL_RE.findall(message)
    return found[-1] if found else None


def _number(text: str, *, bare_allowed: bool) -> str | None:
    text = _EMAIL_RE.sub(" ", text.replace(EMAIL_TOKEN, " "))
    for pattern in (_NUMBER_AFTER_ORDER_RE, _HASH_NUMBER_RE):
        found = pattern.findall(text)
        if found:
            return str(found[-1])
    if bare_allowed:
        bare = _BARE_NUMBER_RE.findall(text)
        if len(bare) == 1:  # "5 days ago, order 1234" is caught above; two bare numbers: unsure
            return str(bare[0])
    return None
