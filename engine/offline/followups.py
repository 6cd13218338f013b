"""Offline answers to follow-ups on the products the last answer showed.

engine.follow_ups has chosen the products (`Grounding.focus`, with `Grounding.hits` the
chosen ones, or the whole earlier set when none qualified). Here they are said:
- "compare them" or a comparison of named products: side by side (comparisons.py);
- "the cheaper one", "the most expensive of those": that product, with its price and stock;
- "any under 50?", "only the ones in stock", "which of them is on sale?": the ones that
  qualify, or plainly that none of them does (then the closest, so the shopper can decide);
- "tell me more about it / the Trailhead one": that product described from its facts,
  attributes and the first sentences of its description;
- "the second one", "is it…": one product, which the answerer's usual rules for a single
  product answer (None here).
"""

from __future__ import annotations

import re

from engine.offline.comparisons import compare_products, key_attributes, quotable_sentences
from engine.offline.phrases import say
from engine.offline.wording import price_words, stock_words
from engine.prompts.text import format_money
from engine.types import Focus, Grounding, ProductHit

MAX_LISTED = 5
MAX_QUOTED = 3
# "tell me more about it", "what else can you tell me about the second one?": a description.
_TELL_MORE_RE = re.compile(
    r"\b(tell me (?:more|about)|more (?:about|details|info)|details|describe|what else|"
    r"what(?:'s| is) it like)\b",
    re.IGNORECASE,
)


def _line(hit: ProductHit, language: str) -> str:
    return f"- **{hit.title}** — {price_words(hit, language)}, {stock_words(hit, language)}"


def _criterion(focus: Focus, currency: str, language: str) -> str:
    if focus.operation in {"under", "over"} and focus.limit is not None:
        return say(
            language, f"criterion_{focus.operation}", limit=format_money(focus.limit, currency)
        )
    return say(language, f"criterion_{focus.operation}")


def _by_price(grounding: Grounding, focus: Focus) -> str:
    hit, language = grounding.hits[0], grounding.language
    key = "pick_cheapest" if focus.operation == "cheapest" else "pick_priciest"
    if len(focus.shown) == 2:
        key += "_of_two"
    return say(
        language,
        key,
        title=hit.title,
        price=price_words(hit, language),
        stock=stock_words(hit, language),
    )


def _narrowed(grounding: Grounding, focus: Focus) -> str:
    language = grounding.language
    currency = grounding.hits[0].currency if grounding.hits else grounding.currency
    criterion = _criterion(focus, currency, language)
    if not focus.products:
        # None qualified: the hits are the set shown, listed so the shopper can decide.
        lines = [say(language, "narrow_none", count=len(focus.shown), criterion=criterion)]
        lines += [_line(h, language) for h in grounding.hits[:MAX_LISTED]]
        return "\n".join(lines)
    if len(focus.products) == len(focus.shown) and len(focus.shown) > 1:
        intro = say(language, "narrow_all", count=len(focus.shown), criterion=criterion)
    else:
        intro = say(language, "narrow_some", count=len(focus.shown), criterion=criterion)
    return "\n".join([intro, *(_line(h, language) for h in grounding.hits[:MAX_LISTED])])


def _described(hit: ProductHit, language: str) -> str:
    """The product's facts, key attributes and the first sentences of its description."""
    lines = [say(language, "tell_more", title=hit.title)]
    lines.append(f"- {price_words(hit, language)}, {stock_words(hit, language)}.")
    if attributes := key_attributes(hit):
        lines.append(f"- {attributes}")
    lines += [f'- "{quote}"' for quote in quotable_sentences(hit)[:MAX_QUOTED]]
    return "\n".join(lines)


def answer_on_focus(grounding: Grounding) -> str | None:
    """The answer to a follow-up on earlier products or a comparison, or None when the
    usual rules answer it (one product picked: "the second one", "is it…")."""
    focus = grounding.focus
    if focus is None or not grounding.hits:
        return None
    if focus.operation == "compare" and len(grounding.hits) > 1:
        return compare_products(grounding)
    if focus.operation in {"cheapest", "priciest"}:
        return _by_price(grounding, focus)
    if focus.operation in {"under", "over", "in_stock", "on_sale"}:
        return _narrowed(grounding, focus)
    if len(grounding.hits) == 1 and _TELL_MORE_RE.search(grounding.question):
        return _described(grounding.hits[0], grounding.language)
    return None
