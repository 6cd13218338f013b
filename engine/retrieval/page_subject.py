"""Is a question asked on a product page about that product?

"Which country made it?", "why is the white one so loud?", "how much does it weigh?" asked
on an ice maker's page are about the ice maker. Searched over the whole catalogue, the
same words pull in a latch, a canopy and a toothbrush that merely share "white": the
shopper did not ask about them, and in a model's prompt they crowd out the review that
answers. Such a question gets the page's product alone (its excerpts chosen by the
question, see `HybridRetriever`).

The question is searched normally (the page's product stays first, as context) when it
names or describes something else: another product by its name, a price bound, a
category the page's product is not in, an option it does not have asked for ("do you
have it in red?"), or words that ask for other
products ("similar", "compare", "instead", "cheaper than"...), in the languages the
filters read.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from engine.retrieval import repository
from engine.retrieval.filters import QueryFilters

# Words that ask about other products than the one on the page.
_OTHERS = re.compile(
    r"\b(?:others?|else|similar|alternatives?|compare[sd]?|comparison|versus|vs\.?|instead"
    r"|recommend\w*|suggest\w*|(?:cheaper|better|bigger|smaller|lighter|warmer) than"
    r"|other (?:ones?|products?|models?|colou?rs? options)|any(?:thing)? (?:like|else)"
    r"|otr[oa]s?|similares?|alternativas?|comparar|en lugar de|autres?|semblables?"
    r"|comparer|au lieu de|andere[nrs]?|ähnliche[nrs]?|vergleich\w*|statt|altr[oaie]"
    r"|simil[ei]|confronta\w*|invece|outr[oa]s?|semelhantes?|em vez de)\b",
    re.I,
)
# "Do you have it in red?", "does it come in XL?": asking for an option; "why is the white
# one loud?" only describes the product on the page (whose attributes may not list colour).
_ASKS_FOR_OPTION = re.compile(
    r"\b(?:have|has|got|come|comes|available|get|sell|stock|carry|make|tienen|hay|viene"
    r"|avez|existe|gibt|haben|avete|c'è|têm|tem)\b",
    re.I,
)
_WORD = re.compile(r"[^\W_]+", re.U)
# A title word this short or this common names nothing on its own.
_MIN_NAME_WORD = 3
_COMMON = frozenset(
    "the and for with this that set pack kit one new from your you are its not all".split()
)


def _words(text: str) -> set[str]:
    return {
        w
        for w in (m.lower() for m in _WORD.findall(text))
        if len(w) >= _MIN_NAME_WORD and w not in _COMMON
    }


def names_another_product(question: str, page_title: str, other_titles: Iterable[str]) -> bool:
    """Does the question name a product other than the page's, by the words of its title
    that the page's title does not share ("the Cedar Trail Running Shoe" on a sleeping
    bag's page)? Two such words, or the whole distinctive part of a short title."""
    asked = _words(question)
    page = _words(page_title)
    for title in other_titles:
        distinctive = _words(title) - page
        named = distinctive & asked
        if len(named) >= 2 or (named and named == distinctive):
            return True
    return False


def page_is_subject(
    question: str,
    filters: QueryFilters,
    *,
    page_title: str,
    page_categories: Iterable[str],
    page_values: Iterable[str],
    other_titles: Iterable[str],
) -> bool:
    """True when the question is about the page's product only (see the module's doc).
    `page_values`: the page product's attribute values (lower-cased), so "do you have it
    in red?" stays on a page that sells it in red."""
    if _OTHERS.search(question):
        return False
    if filters.min_price is not None or filters.max_price is not None:
        return False
    categories = {c.lower() for c in page_categories}
    if any(c not in categories for c in filters.categories):
        return False
    values = {v.lower() for v in page_values}
    if _ASKS_FOR_OPTION.search(question) and any(v not in values for v in filters.attribute_values):
        return False
    return not names_another_product(question, page_title, other_titles)


def page_is_subject_of(
    question: str,
    filters: QueryFilters,
    page: repository.PageProduct,
    candidates: list[repository.ChunkCandidate],
    top_k: int,
) -> bool:
    """`page_is_subject` for a retrieval: the other products it could name are the ones
    retrieval would show."""
    titles: dict[uuid.UUID, str] = {}
    for candidate in candidates:
        if candidate.product_id is not None and candidate.product_id != page.id:
            titles.setdefault(candidate.product_id, candidate.title)
            if len(titles) >= top_k * 2:
                break
    return page_is_subject(
        question,
        filters,
        page_title=page.title,
        page_categories=page.categories,
        page_values=page.values,
        other_titles=titles.values(),
    )
