"""Products a question names by their full title, always among the hits.

"Which is cheaper, the Cedar Down Sleeping Bag or the Cedar Trail Running Shoe?", "do you
have the Côte Hiking Boot in navy, size 43?": a product named is what the shopper asks
about, so it is shown (in the order named) whatever the rankers think of the rest of the
question's words and whatever its filters say ("available" must not hide the named boot
that is out of stock: the answer is that it is out of stock). A name inside a longer
name that is also named ("Cedar Trail Running Shoe" in "... Shoe Lite") counts only where
it stands on its own.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.search_vocabulary import RidingQuery
from engine.retrieval.query_cache import normalise

# Shorter titles are words ("Kite"), not names.
MIN_NAME_CHARS = 6
MAX_NAMED = 4

# `name_head = ANY(:named_heads)` narrows the tenant's products to those whose name's first
# word the question has, through the (tenant_id, name_head) index: text equality is
# LEAKPROOF, so the index serves it under row-level security, where `strpos` alone read
# every one of the tenant's products (80-110 ms at 100,000; migration 0015). The parameters
# are prefixed: the condition also rides in the vocabulary's read, beside its own.
_NAMED_WHERE = """
    tenant_id = :tenant_id AND name_head = ANY(CAST(:named_heads AS text[]))
      AND status = 'publish'
      AND length(name) >= :named_min_chars AND strpos(:named_question, lower(name)) > 0
      AND (CAST(:named_store_id AS uuid) IS NULL OR store_id = CAST(:named_store_id AS uuid))
"""
_NAMED_SQL = text(f"SELECT id, name FROM products WHERE {_NAMED_WHERE}")
# The same products as one value, for the vocabulary's read (`named_rider`).
_NAMED_AS_JSON = (
    "SELECT coalesce(jsonb_agg(jsonb_build_array(id, name)), '[]'::jsonb) "
    f"FROM products WHERE {_NAMED_WHERE}"
)
_WORD_CHAR = re.compile(r"\w")


def name_heads(question: str) -> list[str]:
    """Every string the first word of a product name standing alone in `question` (lower-
    cased, its spaces single) can be, as products.name_head computes it: the text from a
    position no word character precedes up to the next space, or, for a one-word name, up
    to any character that is not a word character."""
    heads: set[str] = set()
    for start, char in enumerate(question):
        if char == " " or (start > 0 and _WORD_CHAR.match(question[start - 1])):
            continue
        end = question.find(" ", start)
        token = question[start:] if end < 0 else question[start:end]
        heads.add(token)
        heads.update(
            token[:cut] for cut in range(1, len(token)) if not _WORD_CHAR.match(token[cut])
        )
    return sorted(heads)


def _parameters(lowered: str, store_id: uuid.UUID | None) -> dict[str, Any]:
    return {
        "named_question": lowered,
        "named_heads": name_heads(lowered),
        "named_min_chars": MIN_NAME_CHARS,
        "named_store_id": store_id,
    }


async def named_products(
    session: AsyncSession, *, tenant_id: TenantId, store_id: uuid.UUID | None, question: str
) -> list[uuid.UUID]:
    """The published products whose whole title the question contains, in the order named."""
    lowered = normalise(question)
    parameters = {"tenant_id": tenant_id, **_parameters(lowered, store_id)}
    rows = (await session.execute(_NAMED_SQL, parameters)).all()
    return [row_id for row_id, _ in _standing_alone(lowered, [(r.id, r.name) for r in rows])]


def named_rider(question: str, store_id: uuid.UUID | None) -> RidingQuery:
    """`named_products` as a subquery of the tenant's vocabulary read (which binds
    `tenant_id`): its value goes to `named_in_rider`."""
    return RidingQuery(_NAMED_AS_JSON, _parameters(normalise(question), store_id))


def named_in_rider(question: str, value: Sequence[Sequence[str]]) -> list[uuid.UUID]:
    """What `named_products` returns, from `named_rider`'s value."""
    found = [(uuid.UUID(product_id), name) for product_id, name in value]
    return [row_id for row_id, _ in _standing_alone(normalise(question), found)]


def _standing_alone(
    question: str, found: list[tuple[uuid.UUID, str]]
) -> list[tuple[uuid.UUID, int]]:
    taken: list[tuple[int, int]] = []
    named: list[tuple[uuid.UUID, int]] = []
    # Longest names first, so a name inside a longer one is only counted elsewhere.
    for product_id, name in sorted(found, key=lambda item: -len(item[1])):
        pattern = re.compile(rf"(?<!\w){re.escape(name.lower())}(?!\w)")
        for match in pattern.finditer(question):
            span = match.span()
            if not any(start <= span[0] and span[1] <= end for start, end in taken):
                taken.append(span)
                named.append((product_id, span[0]))
                break
    named.sort(key=lambda item: item[1])
    return named[:MAX_NAMED]
