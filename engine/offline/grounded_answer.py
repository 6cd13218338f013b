"""Composes an answer from retrieved facts alone, with no language model.

This is what `shopbot demo` and tests answer with. It can only say what the hits say, which
is the point: prices and stock come from the hit fields, descriptions are quoted, and when
nothing matches it says so instead of guessing.

Decision order:
0. a greeting alone                         -> what the assistant can do
   a question about the store (shipping, returns, payment, warranty, orders, codes, a
   person)                                   -> the merchant's policy, else a knowledge
                                                document that covers it, else "ask the
                                                store" (store_questions.py)
1. nothing retrieved                         -> say plainly that nothing matches
2. a shipping/returns/payment style question -> quote the best document sentence
3. a question about one product (the product on the page, or a single strong hit, and not
   a search-like question)                   -> quote its best evidence sentence + live facts
4. otherwise                                 -> list the matching products with price and stock
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from engine.guardrails.mentions import occurrences
from engine.offline.store_questions import (
    answer_from_policies,
    greeting_answer,
    is_greeting,
    no_policy_answer,
    policy_topics,
)
from engine.prompts.facts_wording import FOR_SHOPPER
from engine.prompts.text import content_stems, format_money, sentences, stem
from engine.types import DocumentHit, Grounding, ProductHit

MAX_LISTED = 5
# A top hit this much stronger than the runner-up is "the" product the shopper means.
STRONG_HIT_RATIO = 1.5

NOTHING_FOUND = (
    "Sorry, I couldn't find anything in this store that matches that. "
    "Could you tell me a little more about what you're looking for?"
)

_KNOWLEDGE_STEMS = {
    stem(w)
    for w in (
        "shipping ship shipped delivery deliver return returns refund exchange warranty "
        "guarantee payment pay paypal invoice order tracking track policy policies contact "
        "hours open customs international store"
    ).split()
}
_SEARCH_CUE_RE = re.compile(
    r"\b(do you (have|sell|carry|stock)|have you got|show me|looking for|recommend|suggest|"
    r"any\b|which|options|alternatives?|cheapest|best|under|below|less than|over|above|"
    r"something|list|what .* do you)\b",
    re.IGNORECASE,
)
_PRICE_QUESTION_RE = re.compile(r"\b(how much|price|cost|costs|expensive|cheap)\b", re.I)
_STOCK_QUESTION_RE = re.compile(r"\b(in stock|available|availability|sold out|have it)\b", re.I)
_AMOUNT = r"[$€£]?\s?(\d+(?:[.,]\d{1,2})?)"
_UNDER_RE = re.compile(
    rf"\b(?:under|below|less than|cheaper than|max(?:imum)?|up to)\s+{_AMOUNT}", re.I
)
_OVER_RE = re.compile(rf"\b(?:over|above|more than|at least|min(?:imum)?)\s+{_AMOUNT}", re.I)


def _hit_stems(hit: ProductHit) -> set[str]:
    text = " ".join(
        [hit.title, *hit.categories, *hit.snippets, *hit.attributes.keys()]
        + [v for values in hit.attributes.values() for v in values]
    )
    return content_stems(text)


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _price_filtered(question: str, hits: list[ProductHit]) -> tuple[list[ProductHit], str | None]:
    """Applies "under $50" / "over $100"; returns the hits and a description of the filter."""
    currency = hits[0].currency if hits else "USD"
    for pattern, word in ((_UNDER_RE, "under"), (_OVER_RE, "over")):
        match = pattern.search(question)
        if match is None or (limit := _amount(match.group(1))) is None:
            continue
        kept = [
            h
            for h in hits
            if h.price is not None and (h.price <= limit if word == "under" else h.price >= limit)
        ]
        return kept, f"{word} {format_money(limit, currency)}"
    return hits, None


def _best_sentence(
    question_stems: set[str], texts: tuple[str, ...], skip: set[str]
) -> tuple[str, int]:
    """The sentence sharing most content words with the question (ties: the earlier one).
    A list item is a sentence of its own, quoted without its bullet."""
    best, best_score = "", 0
    for text in texts:
        for sentence in sentences(text):
            for line in sentence.splitlines():
                line = _BULLET_RE.sub("", line).strip()
                score = len((content_stems(line) - skip) & question_stems)
                if score > best_score:
                    best, best_score = line, score
    return best, best_score


_BULLET_RE = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")


def _page_hit(grounding: Grounding) -> ProductHit | None:
    page = grounding.page
    if page is None or not page.product_id:
        return None
    return next(
        (h for h in grounding.hits if page.product_id in (h.external_id, str(h.product_id))),
        None,
    )


def _named_in_question(hits: tuple[ProductHit, ...], question: str) -> ProductHit | None:
    """The product whose whole title the question contains, the longest such title: "how
    much is the Brisa Board Game?" means that game even when "Brisa Board Game Pro" ranks
    above it (its title holds the same words and more)."""
    asked = " ".join(question.lower().split())
    named = [h for h in hits if next(occurrences(h.title, asked), None)]
    return max(named, key=lambda h: len(h.title), default=None)


def _single_strong_hit(hits: tuple[ProductHit, ...], question_stems: set[str]) -> ProductHit | None:
    if not hits:
        return None
    top = hits[0]
    title_stems = content_stems(top.title)
    named = bool(title_stems) and len(title_stems & question_stems) * 3 >= len(title_stems) * 2
    dominant = len(hits) == 1 or top.score >= STRONG_HIT_RATIO * max(hits[1].score, 1e-9)
    return top if (named or dominant) else None


def _is_knowledge_question(question_stems: set[str], grounding: Grounding) -> bool:
    if not grounding.doc_hits:
        return False
    if not grounding.hits or question_stems & _KNOWLEDGE_STEMS:
        return True
    return grounding.doc_hits[0].score > grounding.hits[0].score


def answer_about_product(hit: ProductHit, question: str) -> str:
    question_stems = content_stems(question)
    name = f"**{hit.title}**"
    facts = f"It's {FOR_SHOPPER.price(hit)} and {FOR_SHOPPER.stock(hit)}."
    if _PRICE_QUESTION_RE.search(question):
        return f"{name} is {FOR_SHOPPER.price(hit)} and {FOR_SHOPPER.stock(hit)}."
    if _STOCK_QUESTION_RE.search(question):
        return f"{name} is {FOR_SHOPPER.stock(hit)}, at {FOR_SHOPPER.price(hit)}."
    for attribute, values in hit.attributes.items():
        value_stems = {stem(v.lower()) for v in values}
        if stem(attribute.lower()) in question_stems or value_stems & question_stems:
            options = ", ".join(values)
            return f"{name} comes in these {attribute.lower()} options: {options}. {facts}"
    # Words of the title itself say nothing about the question ("is the rain jacket warm?").
    evidence, overlap = _best_sentence(question_stems, hit.snippets, content_stems(hit.title))
    if overlap:
        return f'About {name}: "{evidence}" {facts}'
    return (
        f"The description of {name} doesn't say anything about that, so I'd rather not guess. "
        f"{facts} The store can help with details they haven't listed."
    )


def answer_from_documents(doc_hits: tuple[DocumentHit, ...], question: str) -> str:
    question_stems = content_stems(question)
    best_doc, best_sentence, best_score = doc_hits[0], "", -1
    for doc in doc_hits:
        sentence, score = _best_sentence(question_stems, doc.snippets, set())
        if score > best_score:
            best_doc, best_sentence, best_score = doc, sentence, score
    if not best_sentence and best_doc.snippets:
        best_sentence = sentences(best_doc.snippets[0])[0]
    return f'Here\'s what our {best_doc.title} says: "{best_sentence}"'


def _documents_cover(doc_hits: tuple[DocumentHit, ...], question: str) -> bool:
    """Some document sentence shares a content word with the question."""
    question_stems = content_stems(question)
    return any(_best_sentence(question_stems, doc.snippets, set())[1] > 0 for doc in doc_hits)


# Words that name no product: "anything under $30?" asks for everything within the bound.
_GENERIC_STEMS = content_stems(
    "anything something everything any some product products item items thing things stuff "
    "have has got sell sells selling available option options recommend recommendation show "
    # The filters' and the ordering's own words: retrieval applied them already.
    "sale discounted deal deals stock cheap cheapest cheaper expensive priciest affordable "
    "price prices"
)
_CHEAPEST_RE = re.compile(
    r"\b(cheapest|least expensive|lowest[- ]priced?|most affordable|cheaper ones?)\b", re.I
)
_PRICIEST_RE = re.compile(
    r"\b(most expensive|priciest|highest[- ]priced?|top of the range)\b", re.I
)


def _ordered(hits: list[ProductHit], question: str) -> tuple[list[ProductHit], str]:
    """In-stock products first (a shopper can buy those), then by price when the question
    asks for the cheapest or the priciest; otherwise in retrieval's order."""
    if _CHEAPEST_RE.search(question):
        return sorted(
            hits, key=lambda h: (not h.in_stock, h.price is None, h.price or 0)
        ), ", cheapest first"
    if _PRICIEST_RE.search(question):
        return sorted(
            hits, key=lambda h: (not h.in_stock, h.price is None, -(h.price or 0))
        ), ", priciest first"
    return sorted(hits, key=lambda h: not h.in_stock), ""


def answer_with_product_list(hits: tuple[ProductHit, ...], question: str) -> str:
    # Numbers are the price bound, not a product word.
    question_stems = {
        s for s in content_stems(question) - _GENERIC_STEMS if not s.replace(".", "").isdigit()
    }
    # Retrieval always returns its top-k; keep the ones that share a word with the question.
    matching = [h for h in hits if _hit_stems(h) & question_stems] if question_stems else list(hits)
    close_matches_only = not matching
    candidates, price_filter = _price_filtered(question, matching or list(hits))
    if price_filter and not candidates:
        return f"Sorry, I couldn't find anything matching that {price_filter}."
    candidates, order = _ordered(candidates, question)
    lines = [
        f"- **{h.title}** — {FOR_SHOPPER.price(h)}, {FOR_SHOPPER.stock(h)}"
        for h in candidates[:MAX_LISTED]
    ]
    if close_matches_only:
        intro = "I couldn't find an exact match, but these might be close:"
    elif price_filter:
        intro = f"Here's what I found {price_filter}{order}:"
    else:
        intro = f"Here's what I found{order}:" if len(lines) > 1 else "I found this:"
    return intro + "\n" + "\n".join(lines)


def compose_grounded_answer(grounding: Grounding) -> str:
    question = grounding.question
    if is_greeting(question):
        return greeting_answer(grounding.profile, grounding.language)
    topics = policy_topics(question)
    if topics:
        stated = answer_from_policies(topics, grounding.profile, question, grounding.language)
        if stated is not None:
            return stated
        if _documents_cover(grounding.doc_hits, question):
            return answer_from_documents(grounding.doc_hits, question)
        return no_policy_answer(topics, grounding.profile, grounding.language)
    if not grounding.hits and not grounding.doc_hits:
        return NOTHING_FOUND
    question_stems = content_stems(question)
    if _is_knowledge_question(question_stems, grounding):
        return answer_from_documents(grounding.doc_hits, question)
    if not grounding.hits:
        return NOTHING_FOUND
    search_like = bool(_SEARCH_CUE_RE.search(question))
    if not search_like:
        single = (
            _named_in_question(grounding.hits, question)
            or _page_hit(grounding)
            or _single_strong_hit(grounding.hits, question_stems)
        )
        if single is not None:
            return answer_about_product(single, question)
    return answer_with_product_list(grounding.hits, question)
