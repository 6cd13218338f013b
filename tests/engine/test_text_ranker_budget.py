"""The text ranker's bound: in a tenant bigger than the budget it matches chunks on its
rarest terms only (rarest first, within the budget's summed document frequencies), while
every term still counts in the score; a tenant within the budget is ranked as before."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.db.database import Database
from core.provisioning import provision_tenant
from engine.embeddings import shared_local_embedder
from engine.retrieval.filters import parse_filters
from engine.retrieval.term_stats import WeightedTerm, idf
from engine.retrieval.text_ranker import (
    MATCH_BUDGET_CHUNKS,
    document_frequency,
    match_terms,
    rank_by_text,
)
from tests.support.index import SeedProduct, seed_store

TOTAL = 100_000


def term(lexeme: str, frequency: int, total: int = TOTAL) -> WeightedTerm:
    return WeightedTerm(lexeme, idf(total, frequency))


def test_document_frequency_inverts_the_idf() -> None:
    for frequency in (0, 1, 50, 2_000, 49_000):
        assert document_frequency(term("w", frequency), TOTAL) == pytest.approx(frequency)


def test_a_big_tenant_matches_its_rarest_terms_within_the_budget() -> None:
    terms = [term("bag", 60_000), term("red", 2_500), term("drybag", 50), term("roll", 900)]
    kept = match_terms(terms, TOTAL, budget=3_000)
    # "bag" is common (never matched on); rarest first: 50 + 900 fit, 2,500 more would not.
    assert [t.lexeme for t in kept] == ["drybag", "roll"]
    # The rarest is kept even when it alone is over the budget.
    assert [t.lexeme for t in match_terms(terms, TOTAL, budget=10)] == ["drybag"]
    # A word in no chunk costs nothing and is not the rarest that counts.
    absent = [term("recommend", 0), *terms]
    kept = match_terms(absent, TOTAL, budget=10)
    assert [t.lexeme for t in kept] == ["recommend", "drybag"]
    # No budget (or no known total): every uncommon term, as before the bound.
    unbounded = ["red", "drybag", "roll"]
    assert [t.lexeme for t in match_terms(terms, TOTAL, budget=None)] == unbounded
    assert [t.lexeme for t in match_terms(terms, None)] == unbounded


def test_a_tenant_within_the_budget_matches_every_uncommon_term() -> None:
    total = MATCH_BUDGET_CHUNKS
    terms = [term(w, total // 3, total) for w in ("a", "b", "c")] + [term("d", total, total)]
    # Their frequencies sum past the budget, yet the tenant has no more chunks than it.
    assert [t.lexeme for t in match_terms(terms, total)] == ["a", "b", "c"]
    # Every term common: all of them are matched, as before.
    common = [term("x", 90_000), term("y", 80_000)]
    assert match_terms(common, TOTAL, budget=10) == [common[1]]
    assert match_terms(common, TOTAL, budget=None) == common


CATALOGUE = [
    SeedProduct("Canvas Tote", "20.00", "A sturdy canvas bag for groceries and sailing trips."),
    SeedProduct("Hiking Pack", "60.00", "A waterproof pack with padded straps."),
    SeedProduct("Sailing Bag", "38.00", "A bag for the boat."),
    SeedProduct("Laptop Sleeve", "80.00", "A padded sleeve for a fifteen inch laptop."),
    SeedProduct("Lunch Box", "9.00", "A box for sandwiches."),
]


async def test_through_the_database_the_bound_leaves_out_commoner_term_matches(
    db: Database,
) -> None:
    embedder = shared_local_embedder()
    tenant = await provision_tenant(db, name="Budget Shop", allowed_origins=[])
    await seed_store(db, tenant.tenant_id, embedder, CATALOGUE)

    async def ranked(
        budget: int | None, candidates: int = 10, question: str = "waterproof sailing"
    ) -> tuple[list[str], bool]:
        async with db.tenant_session(tenant.tenant_id) as session:
            ranking = await rank_by_text(
                session,
                tenant_id=tenant.tenant_id,
                space=embedder.space.name,
                filters=parse_filters(question),
                store_id=None,
                candidates=candidates,
                match_budget=budget,
            )
            rows = await session.execute(
                text("SELECT id, title FROM chunks WHERE id = ANY(:ids)"),
                {"ids": list(ranking.chunk_ids)},
            )
            by_id = {row.id: row.title for row in rows}
        return [by_id[chunk_id] for chunk_id in ranking.chunk_ids], ranking.widened

    # "waterproof" is in one product, "sailing" in two: both uncommon among five.
    every = {"Hiking Pack", "Sailing Bag", "Canvas Tote"}
    for budget in (None, MATCH_BUDGET_CHUNKS):
        found, widened = await ranked(budget)
        assert set(found) == every and not widened
    # A budget of one chunk: only the rarest term's chunk is matched, when it fills the
    # candidates.
    assert await ranked(1, candidates=1) == (["Hiking Pack"], False)
    # When it does not, every uncommon term is matched after all: here the one chunk with
    # the rarest word (the 60.00 pack) is over the question's price.
    found, widened = await ranked(1, question="waterproof sailing under $40")
    assert widened and set(found) == {"Sailing Bag", "Canvas Tote"}
