"""The SQL of retrieval. Every statement filters on the tenant explicitly (the application
wall) and runs in a tenant session (the RLS wall)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from core.models.product import PRODUCT_LIVE_FACTS, VARIATION_LIVE_FACTS, Product, ProductVariation
from core.models.store import StoreConnection
from core.search_vocabulary import TransactionSettings
from engine.retrieval.filters import QueryFilters
from engine.retrieval.fused_pool import fused_pool_sql
from engine.retrieval.fusion import Fusion, fused_score
from engine.retrieval.product_filter import (
    AllowedProducts,
    checks_each_candidate,
    product_filter_sql,
)
from engine.retrieval.term_stats import WeightedTerm
from engine.retrieval.text_ranker import TextRanking, rank_by_text


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


# Named and sized as in ingestion.indexing.vector_indexes (tests/engine/test_tenant_ef_search)
TENANT_INDEX_PREFIX = "ix_chunk_vectors_hnsw_"
LARGE_INDEX_CHUNKS = 50_000  # = LARGE_GRAPH_CHUNKS: from here the graph is the richer one
LARGE_INDEX_EF_SEARCH = 400  # measured: bench/README_retrieval.md, "Big tenant"


async def configure_search(
    session: AsyncSession, *, ef_search: int, tenant_id: TenantId | None = None
) -> None:
    """This transaction's settings for the rankers, in one round trip.

    - ef_search: at least LARGE_INDEX_EF_SEARCH for a tenant whose own index holds
      LARGE_INDEX_CHUNKS (its `reltuples`, looked up here): the bench's 100,000-chunk
      tenant found 0.77 of its exact top 10 at 100, 0.985 at 400. A smaller index keeps
      the setting (0.99 at 10,000 chunks; at 400 the planner dropped a 6,000-chunk graph
      for the exact scan); without one the search is exact and ef_search moot.
    - Iterative scans keep the HNSW scan going past ef_search when the tenant and product
      filters discard candidates, so filters cannot starve the result.
    - Custom plans only: the text ranker's query is a parameter, and only a plan made for
      its value knows whether its words are rare (use the GIN index) or in every chunk
      (read the tenant's rows). psycopg prepares a statement after five runs, and
      PostgreSQL may then switch it to a generic plan that cannot tell the two apart."""
    settings = search_settings(ef_search=ef_search, tenant_id=tenant_id)
    await session.execute(text(f"SELECT {settings.select_list}"), dict(settings.params))


def search_settings(*, ef_search: int, tenant_id: TenantId | None) -> TransactionSettings:
    """`configure_search`'s settings, for a statement that applies them on its way
    (core.search_vocabulary.read: the retriever's first read, no round trip of their own)."""
    index = TENANT_INDEX_PREFIX + tenant_id.hex if tenant_id is not None else None
    return TransactionSettings(
        "set_config('hnsw.iterative_scan', 'relaxed_order', true), "
        "set_config('hnsw.ef_search', greatest(CAST(:ef AS int), coalesce(("
        f"SELECT {LARGE_INDEX_EF_SEARCH} FROM pg_class WHERE oid = to_regclass(:tenant_index)"
        f" AND reltuples >= {LARGE_INDEX_CHUNKS}), 0))::text, true), "
        "set_config('plan_cache_mode', 'force_custom_plan', true)",
        {"ef": ef_search, "tenant_index": index},
    )


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
    fusion: Fusion = "weighted",
    only_product: uuid.UUID | None = None,
    text_ranking: TextRanking | None = None,
    configured: bool = False,
    allowed: AllowedProducts | None = None,
    chunk_total: int | None = None,
    terms: Sequence[WeightedTerm] | None = None,
) -> list[ChunkCandidate]:
    """Chunks ranked by fusing a vector ranker (cosine over HNSW) and a text ranker (IDF-
    weighted term coverage over the GIN index), best first. `only_product` ranks the
    evidence inside one product (the page the shopper is on).

    `text_ranking` is the text ranker's result when the caller ran it already (with the
    same filters), e.g. while the query was being embedded; `configured` says that
    `configure_search` ran in this transaction; `allowed`: see `product_filter_sql`;
    `chunk_total`: the tenant's stored chunk count (`product_filter.checks_each_candidate`);
    `terms`: the question's terms with their IDFs when the caller has them (see
    `text_ranker.rank_by_text`)."""
    if not configured:
        await configure_search(session, ef_search=ef_search, tenant_id=tenant_id)
    if text_weight > 0 and text_ranking is None:
        text_ranking = await rank_by_text(
            session,
            tenant_id=tenant_id,
            space=space,
            filters=filters,
            store_id=store_id,
            candidates=candidates,
            only_product=only_product,
            allowed=allowed,
            chunk_total=chunk_total,
            terms=terms,
        )
    terms = text_ranking.terms if text_weight > 0 and text_ranking is not None else ()
    use_vector, use_text = vector_weight > 0, bool(terms)
    if not use_vector and not use_text:
        return []
    params: dict[str, Any] = {
        "tenant_id": tenant_id,
        "space": space,
        "qvec": vector_literal(query_vector),
        "n": candidates,
    }
    vector_where = (
        product_filter_sql(
            filters, store_id, params, only_product, allowed, checks_each_candidate(chunk_total)
        )
        if use_vector
        else None
    )
    sql = fused_pool_sql(vector_where, text_ranking if use_text else None, params)
    rows = (await session.execute(text(sql), params)).all()
    score = functools.partial(
        fused_score, fusion, vector_weight=vector_weight, text_weight=text_weight, rrf_k=rrf_k
    )
    ranked = [_candidate(r, score) for r in rows]
    # Equal scores in a stable order (the chunk id), so a ranking is reproducible.
    ranked.sort(key=lambda c: (-c.score, str(c.chunk_id)))
    return ranked


def _candidate(r: Row[Any], score: Callable[..., float]) -> ChunkCandidate:
    """A pooled row of `fused_pool_sql` with its fused score."""
    return ChunkCandidate(
        chunk_id=r.chunk_id,
        product_id=r.product_id,
        document_id=r.document_id,
        score=score(
            similarity=r.similarity,
            coverage=r.coverage,
            vector_rank=r.vector_rank,
            text_rank=r.text_rank,
        ),
        vector_rank=r.vector_rank,
        text_rank=r.text_rank,
        title=r.title,
        body=r.body,
    )


async def product_chunks(
    session: AsyncSession, *, tenant_id: TenantId, product_id: uuid.UUID, space: str, limit: int
) -> list[ChunkCandidate]:
    """The page's own product: its chunks as evidence, in reading order."""
    rows = (
        await session.execute(
            text("""
                SELECT id, product_id, title, body FROM chunks
                WHERE tenant_id = :tenant_id AND product_id = :product_id
                  AND embedding_space = :space
                ORDER BY ordinal LIMIT :limit
            """),
            {"tenant_id": tenant_id, "product_id": product_id, "space": space, "limit": limit},
        )
    ).all()
    return [
        ChunkCandidate(r.id, r.product_id, None, 0.0, None, None, r.title, r.body) for r in rows
    ]


# What a product hit is built from: the product's listing and its live facts, and what its
# add-to-cart link needs (the product's type, its store's base URL).
_HIT_COLUMNS = (
    Product.id,
    Product.external_id,
    Product.name,
    Product.currency,
    Product.categories,
    Product.status,
    Product.type,
    StoreConnection.base_url,
    Product.weight,
    Product.dimensions,
    Product.average_rating,
    Product.rating_count,
    *PRODUCT_LIVE_FACTS,
)


# Built once: on the hot path of every answer, and `= ANY(:ids)` keeps one statement text
# whatever the number of ids (an expanding IN would render a new text per length, which
# neither SQLAlchemy's compiled cache nor the server's prepared statements could reuse).
_LIVE_FACTS = (
    select(*_HIT_COLUMNS)
    .join(StoreConnection, StoreConnection.id == Product.store_id)
    .where(
        Product.tenant_id == bindparam("tenant_id"),
        StoreConnection.tenant_id == bindparam("tenant_id"),
        Product.id == any_(bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True)))),
        Product.status == "publish",
    )
)


async def live_facts(
    session: AsyncSession, *, tenant_id: TenantId, product_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Row[Any]]:
    """The published products' current facts, by product id."""
    if not product_ids:
        return {}
    parameters = {"tenant_id": tenant_id, "ids": list(product_ids)}
    rows = (await session.execute(_LIVE_FACTS, parameters)).all()
    return {r.id: r for r in rows}


# The published variations of the hits, all in one statement, in the store's order (its ids
# are numbers: shorter first, then by text, without a cast that a bad id could fail).
_VARIATIONS = (
    select(ProductVariation.product_id, ProductVariation.external_id, *VARIATION_LIVE_FACTS)
    .where(
        ProductVariation.tenant_id == bindparam("tenant_id"),
        ProductVariation.product_id == any_(bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True)))),
        ProductVariation.status == "publish",
    )
    .order_by(
        ProductVariation.product_id,
        func.length(ProductVariation.external_id),
        ProductVariation.external_id,
    )
)


async def published_variations(
    session: AsyncSession, *, tenant_id: TenantId, product_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[Row[Any]]]:
    """The products' published variations with their live facts, by product id."""
    if not product_ids:
        return {}
    parameters = {"tenant_id": tenant_id, "ids": list(product_ids)}
    out: dict[uuid.UUID, list[Row[Any]]] = {}
    for row in (await session.execute(_VARIATIONS, parameters)).all():
        out.setdefault(row.product_id, []).append(row)
    return out


@dataclass(frozen=True, slots=True)
class PageProduct:
    """The product the shopper is looking at, with what tells a question about it from a
    question about something else (engine.retrieval.page_subject)."""

    id: uuid.UUID
    title: str
    categories: tuple[str, ...]
    values: tuple[str, ...]  # its attribute values, lower-cased


async def resolve_page_product(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    store_id: uuid.UUID | None,
    external_id: str | None,
    url: str | None,
) -> PageProduct | None:
    """The product the shopper is looking at: by the store's id, else by its permalink."""
    if not external_id and not url:
        return None
    params: dict[str, Any] = {"tenant_id": tenant_id}
    store_clause = ""
    if store_id is not None:
        store_clause = " AND store_id = :store_id"
        params["store_id"] = store_id
    select_page = (
        "SELECT id, name, categories, attributes FROM products WHERE tenant_id = :tenant_id "
    )
    row = None
    if external_id:
        params["external_id"] = str(external_id)
        row = (
            await session.execute(
                text(
                    select_page + f"AND external_id = :external_id{store_clause} "
                    "AND status = 'publish' LIMIT 1"
                ),
                params,
            )
        ).first()
    if row is None and url:
        params["url"] = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
        row = (
            await session.execute(
                text(
                    select_page + f"AND rtrim(permalink, '/') = :url{store_clause} "
                    "AND status = 'publish' LIMIT 1"
                ),
                params,
            )
        ).first()
    if row is None:
        return None
    values = [
        str(v).lower()
        for option in (row.attributes or {}).values()
        for v in (option if isinstance(option, list) else [option])
    ]
    return PageProduct(row.id, row.name, tuple(row.categories or ()), tuple(values))


def price_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
