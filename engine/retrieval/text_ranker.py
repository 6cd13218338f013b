"""The text ranker: IDF-weighted coverage of the question's terms.

A chunk scores the IDF-weighted share of the question's lexemes it contains; a term in the
title counts more than one in the attributes, which counts more than one in the body (the
generated search_vector labels them A, B, C). Ties go to the chunk where the terms are
denser (ts_rank, length-normalised).

It needs no query vector, so `HybridRetriever.retrieve` runs it while the question is
being embedded; the fusion with the vector ranker then takes its ranking as given.

Which chunks it looks at: those containing a term that is not common in the tenant (in at
most half of its chunks). A common word ("stock", "size") matches nearly every chunk and
adds almost nothing to a score (BM25's IDF of a term in half the chunks is log 2, against
about 8 for a rare one in 2,000), yet made the ranker score every chunk of the tenant.
When every term of the question is common, all of them are matched, as before; inside one
product (`only_product`, the page's) all are matched too. The query
is handed to PostgreSQL as a parameter, not built in SQL, so the planner sees its words
and can weigh the GIN index for rare ones against the tenant's rows for common ones (see
the last paragraph for the GIN index under row-level security).

How many it scores is bounded by the tenant's term statistics (`match_terms`): in a big
tenant even an uncommon word is in thousands of chunks (the bench's 100,000-chunk tenant:
the uncommon terms of a question summed to 14,350 chunks at the median, 74,600 at most),
and every matched chunk is scored term by term. The uncommon terms are taken rarest first
while their summed document frequencies stay within MATCH_BUDGET_CHUNKS (always the
rarest one that is in any chunk; a word in none costs nothing); every term of the
question still counts in the score. The rarest terms weigh most in a score, so the chunks
left out match only commoner words, which the rare ones outscore: on the bench's
questions the top 40 came out identical with and without the bound. A tenant whose
uncommon terms sum to at most the budget (every tenant of up to MATCH_BUDGET_CHUNKS
chunks, whatever the question) is ranked exactly as before.

A tenant of up to HEAP_SCAN_MAX_CHUNKS chunks has its own rows matched (found by the tenant
b-tree; `ts_match_vq`, the function behind `@@`, keeps the planner off the GIN index), as
its term statistics are counted: the index is one for all tenants, and a common word's
posting list holds every tenant's chunks. On the bench's 100 tenants x 2,000 products the
ranker went from p50 3.8 / p95 15.0 ms to 3.0 / 6.5 ms (bench.retrieval_statements).

Under the forced row-level security the GIN index serves `@@` only because migration 0015
marks its function, ts_match_vq, LEAKPROOF (PostgreSQL runs no other function of a
statement ahead of the policy, so it could not be an index condition): without the mark
(a migration run by a role that is not a superuser) the ranker reads the tenant's rows,
~150 ms for 100,000 chunks on the bench machine. What the bound leaves is scoring the
chunks matched, a few thousand in a big tenant whose rarest question word is common:
bench/README_retrieval.md ("Statement by statement") has the measurements.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import TenantId
from engine.retrieval.filters import QueryFilters
from engine.retrieval.product_filter import (
    AllowedProducts,
    checks_each_candidate,
    product_filter_sql,
)
from engine.retrieval.term_stats import (
    HEAP_SCAN_MAX_CHUNKS,
    TermStats,
    WeightedTerm,
    tsquery_any,
)

# One process-wide cache of question terms and per-tenant term frequencies.
TERM_STATS = TermStats()

TITLE_FACTOR = 1.5
ATTRIBUTES_FACTOR = 1.2
# BM25's IDF of a term in half the tenant's chunks: at or below it a term is common.
COMMON_TERM_IDF = math.log(2.0)
# The most chunks the ranker matches for one question, as the summed document frequencies
# of the terms it matches on (bench/README_retrieval.md: the 100,000-product tenant).
MATCH_BUDGET_CHUNKS = 3_000


def coverage_sql(terms: Sequence[WeightedTerm], params: dict[str, Any]) -> str:
    """For the chunk `c`, the IDF-weighted share of `terms` it contains (adding its values
    to `params`): one CASE per term, its tsqueries (anywhere, in the title, in the
    attributes) as parameters. A subquery over a list of the terms, as this was before, ran
    a function scan and an aggregate for every chunk scored: the ranker took 47 ms p50 that
    way on the bench's 100,000-product tenant, 39 ms this way (bench/README_retrieval.md)."""
    params["idf_total"] = sum(t.idf for t in terms) or 1.0
    params["title_factor"] = TITLE_FACTOR
    params["attributes_factor"] = ATTRIBUTES_FACTOR
    cases = []
    for i, term in enumerate(terms):
        anywhere = tsquery_any([term.lexeme])
        params[f"term_{i}"] = anywhere
        params[f"term_{i}_title"] = anywhere + ":A"
        params[f"term_{i}_attributes"] = anywhere + ":B"
        params[f"idf_{i}"] = term.idf
        cases.append(
            f"CAST(:idf_{i} AS float8) * CASE"
            f" WHEN NOT c.search_vector @@ CAST(:term_{i} AS tsquery) THEN 0"
            f" WHEN c.search_vector @@ CAST(:term_{i}_title AS tsquery) THEN :title_factor"
            f" WHEN c.search_vector @@ CAST(:term_{i}_attributes AS tsquery)"
            " THEN :attributes_factor ELSE 1 END"
        )
    return "((" + (" + ".join(cases) or "0") + ") / CAST(:idf_total AS float8))"


@dataclass(frozen=True, slots=True)
class TextRanking:
    """The text ranker's candidates, best first, with the terms they were scored on."""

    terms: tuple[WeightedTerm, ...] = ()
    chunk_ids: tuple[uuid.UUID, ...] = ()
    coverage: tuple[float, ...] = ()
    widened: bool = False  # the bounded match found too few: every uncommon term was matched


def document_frequency(term: WeightedTerm, total: int) -> float:
    """The chunks holding the term, from its IDF (the inverse of `term_stats.idf`)."""
    return max(0.0, (total + 1) * math.exp(-term.idf) - 0.5)


def match_terms(
    terms: Sequence[WeightedTerm], total: int | None, budget: int | None = MATCH_BUDGET_CHUNKS
) -> list[WeightedTerm]:
    """The terms a chunk must contain one of to be scored: the uncommon ones (or all, when
    none is), rarest first while their document frequencies sum to at most `budget`, and
    always the rarest that is in any chunk. `total`: the tenant's chunks in the space; no
    bound when it is not known or `budget` is None."""
    uncommon = [t for t in terms if t.idf > COMMON_TERM_IDF] or list(terms)
    if total is None or budget is None or total <= budget:
        return uncommon
    kept: list[WeightedTerm] = []
    matched = 0.0
    for term in sorted(uncommon, key=lambda t: t.idf, reverse=True):
        frequency = document_frequency(term, total)
        # A word in none of the tenant's chunks ("recommend") is the rarest of all but
        # matches nothing: it costs nothing and is not the rarest term that counts.
        if matched > 0.5 and matched + frequency > budget:
            break
        kept.append(term)
        matched += frequency
    return kept


def tenant_chunks(tenant_id: TenantId, space: str) -> int | None:
    """The tenant's chunks in `space` when the caller has not the stored count: the total
    its terms' IDFs were just computed on (the term statistics' cache, within its
    minute)."""
    return TERM_STATS.known_total(tenant_id, space)


async def rank_by_text(
    session: AsyncSession,
    *,
    tenant_id: TenantId,
    space: str,
    filters: QueryFilters,
    store_id: uuid.UUID | None,
    candidates: int,
    only_product: uuid.UUID | None = None,
    allowed: AllowedProducts | None = None,
    chunk_total: int | None = None,
    match_budget: int | None = MATCH_BUDGET_CHUNKS,
    terms: Sequence[WeightedTerm] | None = None,
) -> TextRanking:
    """`allowed`: see `product_filter.product_filter_sql`; `chunk_total`: the tenant's
    chunks in `space` when the caller read them (the stored vocabulary), else counted;
    `match_budget`: see `match_terms` (None: every uncommon term is matched, the ranking
    before the bound); `terms`: the question's terms weighed by the tenant's stored
    frequencies (engine.retrieval.tenant_vocabulary), else counted here (TERM_STATS)."""
    if terms is None:
        terms = await TERM_STATS.weighted_terms(
            session,
            tenant_id=tenant_id,
            space=space,
            question=filters.search_text,
            chunk_total=chunk_total,
        )
    if not terms:
        return TextRanking()
    params: dict[str, Any] = {
        "tenant_id": tenant_id,
        "space": space,
        "n": candidates,
        "all_query": tsquery_any(t.lexeme for t in terms),
    }
    coverage = coverage_sql(terms, params)
    where = product_filter_sql(
        filters, store_id, params, only_product, allowed, checks_each_candidate(chunk_total)
    )
    # Inside one product (the page's) every chunk is scored: there are a handful.
    total = chunk_total or tenant_chunks(tenant_id, space)
    matched = terms if only_product else match_terms(terms, total, match_budget)
    params["match_query"] = tsquery_any(t.lexeme for t in matched)
    # A small tenant's rows are read and matched one by one: the GIN index is one for all
    # tenants, and a common word's posting list holds every tenant's chunks (82,706 entries
    # for one question among 100 tenants, 12.5 ms, against the tenant's 2,000 rows).
    by_rows = total is not None and total <= HEAP_SCAN_MAX_CHUNKS
    rows = await _scored(session, params, coverage, where, by_rows)
    everything = match_terms(terms, total, None)
    if len(rows) < candidates and len(matched) < len(everything):
        # The question's filters (a category, a price) can reject every chunk the rarest
        # words are in; the commoner words the bound left out may find the ones they let
        # through. Rare: the bench's 100,000-product tenant, 1 question in 50.
        params["match_query"] = tsquery_any(t.lexeme for t in everything)
        rows = await _scored(session, params, coverage, where, by_rows)
        return _ranking(terms, rows, widened=True)
    return _ranking(terms, rows)


async def _scored(
    session: AsyncSession, params: dict[str, Any], coverage: str, where: str, by_rows: bool
) -> Sequence[Any]:
    """The best `:n` chunks matching `:match_query`, scored. `by_rows`: matched among the
    tenant's rows (found by its b-tree): `ts_match_vq` is the function behind `@@`, and the
    GIN index serves only the operator, so the planner cannot take it."""
    matches = (
        "ts_match_vq(c.search_vector, CAST(:match_query AS tsquery))"
        if by_rows
        else "c.search_vector @@ CAST(:match_query AS tsquery)"
    )
    return (
        await session.execute(
            text(f"""
                SELECT id, coverage FROM (
                    SELECT c.id, {coverage} AS coverage,
                           ts_rank(c.search_vector, CAST(:all_query AS tsquery), 1) AS density
                    FROM chunks c
                    WHERE c.tenant_id = :tenant_id AND c.embedding_space = :space
                      AND {matches} AND {where}
                ) matched
                ORDER BY coverage DESC, density DESC, id
                LIMIT :n
            """),
            params,
        )
    ).all()


def _ranking(
    terms: Sequence[WeightedTerm], rows: Sequence[Any], widened: bool = False
) -> TextRanking:
    return TextRanking(
        tuple(terms), tuple(r.id for r in rows), tuple(float(r.coverage) for r in rows), widened
    )
