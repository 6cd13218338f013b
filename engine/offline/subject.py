"""Which product a question is about, if one.

1. the product whose whole title the question contains (the longest such title);
2. the product on the page, unless the question asks for other products ("do you have
   tents?", "anything under $50?" with no "it"/"this" pointing at the page);
3. for a question that is not a search, a single strong hit: its title named, or far
   ahead of the runner-up.
"""

from __future__ import annotations

import re

from engine.guardrails.mentions import occurrences
from engine.prompts.text import content_stems, fold
from engine.retrieval.filters import parse_filters
from engine.types import Grounding, ProductHit

# A top hit this much stronger than the runner-up is "the" product the shopper means.
STRONG_HIT_RATIO = 1.5

SEARCH_CUE_RE = re.compile(
    r"\b(do you (have|sell|carry|stock)(?! to\b)|have you got|show me|looking for|recommend"
    r"|suggest|any\b|which|options|alternatives?|cheapest|best|under|below|less than|over"
    r"|above|something|list|what .* do you)\b",
    re.IGNORECASE,
)
# Asking for other products than the one on the page.
_OTHER_PRODUCTS_RE = re.compile(
    r"\b(do you (have|sell|carry|stock)(?! to\b)|have you got|show me|looking for|recommend"
    r"|suggest|alternatives?|similar|something else|anything|other (ones|products|models)"
    r"|cheapest|cheaper ones|under|below|less than|tienen|busco|avez-vous|haben sie|cerco"
    r"|voc[eê]s t[eê]m|menos de|moins de|unter|meno di)\b",
    re.IGNORECASE,
)
# Words pointing at the product the shopper is looking at ("is it", "this one", "disto").
_POINTS_AT_PAGE_RE = re.compile(
    r"\b(it|its|it's|this|that|these|those|they|them|lo|la|le|ce|cet|cette|das|dies|dieser"
    r"|dieses|diesen|questo|questa|este|esta|isso|isto|disto|deste|desta|ello)\b",
    re.IGNORECASE,
)
# Words that name no product: "anything under $30?" asks for everything within the bound.
GENERIC_STEMS = content_stems(
    "anything something everything any some product products item items thing things stuff "
    "have has got sell sells selling available option options recommend recommendation show "
    "sale discounted deal deals stock cheap cheapest cheaper expensive priciest affordable "
    "price prices under below less over above"
)


def page_hit(grounding: Grounding) -> ProductHit | None:
    page = grounding.page
    if page is None or not page.product_id:
        return None
    return next(
        (h for h in grounding.hits if page.product_id in (h.external_id, str(h.product_id))),
        None,
    )


def _whole_name_at(question: str, end: int) -> bool:
    """Whether a title found ending at `end` is the whole name the shopper wrote: "the
    Brisa Organic Cotton Tee Classic" is not the Brisa Organic Cotton Tee."""
    following = question[end:].lstrip()
    return not following[:1].isupper() and not following[:1].isdigit()


def named_in_question(hits: tuple[ProductHit, ...], question: str) -> ProductHit | None:
    """The product whose whole title the question contains, the longest such title: "how
    much is the Brisa Board Game?" means that game even when "Brisa Board Game Pro" ranks
    above it (its title holds the same words and more), and not when the question asks
    for the "Brisa Board Game Deluxe"."""
    asked = " ".join(question.split())
    for text, title_of in ((asked.lower(), str.lower), (fold(asked), fold)):
        named = [
            h
            for h in hits
            if any(_whole_name_at(asked, m.end()) for m in occurrences(title_of(h.title), text))
        ]
        if named:
            return max(named, key=lambda h: len(h.title))
    return None


def name_stems(hit: ProductHit) -> set[str]:
    """The words that say what a product is: its title, categories and attribute values."""
    values = [v for options in hit.attributes.values() for v in options]
    return content_stems(" ".join([hit.title, *hit.categories, *values]))


def asks_for_other_products(question: str, page: ProductHit) -> bool:
    """Asked on `page`'s page, the question is about other products: it asks for products
    ("do you have tents?", "anything cheaper?") and does not point at the page's ("do you
    have it in red?") or name only its options ("do you have Navy?")."""
    if _POINTS_AT_PAGE_RE.search(question) or not _OTHER_PRODUCTS_RE.search(question):
        return False
    words = {s for s in content_stems(question) - GENERIC_STEMS if not s[:1].isdigit()}
    options = content_stems(" ".join(v for values in page.attributes.values() for v in values))
    return not words or not words <= options


def single_strong_hit(hits: tuple[ProductHit, ...], question_stems: set[str]) -> ProductHit | None:
    if not hits:
        return None
    top = hits[0]
    title_stems = content_stems(top.title)
    named = bool(title_stems) and len(title_stems & question_stems) * 3 >= len(title_stems) * 2
    dominant = len(hits) == 1 or top.score >= STRONG_HIT_RATIO * max(hits[1].score, 1e-9)
    return top if (named or dominant) else None


# "the A or the B", "compare", "between": about two products. "Or the" counts before a
# name ("or the Cedar Tent"), not in "or the kid has to drive it".
_COMPARES_RE = re.compile(
    r"\b(?i:vs\.?|versus|compare|compared|comparison|between)\b|\b(?i:or the) [A-Z]"
)


def subject_of(grounding: Grounding) -> ProductHit | None:
    """The product the question is about, named or on the page; None for a search or a
    comparison ("the A or the B?" is about both)."""
    question, hits = grounding.question, grounding.hits
    if _COMPARES_RE.search(question):
        return None
    named = named_in_question(hits, question)
    if named is not None:
        return named
    page = page_hit(grounding)
    if page is not None and not asks_for_other_products(question, page):
        return page
    return None


def is_search(question: str) -> bool:
    """A search or a comparison: a list answers it, not one product. A price bound makes a
    search of any wording ("I want a linen duvet cover but can't spend more than $25")."""
    if SEARCH_CUE_RE.search(question) is not None or _COMPARES_RE.search(question) is not None:
        return True
    bounds = parse_filters(question)
    return bounds.max_price is not None or bounds.min_price is not None
