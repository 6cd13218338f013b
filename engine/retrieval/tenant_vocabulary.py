"""What retrieval reads about a tenant before it searches: the store's vocabulary (its
categories and attribute values, which turn a question's words into filters), its number
of chunks in the embedding space, its store when it has only one (a bot of that store
sees every product, so its condition is left out), and how many of its chunks hold each
of the question's words (the text ranker's IDF; core.models.term_frequency).

They are one read by primary key of the tenant's `search_vocabularies` row, which
ingestion keeps in step with the catalogue (core.search_vocabulary), so it is read every
time. A tenant without a row (never written since migration 0014) has its vocabulary
computed from its products, with the same SQL that fills the rows, and kept in the
process for VOCABULARY_TTL_SECONDS.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core import search_vocabulary
from core.ids import TenantId
from engine.retrieval.filters import StoreVocabulary
from engine.retrieval.term_stats import WeightedTerm, question_lexemes, stored_terms

VOCABULARY_TTL_SECONDS = 60.0  # only for a tenant without a stored vocabulary


@dataclass(frozen=True, slots=True)
class TenantVocabulary:
    vocabulary: StoreVocabulary
    chunks: int | None  # in the space asked for (None: not stored, TermStats counts them)
    only_store: uuid.UUID | None  # the tenant's one store (None: several, none, not known)
    # The question's terms weighed by the stored document frequencies (None: no question
    # asked, or the tenant's words not counted yet: TermStats counts them).
    terms: tuple[WeightedTerm, ...] | None = None
    # The riders' values (core.search_vocabulary.RidingQuery), in order; None when the
    # tenant has no stored row (they were lost with it: the caller asks on its own).
    riders: tuple[Any, ...] | None = None


async def computed_vocabulary(session: AsyncSession, *, tenant_id: TenantId) -> StoreVocabulary:
    """The vocabulary computed from the products, for a tenant without a stored one."""
    row = (
        await session.execute(
            text(
                f"SELECT {search_vocabulary.CATEGORIES_SQL} AS categories, "
                f"{search_vocabulary.ATTRIBUTE_VALUES_SQL} AS attribute_values"
            ),
            {"tenant_id": tenant_id},
        )
    ).one()
    return StoreVocabulary(frozenset(row.categories), frozenset(row.attribute_values))


async def stored_vocabulary(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    space: str | None = None,
    settings: search_vocabulary.TransactionSettings | None = None,
    question: str | None = None,
    riders: Sequence[search_vocabulary.RidingQuery] = (),
) -> TenantVocabulary | None:
    """The tenant's stored row, in one read by primary key; None when it has none yet.
    `settings`: applied by the same statement (core.search_vocabulary.read); `question`:
    its terms are weighed in the same statement too; `riders`: evaluated by it."""
    stored = await search_vocabulary.read(
        session,
        tenant_id,
        space,
        settings=settings,
        question=question_lexemes(question) if question is not None else None,
        riders=riders,
    )
    if stored is None:
        return None
    vocabulary = StoreVocabulary(stored.categories, stored.attribute_values)
    terms = None
    if stored.term_counts is not None and stored.term_total is not None:
        terms = tuple(stored_terms(stored.term_counts, stored.term_total))
    return TenantVocabulary(vocabulary, stored.chunks, stored.only_store, terms, stored.riders)


class TenantVocabularies:
    """The stored rows, and the computed vocabularies of tenants without one, cached."""

    def __init__(self) -> None:
        self._computed: dict[TenantId, tuple[float, StoreVocabulary]] = {}

    async def read(
        self,
        session: AsyncSession,
        tenant_id: TenantId,
        space: str,
        *,
        settings: search_vocabulary.TransactionSettings | None = None,
        question: str | None = None,
        riders: Sequence[search_vocabulary.RidingQuery] = (),
    ) -> TenantVocabulary:
        stored = await stored_vocabulary(
            session,
            tenant_id=tenant_id,
            space=space,
            settings=settings,
            question=question,
            riders=riders,
        )
        if stored is not None:
            return stored
        cached = self._computed.get(tenant_id)
        if cached and time.monotonic() - cached[0] < VOCABULARY_TTL_SECONDS:
            return TenantVocabulary(cached[1], None, None)
        vocabulary = await computed_vocabulary(session, tenant_id=tenant_id)
        self._computed[tenant_id] = (time.monotonic(), vocabulary)
        return TenantVocabulary(vocabulary, None, None)
