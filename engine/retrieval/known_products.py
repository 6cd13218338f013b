"""Products the question already identifies, read by id: no ranking, live facts only.

A follow-up acts on the products an earlier answer showed (their store ids are kept with
the conversation) and a comparison names its products; neither is a search. Their facts
are read now, from the product rows as retrieval reads them (the row → hit code is the
retriever's, so a product shown here says exactly what a search result would), with their
chunks in reading order as evidence to quote. Every statement filters on the tenant and
runs in a tenant session.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.prompts.text import stem, words
from engine.retrieval.hits import load_product_hits
from engine.retrieval.tenant_vocabulary import computed_vocabulary, stored_vocabulary
from engine.types import ProductHit


async def products_by_store_id(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    external_ids: Sequence[str],
    space: str,
    evidence: int,
) -> list[ProductHit]:
    """The published products with these store ids, in the order given, each with up to
    `evidence` of its chunks as snippets. A product gone or unpublished since is left out."""
    if not external_ids:
        return []
    params: dict[str, object] = {"tenant_id": tenant_id, "external_ids": list(external_ids)}
    store_clause = ""
    if store_id is not None:
        store_clause = " AND store_id = :store_id"
        params["store_id"] = store_id
    rows = (
        await session.execute(
            text(
                "SELECT id, external_id FROM products WHERE tenant_id = :tenant_id "
                f"AND external_id = ANY(:external_ids){store_clause} AND status = 'publish'"
            ),
            params,
        )
    ).all()
    by_store_id = {str(r.external_id): r.id for r in rows}
    ids = [by_store_id[e] for e in dict.fromkeys(external_ids) if e in by_store_id]
    return await products_by_id(
        session, tenant_id=tenant_id, product_ids=ids, space=space, evidence=evidence
    )


async def products_by_id(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    product_ids: Sequence[uuid.UUID],
    space: str,
    evidence: int,
) -> list[ProductHit]:
    """Hits for `product_ids` in that order, with live facts and reading-order evidence."""
    if not product_ids:
        return []
    ids = list(product_ids)
    snippets = await _evidence(
        session, tenant_id=tenant_id, product_ids=ids, space=space, per_product=evidence
    )
    return await load_product_hits(session, tenant_id=tenant_id, product_ids=ids, snippets=snippets)


async def _evidence(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    product_ids: list[uuid.UUID],
    space: str,
    per_product: int,
) -> dict[uuid.UUID, list[str]]:
    """Each product's first chunks in reading order, in one statement."""
    if not product_ids or per_product <= 0:
        return {}
    rows = (
        await session.execute(
            text("""
                SELECT product_id, body FROM (
                    SELECT product_id, body, ordinal,
                           row_number() OVER (PARTITION BY product_id ORDER BY ordinal) AS n
                    FROM chunks
                    WHERE tenant_id = :tenant_id AND product_id = ANY(:ids)
                      AND embedding_space = :space
                ) ranked
                WHERE n <= :per_product
                ORDER BY product_id, ordinal
            """),
            {
                "tenant_id": tenant_id,
                "ids": product_ids,
                "space": space,
                "per_product": per_product,
            },
        )
    ).all()
    found: dict[uuid.UUID, list[str]] = {}
    for row in rows:
        found.setdefault(row.product_id, []).append(row.body)
    return found


async def catalogue_stems(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    stems: set[str],
) -> set[str]:
    """Those of `stems` that name something the store sells: a word of some published
    product's title or category begins with it ("tent" in "Two-Person Tents"; at most a
    plural's few letters more, so "em" is not "Ember"), and it is no attribute option of
    the store ("cream" is a colour even beside a "Sun Cream")."""
    wanted = sorted(s for s in stems if len(s) >= 3 and s.replace("'", "").isalnum())
    if not wanted:
        return set()
    params: dict[str, object] = {"tenant_id": tenant_id, "stems": wanted}
    store_clause = ""
    if store_id is not None:
        store_clause = " AND p.store_id = :store_id"
        params["store_id"] = store_id
    # `stems` are letters, digits and apostrophes only: nothing a regex would read.
    found = await session.scalars(
        text(f"""
            SELECT s FROM unnest(CAST(:stems AS text[])) AS s
            WHERE EXISTS (
                SELECT 1 FROM products p
                WHERE p.tenant_id = :tenant_id AND p.status = 'publish'{store_clause}
                  AND lower(p.name || ' ' || array_to_string(p.categories, ' '))
                      ~ ('(^|[^[:alnum:]])' || s || '[[:alpha:]]{{0,3}}([^[:alnum:]]|$)')
            )
        """),
        params,
    )
    named = set(found.all())
    if not named:
        return named
    stored = await stored_vocabulary(session, tenant_id=tenant_id)
    vocabulary = (
        stored.vocabulary
        if stored is not None
        else await computed_vocabulary(session, tenant_id=tenant_id)
    )
    options = {stem(w) for value in vocabulary.attribute_values for w in words(value)}
    return named - options
