"""Hybrid retrieval inside one tenant and bot: vector + full text, fused, grouped per product.

Live facts (price, sale price, currency, stock) are read from the product rows at the end,
so what the shopper is told is what the store says now, not what a chunk said when it was
embedded.

Latency: the text the rankers search for does not depend on the store (only price phrases
are cut out of the question), so the query embedding starts first, on the embedder's
thread, and the SQL that does not need the vector runs meanwhile: beginning the
transaction (pool checkout, the tenant's set_config, the rankers' settings), the store's
vocabulary, the products the question's filters let through, the whole text ranker, the
page's product. Only what is left of the embedding then is on the critical path
(`timings_ms["embedding_wait"]`), followed by the vector ranker and its fusion with the
text ranker's list.

The store's vocabulary (its categories and attribute values, which turn the question's
words into filters) and its chunk count are one read by primary key of the tenant's
`search_vocabularies` row, which ingestion keeps in step with the catalogue
(core.search_vocabulary): never stale, and no longer three catalogue-wide statements
(~37 ms at 1,000 tenants) for a tenant this process has not seen within a minute
(engine.retrieval.tenant_vocabulary). The same statement reads how many of the tenant's
chunks hold each of the question's words (the text ranker's IDF), kept by ingestion too
(core.models.term_frequency), instead of a count over the tenant's rows per question.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.embeddings.base import Embedder
from engine.retrieval import repository
from engine.retrieval.before_vector import AskedQuestion, BeforeTheVector, before_the_vector
from engine.retrieval.filters import QueryFilters, parse_filters
from engine.retrieval.grouping import Group, document_hits, group_candidates, named_shown
from engine.retrieval.hits import load_product_hits
from engine.retrieval.ordering import order_as_asked
from engine.retrieval.page_subject import page_is_subject_of
from engine.retrieval.product_filter import AllowedProducts
from engine.retrieval.query_cache import PendingEmbedding, QueryEmbeddingCache
from engine.retrieval.settings import RetrievalSettings
from engine.retrieval.tenant_vocabulary import TenantVocabularies
from engine.retrieval.term_stats import WeightedTerm
from engine.retrieval.text_ranker import TextRanking
from engine.types import DocumentHit, PageContext, ProductHit


@dataclass(slots=True)
class RetrievalResult:
    hits: list[ProductHit]
    doc_hits: list[DocumentHit]
    filters: QueryFilters
    page_product_id: uuid.UUID | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    # The vector the query was searched with (in the retriever's space): the question's
    # analytics cluster it without embedding it again (engine.analytics.question_clusters).
    query_vector: list[float] | None = None


class HybridRetriever:
    def __init__(
        self,
        embedder: Embedder,
        cache: QueryEmbeddingCache | None = None,
        *,
        stored_terms: bool = True,
    ) -> None:
        """`stored_terms=False` counts every question's words over the tenant's rows, as
        before migration 0018: the benches' baseline (bench.retrieval)."""
        self._embedder = embedder
        self._cache = cache or QueryEmbeddingCache()
        self._vocabularies = TenantVocabularies()
        self._stored_terms = stored_terms

    @property
    def space(self) -> str:
        return self._embedder.space.name

    def start_embedding(self, query: str) -> PendingEmbedding:
        """Begin embedding what `retrieve(query=...)` will search for, ahead of the call
        (pass it as `prefetched`): e.g. while the conversation is being written."""
        return self._embedding_of(parse_filters(query).search_text)

    def _embedding_of(self, search_text: str) -> PendingEmbedding:
        return self._cache.start(self.space, search_text, self._embedder.embed_query)

    async def retrieve(
        self,
        session: AsyncSession,
        *,
        tenant_id: TenantId,
        query: str,
        settings: RetrievalSettings,
        store_id: uuid.UUID | None = None,
        page: PageContext | None = None,
        prefetched: PendingEmbedding | None = None,
    ) -> RetrievalResult:
        """`prefetched` (from `start_embedding`) is used when it embeds this query's search
        text; it stays the caller's, to discard if it went unused."""
        timings: dict[str, float] = {}
        search_text = parse_filters(query).search_text
        own: PendingEmbedding | None = None
        if prefetched is not None and prefetched.text == search_text:
            pending = prefetched
        else:
            own = pending = self._embedding_of(search_text)
        try:
            started = time.perf_counter()
            question = AskedQuestion(query, search_text, store_id, page)
            before = await self._before_the_vector(session, tenant_id, question, settings)
            filters = before.filters
            sql_ms = _ms(started)

            started = time.perf_counter()
            vector = await pending.vector()
            if filters.search_text != pending.text:
                # The store's vocabulary only adds filters today; should it ever edit the
                # search text, the vector must still embed what the rankers search for.
                vector = await self._cache.get_or_compute(
                    self.space, filters.search_text, self._embedder.embed_query
                )
            timings["embedding_wait"] = _ms(started)
            timings["embedding"] = pending.took_ms
        finally:
            if own is not None:
                own.discard()  # a no-op once it is done

        started = time.perf_counter()
        candidates = await self.rank_chunks(
            session,
            tenant_id,
            vector,
            filters,
            settings,
            store_id=before.ranked_store,
            text_ranking=before.text_ranking,
            configured=True,
            allowed=before.allowed,
            chunk_total=before.chunk_total,
        )
        ranked, documents = await self._shown(
            session, tenant_id, query, candidates, before, settings, store_id, vector
        )
        hits = await load_product_hits(
            session,
            tenant_id=tenant_id,
            product_ids=[pid for pid, _ in ranked],
            snippets={pid: group.snippets for pid, group in ranked},
            scores={pid: group.score for pid, group in ranked},
        )
        timings["sql"] = sql_ms + _ms(started)

        doc_hits = document_hits(documents, settings)
        page_id = before.page_product.id if before.page_product else None
        return RetrievalResult(hits, doc_hits, filters, page_id, timings, vector)

    async def _shown(
        self,
        session: AsyncSession,
        tenant_id: TenantId,
        query: str,
        candidates: list[repository.ChunkCandidate],
        before: BeforeTheVector,
        settings: RetrievalSettings,
        store_id: uuid.UUID | None,
        vector: list[float],
    ) -> tuple[list[tuple[uuid.UUID, Group]], dict[uuid.UUID, tuple[Group, str]]]:
        """The products to show, best first: the page's product (alone when it is the
        question's subject), the order asked for, the products named; and the documents."""
        filters, page_product, named = before.filters, before.page_product, before.named
        products, documents = group_candidates(candidates, settings.evidence_per_product + 1)
        if page_product is not None:
            subject = page_is_subject_of(query, filters, page_product, candidates, settings.top_k)
            if subject:
                products = {page_product.id: products.get(page_product.id, Group(0.0, []))}
            await self._add_page_product(
                session,
                tenant_id,
                page_product.id,
                products,
                settings,
                filters.search_text,
                vector,
                subject=subject,
                terms=before.text_ranking.terms if before.text_ranking else None,
            )
        ranked = sorted(products.items(), key=lambda item: item[1].score, reverse=True)
        ranked = [(pid, g) for pid, g in ranked if g.score >= settings.min_score][: settings.top_k]
        ordered = await order_as_asked(
            session,
            tenant_id=tenant_id,
            filters=filters,
            store_id=store_id,
            scores={pid: g.score for pid, g in products.items()},
            limit=settings.top_k,
        )
        if ordered is not None:
            ranked = [(pid, products.get(pid) or Group(0.0, [])) for pid in ordered]
        if named:
            ranked = named_shown(ranked, named, products, page_product, settings.top_k)
        return ranked, documents

    async def _before_the_vector(
        self,
        session: AsyncSession,
        tenant_id: TenantId,
        question: AskedQuestion,
        settings: RetrievalSettings,
    ) -> BeforeTheVector:
        return await before_the_vector(
            session,
            self._vocabularies,
            tenant_id=tenant_id,
            space=self.space,
            question=question,
            settings=settings,
            stored_terms=self._stored_terms,
        )

    async def rank_evidence(
        self,
        session: AsyncSession,
        *,
        tenant_id: TenantId,
        product_id: uuid.UUID,
        query: str,
        settings: RetrievalSettings,
    ) -> list[repository.ChunkCandidate]:
        """The chunks of one product ranked for a question ("is it waterproof?" on its page)."""
        filters = parse_filters(query)
        vector = await self._cache.get_or_compute(
            self.space, filters.search_text, self._embedder.embed_query
        )
        return await self.rank_chunks(
            session, tenant_id, vector, filters, settings, only_product=product_id
        )

    async def rank_chunks(
        self,
        session: AsyncSession,
        tenant_id: TenantId,
        vector: list[float],
        filters: QueryFilters,
        settings: RetrievalSettings,
        *,
        store_id: uuid.UUID | None = None,
        only_product: uuid.UUID | None = None,
        text_ranking: TextRanking | None = None,
        configured: bool = False,
        allowed: AllowedProducts | None = None,
        chunk_total: int | None = None,
        terms: Sequence[WeightedTerm] | None = None,
    ) -> list[repository.ChunkCandidate]:
        """Chunks by fused score for an embedded query, before grouping per product
        (`text_ranking`, `configured`, `allowed`, `chunk_total`, `terms`: see
        `repository.hybrid_candidates`)."""
        return await repository.hybrid_candidates(
            session,
            tenant_id=tenant_id,
            space=self.space,
            query_vector=vector,
            filters=filters,
            store_id=store_id,
            candidates=settings.candidates,
            vector_weight=settings.vector_weight,
            text_weight=settings.text_weight,
            rrf_k=settings.rrf_k,
            fusion=settings.fusion,
            ef_search=settings.ef_search,
            only_product=only_product,
            text_ranking=text_ranking,
            configured=configured,
            allowed=allowed,
            chunk_total=chunk_total,
            terms=terms,
        )

    async def _add_page_product(
        self,
        session: AsyncSession,
        tenant_id: TenantId,
        product_id: uuid.UUID,
        products: dict[uuid.UUID, Group],
        settings: RetrievalSettings,
        query: str,
        query_vector: list[float],
        *,
        subject: bool = False,
        terms: Sequence[WeightedTerm] | None = None,
    ) -> None:
        """The product on the page scopes follow-ups ("is it waterproof?"): it is boosted
        above the rest, with its own chunks as evidence when retrieval missed them. When it
        is the question's subject, its evidence is its own chunks ranked for the question
        (the review or answer that says it, not whichever chunks the catalogue-wide
        ranking happened to keep). `terms`: `query`'s, as the catalogue-wide ranking
        weighed them (no second count of its words)."""
        top = max((g.score for g in products.values()), default=0.0)
        group = products.get(product_id)
        if group is None:
            group = Group(score=0.0, snippets=[])
            products[product_id] = group
        if subject or len(group.snippets) <= settings.evidence_per_product:
            # Retrieval over the whole catalogue may have missed the page product's best
            # evidence: rank its own chunks for the question, as rank_evidence does, with
            # the query's vector when it embeds the same text (no second embedding).
            filters = parse_filters(query)
            vector = (
                query_vector
                if filters.search_text == query
                else await self._cache.get_or_compute(
                    self.space, filters.search_text, self._embedder.embed_query
                )
            )
            ranked = await self.rank_chunks(
                session,
                tenant_id,
                vector,
                filters,
                settings,
                only_product=product_id,
                configured=True,
                terms=terms if filters.search_text == query else None,
            )
            evidence = [c.body for c in ranked] or [
                c.body
                for c in await repository.product_chunks(
                    session,
                    tenant_id=tenant_id,
                    product_id=product_id,
                    space=self.space,
                    limit=settings.evidence_per_product + 1,
                )
            ]
            first, then = (evidence, group.snippets) if subject else (group.snippets, evidence)
            group.snippets = list(dict.fromkeys(first + then))[: settings.evidence_per_product + 1]
        group.score = top + settings.page_boost


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
