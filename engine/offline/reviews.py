"""Reviews summarised: "what do people say about it?", "is it any good?", "how are the
reviews?" get the count and the average rating from the product's live fields, and a
review quoted when retrieval brought one; "no reviews yet" when there are none.
"""

from __future__ import annotations

import re
from decimal import Decimal

from engine.offline.phrases import say
from engine.offline.wording import bold
from engine.prompts.text import content_stems
from engine.types import ProductHit

# How the catalogue renders a review in a product's text: - "Great pan." (Chidi, 4/5)
_REVIEW_RE = re.compile(
    r"[\"“](?P<text>[^\"”]{8,400})[\"”]\s*\((?P<who>[^()]{1,60}),\s*\d(?:\.\d)?/5\)"
)


def quoted_reviews(hit: ProductHit) -> list[str]:
    """The review texts in the product's retrieved excerpts, in order, each once."""
    found = [m.group("text").strip() for s in hit.snippets for m in _REVIEW_RE.finditer(s)]
    return list(dict.fromkeys(found))


def _average(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1')):f}".rstrip("0").rstrip(".")


def reviews_answer(hit: ProductHit, question: str, language: str) -> str | None:
    """None when the product has no rating and no review was retrieved: what shoppers wrote
    may still be in its text, and "no reviews yet" is said only after looking there."""
    reviews = quoted_reviews(hit)
    if hit.rating_count <= 0 or hit.average_rating is None:
        if not reviews:
            return None
        summary = ""
    elif hit.rating_count == 1:
        summary = say(
            language, "reviews_summary_one", name=bold(hit), average=_average(hit.average_rating)
        )
    else:
        summary = say(
            language,
            "reviews_summary",
            name=bold(hit),
            count=hit.rating_count,
            average=_average(hit.average_rating),
        )
    if not reviews:
        return summary
    question_stems = content_stems(question)
    best = max(reviews, key=lambda text: len(content_stems(text) & question_stems))
    quote = say(language, "reviews_quote", quote=best)
    return f"{summary} {quote}".strip() if summary else f"{bold(hit)}: {quote}"
