"""The part of a search that needs no query vector, run while the question is embedded
(engine.retrieval.search): the rankers' settings, the store's vocabulary, the stored
frequencies of the question's words and the products the question names by title (one
statement), the filters, the products they allow, the text ranker, the page's product.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.retrieval import repository
from engine.retrieval.filters import QueryFilters, parse_filters
from engine.retrieval.named_products import named_in_rider, named_products, named_rider
from engine.retrieval.product_filter import AllowedProducts, allowed_products
from engine.retrieval.settings import RetrievalSettings
from engine.retrieval.tenant_vocabulary import TenantVocabularies
from engine.retrieval.text_ranker import TextRanking, rank_by_text
from engine.types import PageContext


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """What retrieval is asked (not engine.answer_events.Question, the turn's)."""

    text: str  # as the shopper asked it
    search_text: str  # what the rankers search for (filters.parse_filters)
    store_id: uuid.UUID | None  # the bot's store
    page: PageContext | None


@dataclass(frozen=True, slots=True)
class BeforeTheVector:
    """What `before_the_vector` found while the query was embedded."""

    filters: QueryFilters
    allowed: AllowedProducts | None  # product_filter.allowed_products
    text_ranking: TextRanking | None
    page_product: repository.PageProduct | None
    named: list[uuid.UUID]
    chunk_total: int | None  # the tenant's chunks in the space (None: not stored)
    ranked_store: uuid.UUID | None  # the store condition the rankers apply (None: none)


async def before_the_vector(
    session: AsyncSession,
    vocabularies: TenantVocabularies,
    *,
    tenant_id: TenantId,
    space: str,
    question: AskedQuestion,
    settings: RetrievalSettings,
    stored_terms: bool = True,
) -> BeforeTheVector:
    """`stored_terms=False`: the question's words are counted over the tenant's rows, as
    before migration 0018 (engine.retrieval.search.HybridRetriever)."""
    # The rankers' settings go out with the vocabulary's read: one round trip for both.
    search_settings = repository.search_settings(ef_search=settings.ef_search, tenant_id=tenant_id)
    words = question.search_text if settings.text_weight > 0 and stored_terms else None
    # And the products the question names by title, in the same statement.
    store_id = question.store_id
    tenant = await vocabularies.read(
        session,
        tenant_id,
        space,
        settings=search_settings,
        question=words,
        riders=(named_rider(question.text, store_id),),
    )
    chunk_total = tenant.chunks
    filters = parse_filters(question.text, tenant.vocabulary)
    # The vocabulary only adds filters today; should it ever edit the search text, the
    # terms read for the text before it would not be the ranker's.
    terms = tenant.terms if filters.search_text == question.search_text else None
    # The bot of a tenant's only store: its store condition lets every product through,
    # and leaving it out spares the rankers a product lookup per chunk. A bot whose
    # store is another (one replaced since) keeps it, and finds nothing.
    ranked_store = None if store_id == tenant.only_store else store_id
    allowed = await allowed_products(
        session,
        tenant_id=tenant_id,
        filters=filters,
        store_id=ranked_store,
        chunk_total=chunk_total,
    )
    text_ranking = None
    if settings.text_weight > 0:
        text_ranking = await rank_by_text(
            session,
            tenant_id=tenant_id,
            space=space,
            filters=filters,
            store_id=ranked_store,
            candidates=settings.candidates,
            allowed=allowed,
            chunk_total=chunk_total,
            terms=terms,
        )
    page_product = None
    if question.page is not None:
        page_product = await repository.resolve_page_product(
            session,
            tenant_id=tenant_id,
            store_id=store_id,
            external_id=question.page.product_id,
            url=question.page.url,
        )
    # Products the question names by title (engine.retrieval.named_products), read with
    # the vocabulary unless the tenant has no stored row.
    named = (
        named_in_rider(question.text, tenant.riders[0])
        if tenant.riders is not None
        else await named_products(
            session, tenant_id=tenant_id, store_id=store_id, question=question.text
        )
    )
    return BeforeTheVector(
        filters, allowed, text_ranking, page_product, named, chunk_total, ranked_store
    )
