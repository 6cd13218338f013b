"""The text ranker (IDF-weighted term coverage) and the two fusions, on real PostgreSQL.

The vector ranker is switched off (vector weight 0) where a test is about the text ranker
alone, so what is asserted is the SQL's own ordering, not MiniLM's.
"""

from __future__ import annotations

import math
import uuid
from typing import TypedDict

import pytest
from sqlalchemy import text

from core.db.database import Database
from core.provisioning import provision_tenant
from engine.retrieval.fusion import fused_score
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from engine.retrieval.term_stats import TermStats, idf, sample_bound, tsquery_any
from tests.support.index import SeedProduct, seed_store

# "bag" is in every product, "waterproof" in one description, "sailing" in one title and
# one description, "drybag" in one product's attributes: the rare words decide the order.
CATALOGUE = [
    SeedProduct(
        "Canvas Tote Bag", "20.00", "A sturdy canvas bag for groceries, books and sailing trips."
    ),
    SeedProduct("Roll-Top Bag", "45.00", "A bag that closes by folding the top three times."),
    SeedProduct("Hiking Bag", "60.00", "A waterproof bag with padded straps for long hikes."),
    SeedProduct("Sailing Bag", "38.00", "A bag for the boat.", attributes={"Type": ["Drybag"]}),
    SeedProduct("Laptop Bag", "80.00", "A padded bag for a fifteen inch laptop and its charger."),
]


@pytest.fixture
async def tenant(db: Database, embedder):
    tenant = await provision_tenant(db, name="Bag Shop", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, embedder, CATALOGUE)
    return tenant


async def _titles(db, tenant, embedder, query: str, **settings) -> list[str]:
    async with db.tenant_session(tenant.tenant_id) as session:
        result = await HybridRetriever(embedder).retrieve(
            session,
            tenant_id=tenant.tenant_id,
            query=query,
            settings=RetrievalSettings(top_k=10, **settings),
        )
    return [hit.title for hit in result.hits]


async def test_a_rare_word_outranks_a_word_every_product_has(db, tenant, embedder) -> None:
    titles = await _titles(
        db, tenant, embedder, "waterproof bag", vector_weight=0.0, text_weight=1.0
    )
    # Every product has "bag": a word that common does not make a product a text match
    # (the vector ranker is there for the rest); the rare, decisive word does.
    assert titles == ["Hiking Bag"]
    # A question of common words only still matches on them.
    titles = await _titles(db, tenant, embedder, "bag", vector_weight=0.0, text_weight=1.0)
    assert set(titles) == {p.name for p in CATALOGUE}


async def test_common_words_still_count_in_the_score(db, tenant, embedder) -> None:
    # "padded" is in two products, "laptop" in one, "bag" in all: both padded products are
    # text matches, and the one with more of the question's words ranks first.
    titles = await _titles(
        db, tenant, embedder, "padded laptop bag", vector_weight=0.0, text_weight=1.0
    )
    assert titles == ["Laptop Bag", "Hiking Bag"]


async def test_the_text_query_quotes_every_lexeme(db, tenant) -> None:
    lexemes = ["o'neil", "back\\slash", "a:b", "x&y|z", "!not", "two words", "<->"]
    async with db.tenant_session(tenant.tenant_id) as session:
        for lexeme in lexemes:
            found, missed, nodes = (
                await session.execute(
                    text(
                        "SELECT array_to_tsvector(ARRAY[:lexeme]) @@ CAST(:query AS tsquery), "
                        "array_to_tsvector(ARRAY['other']) @@ CAST(:query AS tsquery), "
                        "numnode(CAST(:query AS tsquery))"
                    ),
                    {"lexeme": lexeme, "query": tsquery_any([lexeme])},
                )
            ).one()
            assert (found, missed, nodes) == (True, False, 1), lexeme
        nodes = await session.scalar(
            text("SELECT numnode(CAST(:query AS tsquery))"), {"query": tsquery_any(lexemes)}
        )
    assert nodes == 2 * len(lexemes) - 1  # one lexeme each, joined by ORs


async def test_a_title_match_outranks_a_body_match(db, tenant, embedder) -> None:
    # "sailing" is in one product's title and another's description: equal IDF, the title wins.
    titles = await _titles(db, tenant, embedder, "sailing", vector_weight=0.0, text_weight=1.0)
    assert titles == ["Sailing Bag", "Canvas Tote Bag"]
    titles = await _titles(db, tenant, embedder, "drybag", vector_weight=0.0, text_weight=1.0)
    assert titles == ["Sailing Bag"]


async def test_with_text_weight_zero_no_text_only_candidate_appears(db, tenant, embedder) -> None:
    only_vector = await _titles(
        db, tenant, embedder, "drybag", vector_weight=1.0, text_weight=0.0, candidates=1
    )
    assert len(only_vector) == 1
    both = await _titles(db, tenant, embedder, "drybag", candidates=1)
    # The text ranker brings the one product whose attributes say it; it wins the fusion.
    assert both[0] == "Sailing Bag"


# A tenant of up to heap_scan_max_chunks chunks is counted from its own rows, a larger one
# on a sample of its rows (`sample_share` of them), its rare terms (fewer than 2 in the
# sample here) through the GIN index: a word in every chunk is scaled from the sample to
# the exact total, a word in one chunk is counted exactly.
@pytest.mark.parametrize(
    "heap_scan_max_chunks, sample_share",
    [(1_000, 0.0), (0, 1.0), (0, 0.6)],
    # (a small catalogue: whether a sample of some is ever scaled is left to chance here;
    # tests/engine/test_big_tenant_search.py scales one of 3,000 chunks)
    ids=["tenant rows", "sample of all", "sample of some"],
)
async def test_document_frequencies_are_counted_per_tenant(
    db, tenant, embedder, heap_scan_max_chunks, sample_share
) -> None:
    other = await provision_tenant(db, name="Other Shop", allowed_origins=[])
    await seed_store(
        db, other.tenant_id, embedder, [SeedProduct("Waterproof Waterproof", "1.00", "Waterproof.")]
    )
    async with db.tenant_session(tenant.tenant_id) as session:
        chunks = await session.scalar(
            text("SELECT count(*) FROM chunks WHERE tenant_id = :t"), {"t": tenant.tenant_id}
        )
        stats = TermStats(
            heap_scan_max_chunks=heap_scan_max_chunks,
            sample_chunks=round(sample_share * chunks),
            exact_below_sampled=2,
        )
        terms = await stats.weighted_terms(
            session,
            tenant_id=tenant.tenant_id,
            space=embedder.space.name,
            question="Is the waterproof bag any good?",
        )
    weights = {t.lexeme: t.idf for t in terms}
    # Stop words dropped; words stemmed as the index stems them.
    assert set(weights) == {"waterproof", "bag", "good"}
    # One of this tenant's chunks has "waterproof" (the other tenant's never count) and
    # every chunk has "bag" (each chunk carries its product's title).
    assert weights["waterproof"] == pytest.approx(idf(chunks, 1))
    assert weights["bag"] == pytest.approx(idf(chunks, chunks))
    assert weights["waterproof"] > 5 * weights["bag"] > 0


def test_idf_is_positive_and_falls_with_frequency() -> None:
    assert idf(100, 1) > idf(100, 10) > idf(100, 100) > 0
    assert idf(100, 500) == idf(100, 100)  # a stale count above the total is clamped
    assert idf(0, 0) == pytest.approx(math.log(2.0))


class _Weights(TypedDict):
    vector_weight: float
    text_weight: float
    rrf_k: int


def test_weighted_fusion_adds_scores_and_rrf_adds_reciprocal_ranks() -> None:
    common: _Weights = {"vector_weight": 1.0, "text_weight": 0.3, "rrf_k": 5}
    assert fused_score(
        "weighted", similarity=0.5, coverage=1.0, vector_rank=3, text_rank=1, **common
    ) == pytest.approx(0.8)
    assert fused_score(
        "weighted", similarity=None, coverage=0.5, vector_rank=None, text_rank=1, **common
    ) == pytest.approx(0.15)
    assert fused_score(
        "rrf", similarity=0.5, coverage=1.0, vector_rank=3, text_rank=1, **common
    ) == pytest.approx(1 / 8 + 0.3 / 6)
    assert fused_score(
        "rrf", similarity=0.9, coverage=None, vector_rank=None, text_rank=2, **common
    ) == pytest.approx(0.3 / 7)
    with pytest.raises(ValueError, match="unknown fusion"):
        fused_score(
            "max",  # type: ignore[arg-type]  # deliberate: an unknown fusion is refused
            similarity=0.5,
            coverage=1.0,
            vector_rank=1,
            text_rank=1,
            **common,
        )


def test_a_sample_bound_takes_its_fraction_of_random_ids() -> None:
    ids = [uuid.uuid4() for _ in range(20_000)]
    for fraction in (0.05, 0.3):
        below = sum(1 for i in ids if i < sample_bound(fraction))
        assert below == pytest.approx(fraction * len(ids), rel=0.1)
    assert all(i < sample_bound(1.0) or i.int == (1 << 128) - 1 for i in ids)
