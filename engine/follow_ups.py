"""Follow-ups that act on the products an earlier answer showed, not on a new search.

An assistant turn keeps the products it showed (`Turn.products`, store ids in order, from
its stored sources). "the second one", "the cheaper one", "any under 50?", "only the ones
in stock", "which of them is on sale?", "compare them" and "tell me more about the
Trailhead one" are about that set: a text rewrite searched the catalogue again and re-listed
or misread it. Reading such a follow-up takes two steps:

1. `read_reference` (text only, before any SQL): does the message point back at the last
   answer's products, and with which operation? A message that points nowhere is None and
   is searched as before (engine.query_rewrite).
2. `apply_reference` (on the set's live facts, engine.retrieval.known_products): the
   products the operation selects, or None when the message turns out to name something
   the set does not hold ("any tents under 50?" after jackets: a new search).

The result is a `Focus` on the answer's `Grounding`: the offline answerer phrases it
(engine.offline.followups), a model gets exactly those products as its sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from engine.guardrails.mentions import occurrences
from engine.prompts.text import content_stems, stem, words
from engine.types import Focus, FocusOperation, ProductHit, Turn

# A follow-up's operation before the set's facts are read: a Focus's, or "subject" (the
# product the conversation is on: "is it…?"), which becomes a "pick".
ReferenceOperation = FocusOperation | Literal["subject"]

_ORDINALS = {
    "first": 0,
    "1st": 0,
    "former": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "fifth": 4,
    "5th": 4,
    "last": -1,
    "latter": -1,
}
_ORDINAL_RE = re.compile(
    r"\bthe\s+(first|1st|former|second|2nd|third|3rd|fourth|4th|fifth|5th|last|latter)\b"
    r"(?!\s+(?:time|thing|step|order|week|month|day|year))",
    re.IGNORECASE,
)
_NUMBERED_RE = re.compile(r"\b(?:number|no\.|option|item|#)\s*([1-5])\b", re.IGNORECASE)
# "the cheaper one", "which is cheaper?", "the cheapest of those": a pick by price within the
# set. A bare "the cheapest tent" is a catalogue question unless it also points back.
_CHEAP_RE = re.compile(
    r"\b(cheaper|cheapest|less expensive|least expensive|lower[- ]priced|lowest[- ]priced|"
    r"more affordable|most affordable)\b",
    re.IGNORECASE,
)
_PRICEY_RE = re.compile(
    r"\b(more expensive|most expensive|pricier|priciest|higher[- ]priced|highest[- ]priced)\b",
    re.IGNORECASE,
)
_BEYOND_THE_SET_RE = re.compile(
    r"\b(anything|something|else|other|others|alternatives?|options?|instead)\b", re.IGNORECASE
)
# Words that point back at a set shown before.
_SET_POINTER_RE = re.compile(
    r"\b(them|those|these|they|the two|the three|both|either|ones?|of the (?:two|three)|"
    r"from (?:the|that|your) list|you (?:showed|listed|mentioned))\b",
    re.IGNORECASE,
)
_COMPARE_RE = re.compile(
    r"\b(compare|comparison|difference|differences|differ|versus|vs\.?|side by side|"
    r"which (?:one )?(?:is|would be|should i (?:get|buy|choose|pick)) (?:better|best))\b",
    re.IGNORECASE,
)
_AMOUNT = r"[$€£]?\s?(\d+(?:[.,]\d{1,2})?)\s?(?:dollars?|euros?|pounds?|usd|eur|gbp)?"
_UNDER_RE = re.compile(
    rf"\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|within)\s+{_AMOUNT}", re.I
)
_OVER_RE = re.compile(rf"\b(?:over|above|more than|at least|min(?:imum)?)\s+{_AMOUNT}", re.I)
_IN_STOCK_RE = re.compile(
    r"\b(in stock|available|availability|can i (?:buy|get|order)|ship (?:now|today))\b", re.I
)
_ON_SALE_RE = re.compile(r"\b(on sale|discount(?:ed)?|reduced|on offer|deals?|sale price)\b", re.I)
# "the Trailhead one", "the blue ones": a pick by a word of the title or an option.
_NAMED_ONE_RE = re.compile(r"\bthe\s+((?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+ones?\b", re.IGNORECASE)
# Not a bare "that" or "this": "a jacket that packs small", "for this winter".
_SINGULAR_RE = re.compile(r"\b(it|it's|its|this one|that one)\b", re.IGNORECASE)
# "and in Cream?", "what about size M?": the same subject, refined.
_REFINEMENT_RE = re.compile(
    r"^\W*(and|y|et|und|e|what about|how about|in\b|with\b|without\b)", re.IGNORECASE
)
# A short follow-up asking for a fact of the product in view, in the languages the offline
# answerer speaks ("¿y cuánto cuesta?", "ist er auf Lager?"): it names no product itself.
_FACT_QUESTION_RE = re.compile(
    r"\b(how much|price|cost|costs|stock|available|right away|made of|made from|material|"
    r"colou?rs?|sizes?|tell me more|what'?s it for|cuánto|cuesta|precio|stock|disponible|"
    r"combien|coûte|prix|kostet|preis|lager|verfügbar|quanto|costa|prezzo|disponibile|"
    r"estoque|preço|custa)\b",
    re.IGNORECASE,
)
SHORT_FOLLOW_UP_WORDS = 6
# A follow-up's own words that say how to act on the set, never what to search for.
_OPERATION_STEMS = content_stems(
    "cheaper cheapest expensive pricier priciest affordable price priced prices cost costs "
    "lower lowest higher highest stock available availability buy sale discount discounted "
    "reduced offer deal deals compare comparison difference differences differ versus vs "
    "side better best first second third fourth fifth last former latter number option "
    "item items product products choose pick get order ship now today right away more "
    "tell detail details info information about again both two three either list showed "
    "listed mentioned dollars dollar euros euro pounds pound usd eur gbp anything something "
    "cool great okay ok nice really actually"
)


@dataclass(frozen=True, slots=True)
class SetReference:
    """What a follow-up asks of the last answer's products (before their facts are read)."""

    operation: ReferenceOperation
    products: tuple[str, ...]  # the set: the last answer's products, store ids in order
    index: int | None = None  # "pick": the position asked for (-1: the last)
    limit: Decimal | None = None  # "under"/"over": the bound
    name_words: tuple[str, ...] = ()  # "named": the words naming the one meant
    # "subject": the shopper's earlier message, whose named product "it" means when the
    # answer showed several (else the first shown, the answer's best match).
    earlier_question: str = ""
    # "subject" without a pronoun ("and in size 44?", "¿cuánto cuesta?"): about the one
    # product in view, but after a list of several it refines the search instead.
    implicit: bool = False


def last_shown(history: Sequence[Turn]) -> tuple[str, ...]:
    """The products of the newest assistant turn that showed any."""
    for turn in reversed(history):
        if turn.role == "assistant" and turn.products:
            return turn.products
    return ()


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _bound(question: str) -> tuple[FocusOperation, Decimal] | None:
    bounds: tuple[tuple[re.Pattern[str], FocusOperation], ...] = (
        (_UNDER_RE, "under"),
        (_OVER_RE, "over"),
    )
    for pattern, operation in bounds:
        match = pattern.search(question)
        if match is not None and (limit := _amount(match.group(1))) is not None:
            return operation, limit
    return None


def read_reference(
    question: str, history: Sequence[Turn], *, on_product_page: bool = False
) -> SetReference | None:
    """The operation a follow-up applies to the last answer's products, None when it does
    not point back at them. `on_product_page`: "is it…" is about the page's product then,
    not about what the last answer showed."""
    shown = last_shown(history)
    if not shown:
        return None
    if match := _ORDINAL_RE.search(question):
        return SetReference("pick", shown, index=_ORDINALS[match.group(1).lower()])
    if match := _NUMBERED_RE.search(question):
        return SetReference("pick", shown, index=int(match.group(1)) - 1)
    pointer = bool(_SET_POINTER_RE.search(question))
    if len(shown) > 1 and _COMPARE_RE.search(question):
        return SetReference("compare", shown)
    by_price: tuple[tuple[re.Pattern[str], FocusOperation], ...] = (
        (_CHEAP_RE, "cheapest"),
        (_PRICEY_RE, "priciest"),
    )
    for pattern, operation in by_price:
        found = pattern.search(question)
        # "the cheaper one"/"which is cheaper?" compare what was shown; "cheapest of those"
        # too. "the cheapest tent?" (superlative, no pointer) is a catalogue question.
        comparative = found is not None and found.group(1).lower().split()[-1] in {
            "cheaper",
            "expensive",
            "pricier",
            "affordable",
            "priced",
        }
        # "anything cheaper?", "other options that cost more?": beyond the set, a search.
        beyond = bool(_BEYOND_THE_SET_RE.search(question))
        if found and len(shown) > 1 and not beyond and (pointer or comparative or _bare(question)):
            return SetReference(operation, shown)
    if (bound := _bound(question)) is not None:
        return SetReference(bound[0], shown, limit=bound[1])
    if _ON_SALE_RE.search(question) and (pointer or _bare(question)):
        return SetReference("on_sale", shown)
    if _IN_STOCK_RE.search(question) and len(shown) > 1 and pointer:
        return SetReference("in_stock", shown)
    if match := _NAMED_ONE_RE.search(question):
        named = tuple(w for w in words(match.group(1)) if w not in {"other", "same", "new"})
        if named:
            return SetReference("named", shown, name_words=named)
    if not on_product_page and _about_the_subject(question):
        earlier = next((t.content for t in reversed(history) if t.role == "user"), "")
        implicit = not _SINGULAR_RE.search(question)
        return SetReference("subject", shown, earlier_question=earlier, implicit=implicit)
    if len(shown) > 1 and pointer and re.search(r"\b(which|what|any|all|both)\b", question, re.I):
        return SetReference("all", shown)
    return None


def _about_the_subject(question: str) -> bool:
    """ "is it…", "and in Cream?", "¿y cuánto cuesta?": a question about the product the
    conversation is on (whether it names something new is checked on the set's facts)."""
    if _SINGULAR_RE.search(question) or _REFINEMENT_RE.search(question):
        return True
    return len(question.split()) <= SHORT_FOLLOW_UP_WORDS and bool(
        _FACT_QUESTION_RE.search(question)
    )


def _asked_stems(question: str) -> set[str]:
    """The message's content words that are neither the operation nor a number."""
    return {
        s
        for s in content_stems(question) - _OPERATION_STEMS
        if not s.replace(".", "").replace(",", "").isdigit()
    }


def _bare(question: str) -> bool:
    """Nothing in the message but the operation ("any on sale?", "the cheapest?")."""
    return not _asked_stems(question)


def _hit_stems(hit: ProductHit) -> set[str]:
    values = [v for options in hit.attributes.values() for v in options]
    variant_values = [v for variation in hit.variations for v in variation.options.values()]
    return content_stems(
        " ".join([hit.title, *hit.categories, *values, *variant_values, *hit.snippets])
    )


def asked_stems(question: str) -> set[str]:
    """What a follow-up might name: its content words that are neither the operation nor a
    number (the caller looks them up in the catalogue's titles and categories)."""
    return _asked_stems(question)


def names_something_new(
    question: str, hits: Sequence[ProductHit], catalogue_stems: set[str]
) -> bool:
    """The follow-up names a product or category of the store that none of the set's
    products is ("any tents under 50?" after rain jackets): a new search, not a question
    about the set. `catalogue_stems`: those of the message's `asked_stems` that begin a word
    of some product's title or category (an option like "Cream" is not among them)."""
    known: set[str] = set().union(*(_hit_stems(h) for h in hits)) if hits else set()
    return bool((_asked_stems(question) & catalogue_stems) - known)


def apply_reference(
    reference: SetReference,
    hits: Sequence[ProductHit],
    question: str,
    catalogue_stems: set[str],
) -> Focus | None:
    """The products `reference` selects among `hits` (the set's live facts, in the order
    shown; products gone from the store are missing), as a `Focus`. None: the follow-up is
    not about the set after all (it names something new), or the reference does not fit
    the set ("the third one" of two)."""
    if not hits:
        return None
    operation = reference.operation
    if operation not in _STRONG_REFERENCES and names_something_new(question, hits, catalogue_stems):
        return None
    chosen = _select(reference, list(hits))
    if chosen is None:
        return None
    index = reference.index
    if operation == "subject":
        index = list(hits).index(chosen[0])
    return Focus(
        operation="pick" if operation == "subject" else operation,
        products=tuple(h.external_id for h in chosen),
        shown=tuple(h.external_id for h in hits),
        index=index,
        limit=reference.limit,
    )


# References no new word can turn into a search: "the second one", "the cheaper one".
_STRONG_REFERENCES = frozenset({"pick", "named", "compare"})


def _select(reference: SetReference, hits: list[ProductHit]) -> list[ProductHit] | None:
    operation = reference.operation
    if operation == "pick":
        index = reference.index or 0
        if not -len(hits) <= index < len(hits):
            return None  # "the third one" of two: not a reference we can resolve
        return [hits[index]]
    if operation == "subject":
        asked = " ".join(reference.earlier_question.lower().split())
        named = [h for h in hits if next(occurrences(h.title, asked), None)]
        if named:
            return [max(named, key=lambda h: len(h.title))]
        if reference.implicit and len(hits) > 1:
            return None  # "and in size 44?" after a list of boots: the boots in size 44
        return [hits[0]]
    priced = [h for h in hits if h.price is not None]
    if operation in {"cheapest", "priciest"}:
        if not priced:
            return None
        pick = min if operation == "cheapest" else max
        return [pick(priced, key=lambda h: h.price or Decimal(0))]
    limit = reference.limit
    if operation == "under" and limit is not None:
        return [h for h in priced if h.price is not None and h.price <= limit]
    if operation == "over" and limit is not None:
        return [h for h in priced if h.price is not None and h.price >= limit]
    if operation == "on_sale":
        return [h for h in hits if h.on_sale or any(v.on_sale for v in h.variations)]
    if operation == "in_stock":
        return [h for h in hits if h.in_stock]
    if operation == "named":
        asked_words = {stem(w) for w in reference.name_words}
        named_ones = [h for h in hits if asked_words <= _hit_stems(h)]
        return named_ones or None
    return hits  # "compare", "all"
