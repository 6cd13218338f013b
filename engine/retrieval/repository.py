"""The SQL of retrieval. Every statement filters on the tenant explicitly (the application
wall) and runs in a tenant session (the RLS wall)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.retrieval.filters import QueryFilters, StoreVocabulary


@dataclass(frozen=True, slots=True)
class ChunkCandidate:
    chunk_id: uuid.UUID
    product_id: uuid.UUID | None
    document_id: uuid.UUID | None
    score: float
    vector_rank: int | None
    text_rank: int | None
    title: str
    body: str


def vector_literal(vector: list[float]) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector) + "]"


def _product_filter_sql(
    filters: QueryFilters,
    store_id: uuid.UUID | None,
    params: dict[str, Any],
    only_product: uuid.UUID | None = None,
) -> str:
    """Conditions on the joined product row `p`; knowledge chunks pass only when the
    question states no product constraint."""
    if only_product is not None:
        params["only_product"] = only_product
        return "c.product_id = :only_product"
    clauses: list[str] = []
    if store_id is not None:
        clauses.append("p.store_id = :store_id")
        params["store_id"] = store_id
    if filters.min_price is not None:
        clauses.append("p.price >= :min_price")
        params["min_price"] = filters.min_price
    if filters.max_price is not None:
        clauses.append("p.price <= :max_price")
        params["max_price"] = filters.max_price
    if filters.in_stock_only:
        clauses.append("p.stock_status IN ('instock', 'onbackorder')")
    if filters.on_sale_only:
        clauses.append("p.on_sale")
    if filters.categories:
        clauses.append(
            "EXISTS (SELECT 1 FROM unnest(p.categories) AS cat WHERE lower(cat) = ANY(:categories))"
        )
        params["categories"] = list(filters.categories)
    for i, value in enumerate(filters.attribute_values):
        clauses.append(
            f"EXISTS (SELECT 1 FROM jsonb_each(p.attributes) AS kv, "
            f"jsonb_array_elements_text(CASE WHEN jsonb_typeof(kv.value) = 'array' THEN kv.value ELSE '[]'::jsonb END) AS val "
            f"WHERE lower(val) = :attr_{i})"
        )
        params[f"attr_{i}"] = value
    if not clauses:
        # No product condition: the rankers need no join to products at all (the join
        # costs more than the vector search itself on a large tenant).
        return "TRUE"
    product_clause = " AND ".join(clauses)
    if filters.any:
        return f"c.product_id IS NOT NULL AND {product_clause}"
    return f"(c.knowledge_document_id IS NOT NULL OR ({product_clause}))"


def _text_query(search_text: str) -> str:
    """websearch syntax with OR between words: a shopper's question rarely contains every
    word of the product text, so the ranker scores partial matches instead of requiring all."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in search_text).split() if len(w) > 1]
    return " or ".join(words[:32])


async def hybrid_candidates(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    space: str,
    query_vector: list[float],
    filters: QueryFilters,
    store_id: uuid.UUID | None,
    candidates: int,
    vector_weight: float,
    text_weight: float,
    rrf_k: int,
    ef_search: int,
    only_product: uuid.UUID | None = None,
) -> list[ChunkCandidate]:
    """Chunks ranked by reciprocal rank fusion of a vector ranker and a full-text ranker.
    `only_product` ranks the evidence inside one product (the page the shopper is on)."""
    # Transaction-local: iterative scans keep the HNSW scan going past ef_search when the
    # tenant and product filters discard candidates, so filters cannot starve the result.
    await session.execute(text("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)"))
    await session.execute(text("SELECT set_config('hnsw.ef_search', :ef, true)"), {"ef": str(ef_search)})
    params: dict[str, Any] = {
        "tenant_id": tenant_id,
        "space": space,
        "qvec": vector_literal(query_vector),
        "tsq": _text_query(filters.search_text),
        "n": candidates,
        "wv": vector_weight,
        "wt": text_weight,
        "k": rrf_k,
    }
    where = _product_filter_sql(filters, store_id, params, only_product)
    join = "LEFT JOIN products p ON p.id = c.product_id" if "p." in where else ""
    sql = f"""
        WITH vec AS (
            SELECT c.id, c.product_id, c.knowledge_document_id,
                   c.embedding <=> CAST(:qvec AS vector) AS dist
            FROM chunks c {join}
            WHERE c.tenant_id = :tenant_id AND c.embedding_space = :space AND {where}
            ORDER BY c.embedding <=> CAST(:qvec AS vector)
            LIMIT :n
        ), vec_ranked AS (
            SELECT *, row_number() OVER (ORDER BY dist) AS rank FROM vec
        ), txt AS (
            SELECT c.id, c.product_id, c.knowledge_document_id,
                   ts_rank_cd(c.search_vector, q, 32) AS trank
            FROM chunks c {join},
                 websearch_to_tsquery('english', :tsq) AS q
            WHERE c.tenant_id = :tenant_id AND c.embedding_space = :space
              AND c.search_vector @@ q AND {where}
            ORDER BY trank DESC
            LIMIT :n
        ), txt_ranked AS (
            SELECT *, row_number() OVER (ORDER BY trank DESC) AS rank FROM txt
        ), fused AS (
            SELECT coalesce(v.id, t.id) AS chunk_id,
                   coalesce(v.product_id, t.product_id) AS product_id,
                   coalesce(v.knowledge_document_id, t.knowledge_document_id) AS document_id,
                   coalesce(:wv / (:k + v.rank), 0) + coalesce(:wt / (:k + t.rank), 0) AS score,
                   v.rank AS vector_rank, t.rank AS text_rank
            FROM vec_ranked v FULL OUTER JOIN txt_ranked t ON t.id = v.id
        )
        SELECT f.chunk_id, f.product_id, f.document_id, f.score, f.vector_rank, f.text_rank,
               c.title, c.body
        FROM fused f JOIN chunks c ON c.id = f.chunk_id
        ORDER BY f.score DESC
    """
    rows = (await session.execute(text(sql), params)).all()
    return [
        ChunkCandidate(
            chunk_id=r.chunk_id,
            product_id=r.product_id,
            document_id=r.document_id,
            score=float(r.score),
            vector_rank=r.vector_rank,
            text_rank=r.text_rank,
            title=r.title,
            body=r.body,
        )
        for r in rows
    ]


async def product_chunks(
    session: AsyncSession, *, tenant_id: TenantId, product_id: uuid.UUID, space: str, limit: int
) -> list[ChunkCandidate]:
    """The page's own product: its chunks as evidence, in reading order."""
    rows = (
        await session.execute(
            text("""
                SELECT id, product_id, title, body FROM chunks
                WHERE tenant_id = :tenant_id AND product_id = :product_id AND embedding_space = :space
                ORDER BY ordinal LIMIT :limit
            """),
            {"tenant_id": tenant_id, "product_id": product_id, "space": space, "limit": limit},
        )
    ).all()
    return [
        ChunkCandidate(r.id, r.product_id, None, 0.0, None, None, r.title, r.body) for r in rows
    ]


PRODUCT_FACT_COLUMNS = """
    p.id, p.external_id, p.sku, p.name, p.permalink, p.price, p.regular_price, p.sale_price,
    p.currency, p.on_sale, p.stock_status, p.stock_quantity, p.image_url, p.categories,
    p.attributes, p.status
"""


async def live_facts(
    session: AsyncSession, *, tenant_id: TenantId, product_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    if not product_ids:
        return {}
    rows = (
        await session.execute(
            text(f"SELECT {PRODUCT_FACT_COLUMNS} FROM products p "
                 "WHERE p.tenant_id = :tenant_id AND p.id = ANY(:ids) AND p.status = 'publish'"),
            {"tenant_id": tenant_id, "ids": product_ids},
        )
    ).all()
    return {r.id: r for r in rows}


async def resolve_page_product(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    external_id: str | None,
    url: str | None,
) -> uuid.UUID | None:
    """The product the shopper is looking at: by the store's id, else by its permalink."""
    if not external_id and not url:
        return None
    params: dict[str, Any] = {"tenant_id": tenant_id}
    store_clause = ""
    if store_id is not None:
        store_clause = " AND store_id = :store_id"
        params["store_id"] = store_id
    if external_id:
        params["external_id"] = str(external_id)
        found = await session.scalar(
            text("SELECT id FROM products WHERE tenant_id = :tenant_id AND external_id = :external_id"
                 f"{store_clause} AND status = 'publish' LIMIT 1"),
            params,
        )
        if found:
            return found
    if url:
        normalised = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
        params["url"] = normalised
        return await session.scalar(
            text("SELECT id FROM products WHERE tenant_id = :tenant_id "
                 f"AND rtrim(permalink, '/') = :url{store_clause} AND status = 'publish' LIMIT 1"),
            params,
        )
    return None


async def store_vocabulary(session: AsyncSession, *, tenant_id: TenantId) -> StoreVocabulary:
    categories = await session.scalars(
        text("SELECT DISTINCT lower(cat) FROM products p, unnest(p.categories) AS cat "
             "WHERE p.tenant_id = :tenant_id AND p.status = 'publish'"),
        {"tenant_id": tenant_id},
    )
    values = await session.scalars(
        text("SELECT DISTINCT lower(val) FROM products p, jsonb_each(p.attributes) AS kv, "
             "jsonb_array_elements_text(kv.value) AS val "
             "WHERE p.tenant_id = :tenant_id AND p.status = 'publish' AND jsonb_typeof(kv.value) = 'array'"),
        {"tenant_id": tenant_id},
    )
    return StoreVocabulary(frozenset(categories.all()), frozenset(values.all()))


def price_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
