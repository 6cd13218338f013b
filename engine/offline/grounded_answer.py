"""Composes an answer from retrieved facts alone, with no language model.

This is what `shopbot demo` and tests answer with. It can only say what the hits say, which
is the point: prices and stock come from the hit fields, descriptions are quoted, and when
nothing matches it says so instead of guessing.

Decision order:
0. a greeting alone                         -> what the assistant can do
   a question about the store (shipping, returns, payment, warranty, orders, codes, a
   person)                                   -> the merchant's policy, else a knowledge
                                                document that covers it, else "ask the
                                                store" (store_questions.py); unless it asks
                                                the weight, size or material of the
                                                product it is about
1. nothing retrieved                         -> say plainly that nothing matches
2. a shipping/returns/payment style question -> quote the best document sentence
3. a question about one product (its title named, or the product on the page unless the
   question asks for other products)         -> answered from that product's facts
                                                (product_answer.py)
4. a thing asked for that no product is      -> "we don't sell that", then the really close
                                                ones (honesty.py)
5. one strong hit for a question that is not a search -> answered about it
6. otherwise                                 -> list the matching products with price and stock
"""

from __future__ import annotations

import re

from engine.offline.evidence import most_shared
from engine.offline.followups import answer_on_focus
from engine.offline.honesty import NotSold, not_sold
from engine.offline.phrases import say
from engine.offline.product_answer import answer_about_product
from engine.offline.questions import (
    asks_dimensions,
    asks_if_sold,
    asks_material,
    asks_price,
    asks_stock,
    asks_weight,
)
from engine.offline.store_questions import (
    answer_from_policies,
    greeting_answer,
    is_greeting,
    no_policy_answer,
    policy_topics,
)
from engine.offline.subject import (
    GENERIC_STEMS,
    is_search,
    name_stems,
    named_in_question,
    single_strong_hit,
    subject_of,
)
from engine.offline.variants import axes
from engine.offline.wording import bold, price_words, stock_words
from engine.prompts.text import content_stems, format_money, sentences, stem
from engine.retrieval.filters import parse_filters
from engine.types import DocumentHit, Grounding, ProductHit

MAX_LISTED = 5

NOTHING_FOUND = say("en", "nothing_found")

_KNOWLEDGE_STEMS = {
    stem(w)
    for w in (
        "shipping ship shipped delivery deliver return returns refund exchange warranty "
        "guarantee payment pay paypal invoice order tracking track policy policies contact "
        "hours open customs international store"
    ).split()
}
_CHEAPEST_RE = re.compile(
    r"\b(cheapest|least expensive|lowest[- ]priced?|most affordable|cheaper ones?)\b", re.I
)
_PRICIEST_RE = re.compile(
    r"\b(most expensive|priciest|highest[- ]priced?|top of the range)\b", re.I
)


def _hit_stems(hit: ProductHit) -> set[str]:
    return name_stems(hit) | content_stems(" ".join([*hit.snippets, *hit.attributes.keys()]))


def _price_filtered(
    question: str, hits: list[ProductHit], language: str
) -> tuple[list[ProductHit], str | None]:
    """Applies "under $50" / "over $100" as retrieval read them (engine.retrieval.filters:
    one reading of a bound, so "can't spend more than $42" is a maximum here too); returns
    the hits and a description of the bound."""
    currency = hits[0].currency if hits else "USD"
    bounds = parse_filters(question)
    low, high = bounds.min_price, bounds.max_price
    if low is None and high is None:
        return hits, None
    kept = [
        h
        for h in hits
        if h.price is not None
        and (low is None or h.price >= low)
        and (high is None or h.price <= high)
    ]
    # Described by its upper bound when it has one ("between $50 and $80": "under $80").
    limit, key = (high, "bound_under") if high is not None else (low, "bound_over")
    return kept, say(language, key, amount=format_money(limit, currency))


def _is_knowledge_question(question_stems: set[str], grounding: Grounding) -> bool:
    if not grounding.doc_hits:
        return False
    if not grounding.hits or question_stems & _KNOWLEDGE_STEMS:
        return True
    return grounding.doc_hits[0].score > grounding.hits[0].score


def answer_from_documents(
    doc_hits: tuple[DocumentHit, ...], question: str, language: str = "en"
) -> str:
    best_doc, best_sentence, best_score = doc_hits[0], "", 0
    for doc in doc_hits:
        sentence, score = most_shared(question, doc.snippets)
        if score > best_score:
            best_doc, best_sentence, best_score = doc, sentence, score
    if not best_sentence and best_doc.snippets:
        best_sentence = sentences(best_doc.snippets[0])[0]
    return say(language, "document_quote", title=best_doc.title, quote=best_sentence)


def _documents_cover(doc_hits: tuple[DocumentHit, ...], question: str) -> bool:
    """Some document sentence shares a content word with the question."""
    return any(most_shared(question, doc.snippets)[1] > 0 for doc in doc_hits)


def _ordered(hits: list[ProductHit], question: str, language: str) -> tuple[list[ProductHit], str]:
    """In-stock products first (a shopper can buy those), then by price when the question
    asks for the cheapest or the priciest; otherwise in retrieval's order."""
    if _CHEAPEST_RE.search(question):
        return sorted(hits, key=lambda h: (not h.in_stock, h.price is None, h.price or 0)), say(
            language, "order_cheapest"
        )
    if _PRICIEST_RE.search(question):
        return sorted(hits, key=lambda h: (not h.in_stock, h.price is None, -(h.price or 0))), say(
            language, "order_priciest"
        )
    return sorted(hits, key=lambda h: not h.in_stock), ""


def _list_lines(hits: list[ProductHit], language: str) -> list[str]:
    return [
        say(
            language,
            "list_item",
            name=bold(h),
            price=price_words(h, language),
            stock=stock_words(h, language),
        )
        for h in hits[:MAX_LISTED]
    ]


def _intro(bound: str | None, order: str, count: int, language: str) -> str:
    if bound and order:
        return say(language, "list_intro_filtered_ordered", bound=bound, order=order)
    if bound:
        return say(language, "list_intro_filtered", bound=bound)
    if order:
        return say(language, "list_intro_ordered", order=order)
    return say(language, "list_intro" if count > 1 else "list_intro_one")


def answer_with_product_list(
    hits: tuple[ProductHit, ...], question: str, language: str = "en"
) -> str:
    # Numbers are the price bound, not a product word.
    question_stems = {
        s for s in content_stems(question) - GENERIC_STEMS if not s.replace(".", "").isdigit()
    }
    # Retrieval always returns its top-k; keep the ones that share a word with the question.
    matching = [h for h in hits if _hit_stems(h) & question_stems] if question_stems else list(hits)
    close_matches_only = not matching
    candidates, bound = _price_filtered(question, matching or list(hits), language)
    if bound and not candidates:
        return say(language, "nothing_within_bound", bound=bound)
    candidates, order = _ordered(candidates, question, language)
    lines = _list_lines(candidates, language)
    if close_matches_only:
        intro = say(language, "list_close_matches")
    else:
        intro = _intro(bound, order, len(lines), language)
    return intro + "\n" + "\n".join(lines)


def _not_sold_answer(verdict: NotSold, language: str) -> str:
    said = say(language, "not_sold", thing=verdict.thing)
    if not verdict.closest:
        return said
    lines = _list_lines(list(verdict.closest), language)
    return f"{said} {say(language, 'not_sold_closest')}\n" + "\n".join(lines)


def _store_options(hits: tuple[ProductHit, ...]) -> list[str]:
    """Every option the retrieved products come in: what "and in cream?" may name."""
    return [o for h in hits for values in axes(h).values() for o in values]


def _about_product(hit: ProductHit, grounding: Grounding) -> str:
    return answer_about_product(
        hit,
        grounding.question,
        grounding.language,
        _store_options(grounding.hits),
        named=named_in_question(grounding.hits, grounding.question) is hit,
    )


def _asks_product_fact(question: str) -> bool:
    """A weight, size or material: the product's facts, even when it mentions shipping."""
    return asks_weight(question) or asks_dimensions(question) or asks_material(question)


def _store_answer(topics: list[str], grounding: Grounding) -> str:
    stated = answer_from_policies(topics, grounding.profile, grounding.question, grounding.language)
    if stated is not None:
        return stated
    if _documents_cover(grounding.doc_hits, grounding.question):
        return answer_from_documents(grounding.doc_hits, grounding.question, grounding.language)
    return no_policy_answer(topics, grounding.profile, grounding.language)


def _also_asks_about(hit: ProductHit, grounding: Grounding) -> bool:
    """The question names the product and asks its price, stock or whether it is sold."""
    question = grounding.question
    return named_in_question(grounding.hits, question) is hit and (
        asks_price(question) or asks_stock(question) or asks_if_sold(question)
    )


def compose_grounded_answer(grounding: Grounding) -> str:
    # A follow-up on earlier products or a comparison (engine.offline.followups).
    if (on_focus := answer_on_focus(grounding)) is not None:
        return on_focus
    question, language = grounding.question, grounding.language
    if is_greeting(question):
        return greeting_answer(grounding.profile, grounding.language)
    subject = subject_of(grounding) if grounding.hits else None
    topics = policy_topics(question)
    if topics and not (subject is not None and _asks_product_fact(question)):
        store_answer = _store_answer(topics, grounding)
        if subject is not None and _also_asks_about(subject, grounding):
            # "Any discount codes? Also, have you got the X and what does it cost?"
            return f"{_about_product(subject, grounding)}\n\n{store_answer}"
        return store_answer
    if not grounding.hits and not grounding.doc_hits:
        return say(language, "nothing_found")
    question_stems = content_stems(question)
    if subject is None and _is_knowledge_question(question_stems, grounding):
        return answer_from_documents(grounding.doc_hits, question, language)
    if not grounding.hits:
        return say(language, "nothing_found")
    if subject is not None:
        return _about_product(subject, grounding)
    verdict = not_sold(question, grounding.hits)
    if verdict is not None:
        return _not_sold_answer(verdict, language)
    if not is_search(question):
        single = single_strong_hit(grounding.hits, question_stems)
        if single is not None:
            return _about_product(single, grounding)
    return answer_with_product_list(grounding.hits, question, language)
