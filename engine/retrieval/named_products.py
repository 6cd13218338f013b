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

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId

# Shorter titles are words ("Kite"), not names.
MIN_NAME_CHARS = 6
MAX_NAMED = 4

# `name_head = ANY(:heads)` narrows the tenant's products to those whose name's first word
# the question has, through the (tenant_id, name_head) index: text equality is LEAKPROOF,
# so the index serves it under row-level security, where `strpos` alone read every one of
# the tenant's products (80-110 ms at 100,000; migration 0015).
_NAMED_SQL = text("""
    SELECT id, name FROM products
    WHERE tenant_id = :tenant_id AND name_head = ANY(CAST(:heads AS text[]))
      AND status = 'publish'
      AND length(name) >= :min_chars AND strpos(:question, lower(name)) > 0
      AND (CAST(:store_id AS uuid) IS NULL OR store_id = CAST(:store_id AS uuid))
""")
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


async def named_products(
    session: AsyncSession, *, tenant_id: TenantId, store_id: uuid.UUID | None, question: str
) -> list[uuid.UUID]:
    """The published products whose whole title the question contains, in the order named."""
    lowered = " ".join(question.lower().split())
    rows = (
        await session.execute(
            _NAMED_SQL,
            {
                "tenant_id": tenant_id,
                "question": lowered,
                "heads": name_heads(lowered),
                "min_chars": MIN_NAME_CHARS,
                "store_id": store_id,
            },
        )
    ).all()
    return [row_id for row_id, _ in _standing_alone(lowered, [(r.id, r.name) for r in rows])]


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
