""" "Cheapest", "most expensive", "newest", "best rated": the order is the database's, over
every product the question's filters let through, not a re-sort of the few products
retrieval ranked (which left the cheapest toy out when it was not among them).

What is ordered: with a category, or when nothing is left of the question but the order
and its filters ("what's the cheapest thing in Toys you have in stock?"), every such
product; when it also describes a kind ("the cheapest tent"), the products retrieval
found for that description, within a margin of the best match.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.retrieval.filters import QueryFilters
from engine.retrieval.product_filter import ordered_products

# Words that describe no kind of product: what is left of "what's the cheapest item you
# have?" once the order and the filters are taken out.
_GENERIC = frozenset(
    """a an the what what's whats which is are do does you your have has got i i'm im me my
    on in at of for to from with and or any anything something thing things item items
    product products stuff one ones store shop sell right now available budget buy get
    show see find please can could would like want need there here that this it it's its
    currently today option options choice choices that's thats which's""".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
# A described kind keeps the products scoring within this share of the best match.
RELEVANCE_MARGIN = 0.85


def describes_a_kind(filters: QueryFilters) -> bool:
    """Are there words left beyond the order, the filters and the category named?"""
    named = {w for category in filters.categories for w in category.split()}
    return any(
        w not in _GENERIC and w not in named and w.rstrip("s") not in named
        for w in (m.lower() for m in _WORD.findall(filters.search_text))
    )


async def order_as_asked(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    filters: QueryFilters,
    store_id: uuid.UUID | None,
    scores: Mapping[uuid.UUID, float],
    limit: int,
) -> list[uuid.UUID] | None:
    """The products to show in the order asked for, or None when no order was asked."""
    if filters.order is None:
        return None
    among: Sequence[uuid.UUID] | None = None
    if not filters.categories and describes_a_kind(filters):
        best = max(scores.values(), default=0.0)
        among = [pid for pid, score in scores.items() if score >= best * RELEVANCE_MARGIN]
    return await ordered_products(
        session,
        tenant_id=tenant_id,
        filters=filters,
        store_id=store_id,
        limit=limit,
        among=among,
    )
